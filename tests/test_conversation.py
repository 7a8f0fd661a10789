"""A resident reports through the REST channel; the ticket reaches the Open311 API."""
from __future__ import annotations

import re

import requests

from tests.conftest import say

TICKET = re.compile(r"工单号：(20\d{12})")


def test_resident_reports_broken_street_light(stack, rasa_url, app_url, sender):
    first = say(rasa_url, sender, "我们小区的路灯坏了好几天了")
    assert any("在哪里" in t or "地址" in t for t in first), first

    second = say(rasa_url, sender, "朝阳区幸福路15号阳光小区3号楼")
    found = [TICKET.search(t) for t in second]
    ticket_id = next(m.group(1) for m in found if m)
    print("\n".join(["居民：我们小区的路灯坏了好几天了", *("机器人：" + t for t in first),
                     "居民：朝阳区幸福路15号阳光小区3号楼", *("机器人：" + t for t in second)]))

    listed = requests.get(f"{app_url}/open311/v2/requests.json", timeout=10).json()
    ticket = next(t for t in listed if t["service_request_id"] == ticket_id)
    assert ticket["description"] == "我们小区的路灯坏了好几天了"
    assert ticket["category"]["level3"] == "城市公共设施"
    assert ticket["agency_responsible"] == "城市管理局"
    assert ticket["location"]["community"] == "阳光小区"
    assert ticket["location"]["road"] == "幸福路" and ticket["location"]["house_number"] == "15"
    assert ticket["location"]["building"] == "3"
    assert ticket["channel"] == "web" and ticket["status"] == "open"

    single = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()
    assert single[0]["service_request_id"] == ticket_id

    status = say(rasa_url, sender, "我的工单处理得怎么样了")
    assert any(ticket_id in t and "办理中" in t for t in status), status


def test_report_naming_the_place_is_filed_at_once_with_urgency(stack, rasa_url, app_url, sender):
    texts = say(rasa_url, sender, "幸福里小区5栋楼道里有很大的煤气味")
    joined = "\n".join(texts)
    assert "119" in joined, joined  # 特急: advice to call emergency services first
    ticket_id = TICKET.search(joined).group(1)
    ticket = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]
    assert ticket["urgency"] == "特急"
    assert "燃气泄漏" in ticket["urgency_reasons"]
    assert ticket["location"]["community"] == "幸福里小区" and ticket["location"]["building"] == "5"


def test_vague_place_is_asked_again(stack, rasa_url, sender):
    say(rasa_url, sender, "楼上天天半夜装修吵得睡不着")
    again = say(rasa_url, sender, "就在我家楼上")
    assert any("位置" in t or "地址" in t for t in again), again
    assert not any("工单号" in t for t in again)


def test_conversation_survives_rasa_restart(stack, rasa_url, app_url, sender):
    asked = say(rasa_url, sender, "小区门口的路面被挖坏了，坑坑洼洼的")
    assert any("在哪里" in t for t in asked), asked
    stack.stop("rasa")
    stack.start("rasa")
    filed = say(rasa_url, sender, "海景花园2栋门口")
    ticket_id = next(m.group(1) for m in map(TICKET.search, filed) if m)
    ticket = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]
    assert ticket["description"] == "小区门口的路面被挖坏了，坑坑洼洼的"
    assert ticket["location"]["community"] == "海景花园"


def test_place_first_then_problem(stack, rasa_url, app_url, sender):
    asked = say(rasa_url, sender, "锦绣家园11栋")
    assert any("什么问题" in t for t in asked), asked
    filed = say(rasa_url, sender, "楼下的垃圾好几天没人清运了，臭得很")
    ticket_id = next(m.group(1) for m in map(TICKET.search, filed) if m)
    ticket = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]
    assert ticket["location"]["community"] == "锦绣家园" and ticket["location"]["building"] == "11"
    assert ticket["category"]["level3"] == "环境卫生"

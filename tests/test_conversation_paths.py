"""The conversation paths a patient 12345 operator handles (issue 13), through the REST channel
with real Redis, Rasa and the action server; filed tickets checked through the Open311 API and
the handoff queue through GET /api/handoffs."""
from __future__ import annotations

import uuid
from typing import List

import requests

from tests.conftest import FULL_KEY, say
from tests.test_conversation import TICKET, confirmed, filed_ticket


def tickets_of(app_url: str, replies: List[str]) -> List[dict]:
    ids = [m.group(1) for m in map(TICKET.search, replies) if m]
    return [requests.get(f"{app_url}/open311/v2/requests/{i}.json", timeout=10).json()[0] for i in ids]


def handoffs(app_url: str) -> List[dict]:
    resp = requests.get(f"{app_url}/api/handoffs", headers=FULL_KEY, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_vague_first_message_asks_what_happened(stack, rasa_url, app_url, sender):
    asked = "\n".join(say(rasa_url, sender, "我要投诉"))
    assert "什么问题" in asked and "在哪里" not in asked, asked
    asked = "\n".join(say(rasa_url, sender, "楼上邻居天天半夜装修，吵得睡不着"))
    assert "在哪里" in asked, asked
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "海景花园5栋")))
    assert ticket["description"] == "楼上邻居天天半夜装修，吵得睡不着"
    assert ticket["category"]["level3"] == "噪音污染"


def test_corrections_at_the_summary_change_the_ticket(stack, rasa_url, app_url, sender):
    summary = "\n".join(say(rasa_url, sender, "海景花园59栋楼下的饭店太吵了，晚上睡不着"))
    assert "请核对" in summary and "59" in summary, summary
    building = "\n".join(say(rasa_url, sender, "不对，是32栋，不是59栋"))
    assert "海景花园32栋" in building and "工单号" not in building, building
    category = "\n".join(say(rasa_url, sender, "不是噪音，是油烟"))
    assert "大气污染" in category and "工单号" not in category, category
    urgent = "\n".join(say(rasa_url, sender, "这个很急"))
    assert "紧急程度：紧急" in urgent, urgent
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert ticket["location"]["building"] == "32" and ticket["location"]["estate"] == "海景花园"
    assert ticket["category"]["level3"] == "大气污染"
    assert "更正：不是噪音，是油烟" in ticket["description"]
    assert ticket["urgency"] == "紧急"


def test_a_new_place_at_the_summary_is_asked_about_when_it_needs_a_choice(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "海景花园3栋门口的垃圾桶好几天没人清理了")
    asked = "\n".join(say(rasa_url, sender, "不对，地址是深盐路"))
    assert "哪一处" in asked and "工单号" not in asked, asked
    summary = say(rasa_url, sender, "2")
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, summary))
    assert ticket["location"]["road"] == "深盐路" and ticket["location"]["street"] == "海山街道"


def test_two_problems_in_one_message_become_two_tickets(stack, rasa_url, app_url, sender):
    summary = say(rasa_url, sender, "海景花园3栋楼下的路灯坏了，还有幸福路上的垃圾好几天没人清运了")
    assert "2个问题" in "\n".join(summary), summary
    tickets = tickets_of(app_url, confirmed(rasa_url, sender, summary))
    assert len(tickets) == 2
    assert tickets[0]["location"]["estate"] == "海景花园" and tickets[1]["location"]["road"] == "幸福路"
    assert tickets[0]["category"]["level3"] != tickets[1]["category"]["level3"]


def test_another_problem_told_at_the_summary_is_added(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "锦绣家园11栋楼下的垃圾好几天没人清运了")
    summary = say(rasa_url, sender, "还有，小区门口的路灯也坏了")
    assert "2个问题" in "\n".join(summary), summary
    tickets = tickets_of(app_url, confirmed(rasa_url, sender, summary))
    assert [t["location"]["estate"] for t in tickets] == ["锦绣家园", "锦绣家园"]
    assert tickets[1]["description"] == "小区门口的路灯也坏了"


def test_cancel_files_nothing(stack, rasa_url, app_url, sender):
    summary = "\n".join(say(rasa_url, sender, "海景花园8栋电梯坏了三天了"))
    assert "请核对" in summary
    cancelled = "\n".join(say(rasa_url, sender, "算了，不报了"))
    assert "已取消" in cancelled, cancelled
    after = "\n".join(say(rasa_url, sender, "确认"))
    assert not TICKET.search(after), after
    listed = requests.get(f"{app_url}/open311/v2/requests.json", timeout=10).json()
    assert not any(t["description"] == "海景花园8栋电梯坏了三天了" for t in listed)


def test_goodbye_before_confirming_says_nothing_was_filed(stack, rasa_url, sender):
    say(rasa_url, sender, "海景花园8栋门口的路灯坏了")
    reminder = "\n".join(say(rasa_url, sender, "谢谢，再见"))
    assert "还没有提交" in reminder, reminder


def test_goodbye_promises_handling_only_when_something_was_filed(stack, rasa_url, sender):
    """「谢谢你们，问题已经解决了」 from a resident who reported nothing here was told 「我们会尽快处理」."""
    bye = "\n".join(say(rasa_url, sender, "谢谢你们，问题已经解决了"))
    assert "再见" in bye and "尽快处理" not in bye, bye
    say(rasa_url, sender, "东海岸小区6栋楼道灯坏了")
    say(rasa_url, sender, "确认")
    bye = "\n".join(say(rasa_url, sender, "好的，谢谢，再见"))
    assert "尽快处理" in bye and "查询进度" in bye, bye


def test_handoff_on_request_keeps_the_half_told_report(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "楼道里的灯坏了一个星期了")
    reply = "\n".join(say(rasa_url, sender, "转人工"))
    assert "人工坐席" in reply and "在哪里" not in reply, reply
    entry = next(h for h in handoffs(app_url) if h["pending"].get("problem_description") == "楼道里的灯坏了一个星期了")
    assert entry["reason"] == "requested" and entry["status"] == "waiting"
    assert entry["sender"] != sender and "****" in entry["sender"]  # masked
    assert [t["who"] for t in entry["transcript"]][:2] == ["resident", "agent"]
    # the form is over: the next message is not taken as the place
    after = "\n".join(say(rasa_url, sender, "好的"))
    assert "位置" not in after, after
    # asked again while waiting: told it is under way, not the whole announcement again (a console probe)
    again = "\n".join(say(rasa_url, sender, "转人工"))
    assert "已经在为您转接" in again and "不用重复" not in again, again
    assert len([h for h in handoffs(app_url) if h["sender"] == entry["sender"] and h["status"] == "waiting"]) == 1


def test_two_messages_not_understood_go_to_a_person(stack, rasa_url, app_url, sender):
    first = "\n".join(say(rasa_url, sender, "asdkjh"))
    assert "没有完全理解" in first, first
    second = "\n".join(say(rasa_url, sender, "zxqv"))
    assert "人工坐席" in second, second
    assert any(h["reason"] == "not_understood" and h["transcript"][0]["text"] == "asdkjh" for h in handoffs(app_url))


def test_distressed_resident_gets_crisis_lines_and_a_person(stack, rasa_url, app_url, sender):
    reply = "\n".join(say(rasa_url, sender, "工资拖了半年，我真的不想活了"))
    assert "12356" in reply and "120" in reply and "人工坐席" in reply, reply
    assert any(h["reason"] == "distressed" and "不想活了" in h["transcript"][0]["text"] for h in handoffs(app_url))


def test_status_only_for_ones_own_tickets(stack, rasa_url, app_url, sender):
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "海景花园6栋门口的井盖松了")))
    mine = "\n".join(say(rasa_url, sender, f"查一下工单{ticket['service_request_id']}"))
    assert "办理中" in mine, mine
    stranger = f"test-{uuid.uuid4().hex[:12]}"
    refused = "\n".join(say(rasa_url, stranger, f"查一下工单{ticket['service_request_id']}"))
    assert "只能查询您本人" in refused and "办理中" not in refused, refused


def test_handoff_list_rejects_bad_parameters(stack, app_url):
    resp = requests.get(f"{app_url}/api/handoffs", headers=FULL_KEY, params={"status": "lost"}, timeout=10)
    assert resp.status_code == 400 and "status" in resp.json()["error"]
    resp = requests.get(f"{app_url}/api/handoffs", headers=FULL_KEY, params={"limit": "x"}, timeout=10)
    assert resp.status_code == 400


def test_correction_after_filing_amends_the_ticket_and_keeps_its_history(stack, rasa_url, app_url, sender):
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "海景花园59栋楼下的路灯坏了")))
    assert ticket["location"]["building"] == "59"
    reply = "\n".join(say(rasa_url, sender, "不对，是32栋，不是59栋"))
    assert f"已更新工单 {ticket['service_request_id']}" in reply and "海景花园32栋" in reply, reply
    amended = requests.get(f"{app_url}/open311/v2/requests/{ticket['service_request_id']}.json", timeout=10).json()[0]
    assert amended["location"]["building"] == "32"
    history = requests.get(f"{app_url}/api/tickets/{ticket['service_request_id']}/history", timeout=10).json()
    # the history also records each delivery to the city's webhook (actor "dispatch"), whenever it happens
    history = [event for event in history if event["actor"] != "dispatch"]
    assert len(history) == 1 and history[0]["actor"] == "resident" and history[0]["kind"] == "amended"
    place = history[0]["changes"]["location"]
    assert place["from"]["building"] == "59" and place["to"]["building"] == "32"
    assert requests.get(f"{app_url}/api/tickets/20990101999999/history", timeout=10).status_code == 404


def post_status(app_url: str, ticket_id: str, body: dict, secret: str = None, timestamp: str = None):
    import json as _json
    import time as _time

    from common.signature import sign
    from tests.conftest import STATUS_SECRET

    raw = _json.dumps(body, ensure_ascii=False).encode()
    timestamp = timestamp or str(int(_time.time()))
    headers = {"Content-Type": "application/json", "X-Intake-Timestamp": timestamp,
               "X-Intake-Signature": sign(secret or STATUS_SECRET, timestamp, raw)}
    return requests.post(f"{app_url}/api/tickets/{ticket_id}/status", data=raw, headers=headers, timeout=60)


def test_closing_asks_for_satisfaction_and_dissatisfaction_reopens(stack, rasa_url, app_url, sender, people):
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "海景花园3栋楼下的路灯坏了")))
    ticket_id = ticket["service_request_id"]
    closed = post_status(app_url, ticket_id, {"status": "closed", "note": "已更换灯泡"})
    assert closed.status_code == 200 and closed.json() == {"id": ticket_id, "status": "closed",
                                                           "satisfaction_asked": True, "linked_closed": []}, closed.text
    updates = requests.get(f"{app_url}/api/chat/updates", params={"sender": sender}, timeout=10).json()
    question = "\n".join(m.get("text", "") for m in updates)
    assert "已办结" in question and "已更换灯泡" in question and "满意吗" in question, updates
    assert [b["title"] for b in updates[0]["buttons"]] == ["满意", "基本满意", "不满意"]
    assert requests.get(f"{app_url}/api/chat/updates", params={"sender": sender}, timeout=10).json() == []
    asked = "\n".join(say(rasa_url, sender, "不满意"))
    assert "哪里没有解决好" in asked, asked
    reopened = "\n".join(say(rasa_url, sender, "灯还是不亮，晚上一片黑"))
    assert "重新打开" in reopened, reopened
    after = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]
    assert after["status"] == "open" and "灯还是不亮" in after["status_notes"]
    kinds = [(e["actor"], e["changes"]["status"]["to"]) for e in
             requests.get(f"{app_url}/api/tickets/{ticket_id}/history", timeout=10).json() if e["kind"] == "status"]
    assert kinds == [("department", "closed"), ("resident", "open")]
    # the operator reads the resident's words, not the rating question the app server triggered
    from tests.console_people import sign_in

    operator = sign_in(app_url, people["operator"])
    said = operator.get(f"{app_url}/api/console/tickets/{ticket_id}", timeout=10).json()["transcript"]
    assert "灯还是不亮，晚上一片黑" in [s["text"] for s in said] and not any("EXTERNAL" in s["text"] for s in said)


def test_satisfied_resident_is_thanked(stack, rasa_url, app_url, sender):
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "锦绣家园2栋门口的井盖松了")))
    assert post_status(app_url, ticket["service_request_id"], {"status": "closed"}).json()["satisfaction_asked"]
    thanked = "\n".join(say(rasa_url, sender, "满意，修好了"))
    assert "感谢您的评价" in thanked, thanked
    after = requests.get(f"{app_url}/open311/v2/requests/{ticket['service_request_id']}.json", timeout=10).json()[0]
    assert after["status"] == "closed"


def test_status_updates_must_be_signed_and_valid(stack, app_url):
    assert post_status(app_url, "20990101999999", {"status": "closed"}).status_code == 404
    assert post_status(app_url, "20990101999999", {"status": "done"}).status_code == 400
    assert post_status(app_url, "20990101999999", {"status": "closed"}, secret="wrong").status_code == 401
    stale = post_status(app_url, "20990101999999", {"status": "closed"}, timestamp="1000000000")
    assert stale.status_code == 401 and "clock" in stale.json()["error"]
    unsigned = requests.post(f"{app_url}/api/tickets/20990101999999/status", json={"status": "closed"}, timeout=10)
    assert unsigned.status_code == 401 and "X-Intake-Signature" in unsigned.json()["error"]


def test_details_the_category_needs_are_asked_and_kept(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "公司拖欠我们三个月工资了，老板一直不给")
    asked = "\n".join(say(rasa_url, sender, "沙头角深盐路188号"))
    assert "联系电话" in asked, asked
    again = "\n".join(say(rasa_url, sender, "138123"))
    assert "不完整" in again, again
    summary = say(rasa_url, sender, "13812345678")
    assert any("138****5678" in t for t in summary) and not any("13812345678" in t for t in summary), summary
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, summary))
    assert ticket["category"]["level2"] in ("工资福利", "劳动关系") and "13812345678" not in str(ticket)


def test_a_yes_to_the_phone_question_gets_the_number_asked_for(stack, rasa_url, app_url, sender):
    """「没错」 to 「方便留一个联系电话吗？」 is a yes, not a broken number: the agent asks for the number;
    a second answer without one lets the report go on without it."""
    say(rasa_url, sender, "你好我们在沙头角深盐路一百二十号的工地干活老板欠了我们四个月工资一分都没给")
    asked = "\n".join(say(rasa_url, sender, "没错"))
    assert "请直接发送您的联系电话" in asked and "不完整" not in asked, asked
    summary = "\n".join(say(rasa_url, sender, "好的"))
    assert "请核对" in summary and "联系电话" not in summary, summary


def test_more_about_the_problem_said_instead_of_the_place_is_kept(stack, rasa_url, app_url, sender):
    """「我要退款」 then, asked where, 「买的预付卡健身房倒闭了」: the ticket said only 「我要退款」 and went
    to the pensions office. Now the words are kept and, being surer, decide the category."""
    say(rasa_url, sender, "我要退款")
    kept = "\n".join(say(rasa_url, sender, "买的预付卡健身房倒闭了"))
    assert "已记下" in kept and "位置" in kept, kept  # kept, and the place asked again
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "海山路88号")))
    assert ticket["description"] == "我要退款，买的预付卡健身房倒闭了", ticket["description"]
    assert ticket["category"]["level1"] == "商贸旅游", ticket["category"]


def test_a_building_corrected_without_naming_the_old_one_replaces_it(stack, rasa_url, app_url, sender):
    """「不对，是5栋」 at the summary read 「海景花园3栋5栋」; 「是紧急的 污水都漫到楼道了」 kept the claim
    and dropped what the resident saw."""
    say(rasa_url, sender, "海景花园3栋的下水道堵了")
    corrected = "\n".join(say(rasa_url, sender, "不对，是5栋"))
    assert "海景花园5栋" in corrected and "3栋5栋" not in corrected, corrected
    summary = say(rasa_url, sender, "是紧急的 污水都漫到楼道了")
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, summary))
    assert ticket["location"]["text"] == "海景花园5栋" and ticket["location"]["building"] == "5"
    assert "污水都漫到楼道了" in ticket["description"] and ticket["urgency"] in ("紧急", "特急")


def test_a_correction_naming_only_a_place_keeps_the_category(stack, rasa_url, app_url, sender):
    """「不对，是海景花园北门那家」 after a barbecue's noise was read as a new problem type: the model's
    reading of a place name (基础设施) replaced 噪音污染, and the noise went to the city management bureau."""
    say(rasa_url, sender, "楼下烧烤店每天吵到凌晨两点")
    say(rasa_url, sender, "海景花园")
    summary = say(rasa_url, sender, "不对，是海景花园北门那家")
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, summary))
    assert ticket["category"]["level3"] == "噪音污染", ticket["category"]
    assert ticket["description"] == "楼下烧烤店每天吵到凌晨两点"


def test_a_report_the_intent_model_hesitates_over_for_its_place_is_a_report(stack, rasa_url, app_url, sender):
    """「我家楼上天天往下扔垃圾，我家在海景花园6栋」: report 0.51 against inform 0.47, and the estate's name
    diluted the problem to 0.24 — the resident was asked to rephrase. Read without the place, it is one."""
    summary = say(rasa_url, sender, "我家楼上天天往下扔垃圾，我家在海景花园6栋")
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, summary))
    assert ticket["location"]["building"] == "6" and "扔垃圾" in ticket["description"]


def test_a_rating_nobody_asked_for_is_answered(stack, rasa_url, app_url, sender):
    """「非常满意」 right after filing was answered 「抱歉，我没有完全理解」."""
    filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "锦绣家园3栋电梯坏了")))
    told = "\n".join(say(rasa_url, sender, "非常满意"))
    assert "工单办结后" in told and "没有完全理解" not in told, told


def test_a_ticket_number_sent_alone_is_a_status_question(stack, rasa_url, app_url, sender):
    """「20261201000001」 sent after 「请提供工单号」 was answered 「抱歉，我没有完全理解」."""
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "锦绣家园5栋电梯坏了")))
    told = "\n".join(say(rasa_url, sender, ticket["service_request_id"]))
    assert f"工单 {ticket['service_request_id']}" in told and "办理中" in told, told
    other = "\n".join(say(rasa_url, f"{sender}-other", f"工单号{ticket['service_request_id']}"))
    assert "只能查询您本人" in other and "办理中" not in other, other


def test_square_dancing_is_no_square_and_a_place_said_at_the_summary_is_where(stack, rasa_url, app_url, sender):
    """「晚上十点以后广场舞音响太大声」 was filed at 「十点以后广场」, and the square the resident then named
    became a second problem (文化市场与文化执法)."""
    asked = "\n".join(say(rasa_url, sender, "晚上十点以后广场舞音响太大声"))
    assert "在哪里" in asked, asked
    summary = say(rasa_url, sender, "海涛社区文化广场")
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, summary))
    assert ticket["location"]["text"] == "海涛社区文化广场" and ticket["category"]["level3"] == "噪音污染"
    at_summary = "\n".join(say(rasa_url, f"{sender}-2", "楼下烧烤店每天吵到凌晨两点，在海景花园"))
    assert "请核对" in at_summary, at_summary
    moved = "\n".join(say(rasa_url, f"{sender}-2", "海涛社区文化广场"))
    assert "2个问题" not in moved and "海涛社区文化广场" in moved, moved


def test_a_building_said_first_stays_with_the_estate_said_next(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "12栋的化粪池冒了")
    say(rasa_url, sender, "海景花园")
    summary = say(rasa_url, sender, "不知道")  # since when: the follow-up question of this category
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, summary))
    assert (ticket["location"]["estate"], ticket["location"]["building"]) == ("海景花园", "12")
    assert ticket["location"]["text"] == "海景花园12栋"


def test_a_filed_ticket_is_not_withdrawn_in_the_chat(stack, rasa_url, app_url, sender):
    """「我刚才报的那个能取消吗」 after filing was not understood; the department has the ticket now."""
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "海景花园3栋楼下的路灯坏了")))
    told = "\n".join(say(rasa_url, sender, "我刚才报的那个能取消吗"))
    assert ticket["service_request_id"] in told and "不能在这里撤销" in told and "转人工" in told, told
    url = f"{app_url}/open311/v2/requests/{ticket['service_request_id']}.json"
    assert requests.get(url, timeout=10).json()[0]["status"] == "open"


def test_a_house_number_said_after_the_road_completes_it(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "我家门口的路灯不亮了")
    say(rasa_url, sender, "幸福路")
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "15号")))
    assert (ticket["location"]["road"], ticket["location"]["house_number"]) == ("幸福路", "15")


def test_since_when_is_asked_for_fumes_and_a_correction_instead_is_applied(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "楼下餐馆油烟好大")
    asked = "\n".join(say(rasa_url, sender, "锦绣家园3栋"))
    assert "什么时候开始" in asked, asked
    still = "\n".join(say(rasa_url, sender, "不是3栋是5栋"))
    assert "地点改为锦绣家园5栋" in still and "什么时候开始" in still, still  # heard, then asked again
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "上周开始的，每天晚上")))
    assert ticket["location"]["building"] == "5" and ticket["location"]["text"] == "锦绣家园5栋"
    assert "开始时间：上周开始的，每天晚上" in ticket["description"]


def test_the_same_report_twice_at_once_is_one_intake_and_one_ticket(stack, rasa_url, app_url, sender):
    """Two copies of one message arrive together: the Redis lock store serialises them, the second
    changes nothing, and one confirmation files one ticket."""
    from concurrent.futures import ThreadPoolExecutor

    text = "金色家园9栋楼下的路灯坏了好几天了"
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: say(rasa_url, sender, text), range(2)))
    assert all(any("请核对" in t for t in answer) for answer in answers), answers
    summaries = [next(t for t in answer if "请核对" in t) for answer in answers]
    assert summaries[0] == summaries[1] and "补充" not in summaries[1], summaries
    filed = confirmed(rasa_url, sender, answers[1])
    assert len([t for t in filed if TICKET.search(t)]) == 1
    listed = requests.get(f"{app_url}/open311/v2/requests.json", timeout=10).json()
    assert sum(t["description"] == text for t in listed) == 1
    assert not any(TICKET.search(t) for t in say(rasa_url, sender, "确认"))  # a second 确认 files nothing new


def test_a_correction_that_contradicts_itself_keeps_what_was_said_last(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "小区里有人在绿化带私自搭了个铁皮棚")
    summary = "\n".join(say(rasa_url, sender, "金色家园6栋旁边"))
    assert "金色家园6栋" in summary, summary
    again = "\n".join(say(rasa_url, sender, "不对是8栋旁边……哦不是，还是6栋，我记错了"))
    assert "地点：金色家园6栋（" in again, again
    assert "违章建筑" in again and "工单号" not in again, again  # a place said is no new category
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert ticket["location"]["building"] == "6" and ticket["category"]["level3"] == "违章建筑"


def test_a_place_repaired_while_speaking_keeps_the_repaired_building(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "我要反映 我们楼道里堆满了杂物 消防通道都堵了")
    summary = "\n".join(say(rasa_url, sender, "桥东社区 三栋 不对 是四栋"))
    assert "桥东社区4栋" in summary, summary
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, [summary]))
    assert ticket["location"]["community"] == "桥东社区" and ticket["location"]["building"] == "4"


def test_a_phone_number_at_the_summary_is_the_contact_and_submit_files(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "公司不给我们交社保，干了两年了，公司在海山街道海景二路18号")
    summary = "\n".join(say(rasa_url, sender, "我电话13800001111"))
    assert "138****1111" in summary and "2个问题" not in summary and "13800001111" not in summary, summary
    ticket = filed_ticket(app_url, say(rasa_url, sender, "提交"))
    assert ticket["category"]["level1"] == "劳动和社会保障"
    full = requests.get(f"{app_url}/open311/v2/requests/{ticket['service_request_id']}.json", headers=FULL_KEY,
                        timeout=10).json()[0]
    assert "13800001111" in str(full)  # the department sees the number; the public does not


def test_numbered_problems_at_two_places_become_two_tickets(stack, rasa_url, app_url, sender):
    summary = say(rasa_url, sender, "反映两个事：一是海景花园3栋门口的垃圾桶好几天没人清，二是中英街牌坊旁边的公厕门坏了关不上")
    assert "2个问题" in "\n".join(summary) and "哪一处" not in "\n".join(summary), summary
    tickets = tickets_of(app_url, confirmed(rasa_url, sender, summary))
    assert [t["location"].get("estate") for t in tickets] == ["海景花园", None]
    assert tickets[1]["location"]["poi"] == "中英街" and tickets[1]["description"].startswith("中英街")


def test_a_status_question_at_the_summary_is_about_the_report_not_yet_filed(stack, rasa_url, app_url, sender):
    summary = say(rasa_url, sender, "金色家园3栋门口的路灯坏了好几天了")
    assert "请核对" in "\n".join(summary), summary
    asked = "\n".join(say(rasa_url, sender, "进度怎么样了"))
    assert "还没有提交" in asked and "确认" in asked and not TICKET.search(asked), asked
    earlier = "\n".join(say(rasa_url, sender, "我上周反映的问题怎么样了"))
    assert "还没有提交" not in earlier and "工单" in earlier, earlier  # an earlier report: looked up
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert ticket["location"]["estate"] == "金色家园"


def test_a_rating_with_what_fell_short_is_kept_on_the_ticket(stack, rasa_url, app_url, sender):
    """「还行吧，就是太慢了」 was thanked and its reason stored as 「吧，就是太慢了」 where nobody read it: the
    reason is told back and the rating shows in the ticket's history; 「一般般」 keeps no 「般」 as a reason."""
    ticket = filed_ticket(app_url, confirmed(rasa_url, sender, say(rasa_url, sender, "锦绣家园5栋门口的路灯坏了")))
    ticket_id = ticket["service_request_id"]
    assert post_status(app_url, ticket_id, {"status": "closed"}).json()["satisfaction_asked"]
    thanked = "\n".join(say(rasa_url, sender, "还行吧，就是太慢了"))
    assert "感谢您的评价" in thanked and "“就是太慢了”" in thanked, thanked
    rated = [e for e in requests.get(f"{app_url}/api/tickets/{ticket_id}/history", timeout=10).json() if e["kind"] == "rated"]
    assert [(e["actor"], e["changes"]["rating"]["to"], e["note"]) for e in rated] == [("resident", "基本满意", "就是太慢了")]
    from nlu.satisfaction import read_rating

    assert read_rating("一般般") == ("基本满意", "") and read_rating("挺好的") == ("满意", "")

"""Bad input never gets a 500 and never loses a filed ticket."""
from __future__ import annotations

import pytest
import requests

from tests.conftest import say

JSON = {"Content-Type": "application/json"}
MALFORMED = ["", "{bad json", "[1, 2]", "null", "\"text\""]


def test_empty_message_gets_a_polite_reply(stack, rasa_url, sender):
    texts = say(rasa_url, sender, "")
    assert texts and "没有输入文字" in texts[0]


def test_emoji_only_message_gets_a_polite_reply(stack, rasa_url, sender):
    texts = say(rasa_url, sender, "😀😀😀👍")
    assert texts and all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts), texts


def test_twenty_thousand_characters_are_handled(stack, rasa_url, app_url, sender):
    long_text = ("楼下饭店的油烟太大了，每天熏得我们没法开窗。" * 1000)[:20000]
    texts = say(rasa_url, sender, long_text)
    assert texts, "the bot must answer"
    analysis = requests.post(f"{app_url}/api/analyze", json={"text": long_text}, timeout=60)
    assert analysis.status_code == 200
    too_long = say(rasa_url, sender, long_text + "多")
    assert "太长" in too_long[0]


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_json_to_rasa_webhook(stack, rasa_url, body):
    resp = requests.post(f"{rasa_url}/webhooks/rest/webhook", data=body.encode(), headers=JSON, timeout=30)
    assert resp.status_code == 400 and resp.json()["error"]


@pytest.mark.parametrize("path", ["/api/analyze", "/api/chat", "/open311/v2/requests.json"])
@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_json_to_app_endpoints(stack, app_url, path, body):
    resp = requests.post(f"{app_url}{path}", data=body.encode(), headers=JSON, timeout=30)
    assert resp.status_code == 400, resp.text
    payload = resp.json()
    message = payload[0]["description"] if isinstance(payload, list) else payload["error"]
    assert message


@pytest.mark.parametrize("payload,status", [
    ({"text": ""}, 422), ({"text": "   "}, 422), ({"text": "😀😀"}, 422), ({}, 400),
    ({"text": 42}, 400), ({"text": "路灯坏了", "channel": "fax"}, 422), ({"text": "好" * 20001}, 413),
])
def test_analyze_rejects_unusable_text_clearly(stack, app_url, payload, status):
    resp = requests.post(f"{app_url}/api/analyze", json=payload, timeout=30)
    assert resp.status_code == status and resp.json()["error"]


def test_bad_input_loses_no_ticket(stack, rasa_url, app_url, sender):
    before = requests.get(f"{app_url}/open311/v2/requests.json", timeout=10).json()
    for body in MALFORMED:
        requests.post(f"{rasa_url}/webhooks/rest/webhook", data=body.encode(), headers=JSON, timeout=30)
        requests.post(f"{app_url}/open311/v2/requests.json", data=body.encode(), headers=JSON, timeout=30)
    say(rasa_url, sender, "")
    after = requests.get(f"{app_url}/open311/v2/requests.json", timeout=10).json()
    assert {t["service_request_id"] for t in before} <= {t["service_request_id"] for t in after}
    # and the agent still files a real report afterwards
    texts = say(rasa_url, sender, "人民公园东门的路灯不亮了")
    assert any("请核对" in t for t in texts), texts
    texts = say(rasa_url, sender, "确认")
    assert any("工单号" in t for t in texts), texts


def test_unknown_ticket_and_open311_errors(stack, app_url):
    resp = requests.get(f"{app_url}/open311/v2/requests/20990101999999.json", timeout=10)
    assert resp.status_code == 404 and resp.json()[0]["code"] == 404
    resp = requests.get(f"{app_url}/open311/v2/requests.json", params={"start_date": "yesterday"}, timeout=10)
    assert resp.status_code == 400 and "ISO 8601" in resp.json()[0]["description"]
    resp = requests.post(f"{app_url}/open311/v2/requests.json", data={"description": "  "}, timeout=10)
    assert resp.status_code == 400
    resp = requests.post(f"{app_url}/open311/v2/requests.json",
                         data={"description": "路灯坏了", "service_code": "不存在/类别"}, timeout=10)
    assert resp.status_code == 404

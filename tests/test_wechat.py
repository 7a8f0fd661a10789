"""The WeChat official-account channel: signed and encrypted XML in, a passive reply out, through
the real Rasa server; location messages placed on the gazetteer; retries never file twice."""
from __future__ import annotations

import hashlib
import time
import uuid
from typing import Dict, Optional

import requests
import xmltodict
from wechatpy.crypto import WeChatCrypto

from tests.conftest import WECHAT
from tests.test_conversation import TICKET

TOKEN = WECHAT["WECHAT_TOKEN"]
crypto = WeChatCrypto(TOKEN, WECHAT["WECHAT_AES_KEY"], WECHAT["WECHAT_APP_ID"])


def _signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def _xml(openid: str, kind: str, body: str, msg_id: Optional[int] = None) -> str:
    return (f"<xml><ToUserName><![CDATA[gh_12345]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>{body}"
            f"<MsgId>{msg_id or uuid.uuid4().int % 10**18}</MsgId></xml>")


def send(rasa_url: str, xml: str, encrypted: bool = True) -> requests.Response:
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    params: Dict[str, str] = {"timestamp": timestamp, "nonce": nonce, "signature": _signature(TOKEN, timestamp, nonce)}
    if encrypted:
        # what WeChat posts in 安全模式: the encrypted message and its own signature
        inner = xmltodict.parse(crypto.encrypt_message(xml, nonce, timestamp))["xml"]["Encrypt"]
        params.update(encrypt_type="aes", msg_signature=_signature(TOKEN, timestamp, nonce, inner))
        body = f"<xml><ToUserName><![CDATA[gh_12345]]></ToUserName><Encrypt><![CDATA[{inner}]]></Encrypt></xml>"
    else:
        body = xml
    return requests.post(f"{rasa_url}/webhooks/wechat/webhook", params=params, data=body.encode("utf-8"),
                         timeout=60)


def reply_text(resp: requests.Response, encrypted: bool = True) -> str:
    assert resp.status_code == 200, resp.text
    if resp.text == "success":
        return ""
    if encrypted:
        envelope = xmltodict.parse(resp.text)["xml"]
        xml = crypto.decrypt_message(resp.text, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    else:
        xml = resp.text
    return xmltodict.parse(xml)["xml"]["Content"]


def test_server_check_echoes_only_when_signed_and_fresh(stack, rasa_url):
    timestamp, nonce = str(int(time.time())), "n0nce"
    ok = requests.get(f"{rasa_url}/webhooks/wechat/webhook", timeout=10, params={
        "signature": _signature(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce, "echostr": "hello"})
    assert ok.status_code == 200 and ok.text == "hello"
    bad = requests.get(f"{rasa_url}/webhooks/wechat/webhook", timeout=10, params={
        "signature": "0" * 40, "timestamp": timestamp, "nonce": nonce, "echostr": "hello"})
    assert bad.status_code == 403
    # a correctly signed request recorded ten minutes ago and replayed
    stale = str(int(time.time()) - 600)
    replayed = requests.post(f"{rasa_url}/webhooks/wechat/webhook", timeout=10, data=_xml(
        "o-replayer", "text", "<Content><![CDATA[路灯坏了]]></Content>").encode(), params={
        "signature": _signature(TOKEN, stale, nonce), "timestamp": stale, "nonce": nonce})
    assert replayed.status_code == 403 and "replayed" in replayed.text


def test_text_then_location_message_files_a_placed_ticket(stack, rasa_url, app_url):
    openid = f"o-{uuid.uuid4().hex[:16]}"
    asked = reply_text(send(rasa_url, _xml(openid, "text", "<Content><![CDATA[路边的垃圾桶倒了没人管]]></Content>")))
    assert "在哪里" in asked, asked
    location = ("<Location_X>22.5960</Location_X><Location_Y>114.3061</Location_Y><Scale>16</Scale>"
                "<Label><![CDATA[广东省深圳市盐田区大梅沙]]></Label>")
    summary = reply_text(send(rasa_url, _xml(openid, "location", location)))
    assert "请核对" in summary and "确认提交" in summary, summary
    filed = reply_text(send(rasa_url, _xml(openid, "text", "<Content><![CDATA[确认]]></Content>")))
    ticket_id = TICKET.search(filed).group(1)
    ticket = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]
    assert ticket["channel"] == "wechat"
    assert ticket["location"]["community"] == "大梅沙社区" and ticket["location"]["street"] == "梅沙街道"
    assert ticket["lat"] == 22.596 and ticket["long"] == 114.3061


def test_retried_message_is_answered_once_and_filed_once(stack, rasa_url, app_url):
    openid = f"o-{uuid.uuid4().hex[:16]}"
    report = _xml(openid, "text", "<Content><![CDATA[海涛社区3栋楼下的垃圾桶满了好几天没人清理]]></Content>", msg_id=987654321012344)
    assert "请核对" in reply_text(send(rasa_url, report, encrypted=False), encrypted=False)
    xml = _xml(openid, "text", "<Content><![CDATA[确认]]></Content>", msg_id=987654321012345)
    first = reply_text(send(rasa_url, xml, encrypted=False), encrypted=False)
    again = reply_text(send(rasa_url, xml, encrypted=False), encrypted=False)
    assert TICKET.search(first) and again == first
    listed = requests.get(f"{app_url}/open311/v2/requests.json", timeout=10).json()
    assert sum(t["description"] == "海涛社区3栋楼下的垃圾桶满了好几天没人清理" for t in listed) == 1


def test_voice_uses_wechat_recognition_and_other_kinds_are_explained(stack, rasa_url):
    openid = f"o-{uuid.uuid4().hex[:16]}"
    voice = "<MediaId><![CDATA[m1]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[{}]]></Recognition>"
    asked = reply_text(send(rasa_url, _xml(openid, "voice", voice.format("楼上天天半夜装修吵得睡不着"))))
    assert "在哪里" in asked, asked
    assert "再说一遍" in reply_text(send(rasa_url, _xml(openid, "voice", voice.format(""))))
    video = "<MediaId><![CDATA[m3]]></MediaId><ThumbMediaId><![CDATA[t3]]></ThumbMediaId>"
    assert "文字、语音、照片和位置" in reply_text(send(rasa_url, _xml(openid, "video", video)))
    lost = "<PicUrl><![CDATA[http://127.0.0.1:9/a.jpg]]></PicUrl><MediaId><![CDATA[gone]]></MediaId>"
    assert "没能接收成功" in reply_text(send(rasa_url, _xml(openid, "image", lost)))


def test_a_voice_message_is_read_without_its_fillers_and_stumbles(stack, rasa_url):
    """WeChat's recognition of 「嗯那个那个海景花园幺栋的电梯坏了坏了三天了」 was filed word for word: fillers, the
    words said twice and 「幺栋」 (no building) in the ticket, as the hotline's transcripts are not."""
    voice = "<MediaId><![CDATA[m2]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[{}]]></Recognition>"
    summary = reply_text(send(rasa_url, _xml(f"o-{uuid.uuid4().hex[:16]}", "voice",
                                             voice.format("嗯那个那个海景花园幺栋的电梯坏了坏了三天了"))))
    assert "问题：海景花园1栋的电梯坏了三天了（" in summary and "地点：海景花园1栋" in summary, summary
    assert "再说一遍" in reply_text(send(rasa_url, _xml(f"o-{uuid.uuid4().hex[:16]}", "voice", voice.format("嗯"))))


def test_bad_requests_get_precise_errors(stack, rasa_url):
    timestamp, nonce = str(int(time.time())), "abc"
    signed = {"timestamp": timestamp, "nonce": nonce, "signature": _signature(TOKEN, timestamp, nonce)}
    forged = requests.post(f"{rasa_url}/webhooks/wechat/webhook", params={**signed, "signature": "1" * 40},
                           data=b"<xml></xml>", timeout=10)
    assert forged.status_code == 403
    garbage = requests.post(f"{rasa_url}/webhooks/wechat/webhook", params=signed, data=b"not xml at all", timeout=10)
    assert garbage.status_code == 400 and "malformed" in garbage.text
    tampered = requests.post(f"{rasa_url}/webhooks/wechat/webhook", timeout=10,
                             params={**signed, "encrypt_type": "aes", "msg_signature": "2" * 40},
                             data=b"<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>")
    assert tampered.status_code == 400 and "undecryptable" in tampered.text


def test_a_pin_sent_first_is_where_and_wechat_emoticons_are_no_words(stack, rasa_url, app_url):
    """A WeChat probe: a location sent before anything else was filed as a problem (「广东省深圳市盐田区大梅沙」, 安全隐患)
    and the report that followed as a second ticket; 「[捂脸]」 (WeChat's emoticon, sent as its name) stayed in the
    ticket's words."""
    openid = f"o-{uuid.uuid4().hex[:16]}"
    pin = ("<Location_X>22.5960</Location_X><Location_Y>114.3061</Location_Y><Scale>16</Scale>"
           "<Label><![CDATA[广东省深圳市盐田区大梅沙]]></Label>")
    asked = reply_text(send(rasa_url, _xml(openid, "location", pin)))
    assert "地点已记下" in asked and "什么问题" in asked and "请核对" not in asked, asked
    summary = reply_text(send(rasa_url, _xml(openid, "text", "<Content><![CDATA[这里的路灯坏了好几个[捂脸]]]></Content>")))
    assert "请核对" in summary and "2个问题" not in summary and "[捂脸]" not in summary, summary
    filed = reply_text(send(rasa_url, _xml(openid, "text", "<Content><![CDATA[确认]]></Content>")))
    [ticket_id] = TICKET.findall(filed)
    ticket = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]
    assert ticket["description"] == "这里的路灯坏了好几个" and ticket["location"]["community"] == "大梅沙社区", ticket

"""WeChat beyond the passive reply: the customer-service message API against a real stand-in of
WeChat's API (bench/wechat_api.py) — one shared access token, renewed when WeChat refuses it —,
notifications (a closed ticket's rating question) pushed to WeChat residents, a silent resident
given up with the reason, an outage retried, and an answer slower than WeChat's five seconds sent
after the webhook has answered `success`."""
from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta

import pytest
import redis
import requests
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from appserver.notifications import Notifications
from appserver.wechat_notices import MAX_ATTEMPTS, send_wechat_notices
from bench.outbox import free_port
from bench.wechat_api import WeChatApi
from channels.wechat import WeChatInput
from channels.wechat_customer_service import CustomerService, SendFailed
from common import clock
from dispatch.database import engine_for
from tests.conftest import WECHAT_API_SECRET
from tests.test_conversation_paths import post_status
from tests.test_dispatch_delivery import wait_for
from tests.test_wechat import TICKET, _xml, reply_text, send


@pytest.fixture
def api():
    # an account of its own, so that its token never meets the test stack's in Redis
    running = WeChatApi(port=free_port(), app_id=f"wx{uuid.uuid4().hex[:16]}", secret=WECHAT_API_SECRET).start()
    yield running
    running.stop()


def service(api: WeChatApi, shared: redis.Redis = None) -> CustomerService:
    return CustomerService(api.app_id, api.secret, shared, api_base=api.url)


def test_one_token_serves_every_sender_and_a_refused_token_is_renewed(stack, api):
    shared = redis.Redis(port=stack.ports.redis, decode_responses=True)
    first, second = service(api, shared), service(api, shared)  # two processes of one deployment
    first.send("o-resident-1", [{"text": "您的工单已办结。", "buttons": [{"title": "满意"}, {"title": "不满意"}]}])
    second.send_text("o-resident-2", "您好")
    assert api.token_fetches == 1
    assert api.texts_to("o-resident-1") == ["您的工单已办结。\n满意\n不满意"]
    api.expire_token()
    second.send_text("o-resident-2", "第二条")
    assert api.token_fetches == 2 and api.texts_to("o-resident-2") == ["您好", "第二条"]
    first.send_text("o-resident-3", "很长的答复。" * 400)  # 7,200 bytes: four messages within WeChat's limit
    assert len(api.texts_to("o-resident-3")) == 4 and "".join(api.texts_to("o-resident-3")) == "很长的答复。" * 400
    api.silent.add("o-silent")
    with pytest.raises(SendFailed, match="48小时") as failed:
        first.send_text("o-silent", "您的工单已办结")
    assert failed.value.final and "o-silent" not in str(failed.value)  # the openid is masked


def test_notifications_reach_wechat_residents_and_failures_are_kept(tmp_path, api):
    queue = Notifications(engine_for(f"sqlite:///{tmp_path / 'n.db'}"))
    app = {"notifications": queue, "wechat_cs": service(api)}
    queue.add("o-happy", "wechat", [{"text": "工单已办结，您满意吗？"}])
    queue.add("o-silent", "wechat", [{"text": "工单已办结，您满意吗？"}])
    queue.add("web-user", "web", [{"text": "网页的消息不走微信"}])
    api.silent.add("o-silent")
    asyncio.run(send_wechat_notices(app))
    assert api.sent == [("o-happy", "工单已办结，您满意吗？")]
    assert queue.due("wechat", clock.now()) == []  # one sent, one given up
    asyncio.run(send_wechat_notices(app))
    assert len(api.sent) == 1  # nothing twice
    api.down = True
    queue.add("o-later", "wechat", [{"text": "稍后送达"}])
    asyncio.run(send_wechat_notices(app))
    assert queue.due("wechat", clock.now()) == []  # waiting for its retry
    [waiting] = queue.due("wechat", clock.now() + timedelta(minutes=5))
    assert waiting.attempts == 1 and MAX_ATTEMPTS > 1
    api.down = False
    with queue.session() as session:  # the retry is due
        from appserver.notifications import NotificationRow
        session.query(NotificationRow).filter_by(pk=waiting.pk).update({"next_at": clock.now()})
        session.commit()
    asyncio.run(send_wechat_notices(app))
    assert api.texts_to("o-later") == ["稍后送达"]
    assert queue.take("web-user", "web") == [{"text": "网页的消息不走微信"}]


def test_an_answer_slower_than_wechat_waits_follows_as_a_customer_service_message(stack, api, monkeypatch):
    """The channel itself in a Sanic server of its own; the agent behind it takes 1.2 s."""
    monkeypatch.setenv("INTAKE_REDIS_PORT", str(stack.ports.redis))
    monkeypatch.setenv("WECHAT_APP_ID", api.app_id)
    monkeypatch.setenv("WECHAT_APP_SECRET", api.secret)
    monkeypatch.setenv("WECHAT_API_BASE", api.url)
    channel = WeChatInput(reply_wait_s=0.3)

    async def slow_agent(message: UserMessage) -> None:
        await asyncio.sleep(1.2)
        await message.output_channel.send_text_message(message.sender_id, f"已收到：{message.text}")

    app = Sanic(f"wechat_slow_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(slow_agent), url_prefix="/webhooks/wechat")
    port = free_port()
    openid = f"o-{uuid.uuid4().hex[:12]}"

    async def main() -> None:
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        await server.startup()
        try:
            started = time.monotonic()
            answer = await asyncio.to_thread(send, f"http://127.0.0.1:{port}",
                                             _xml(openid, "text", "<Content><![CDATA[楼道灯坏了]]></Content>"),
                                             encrypted=False)
            assert time.monotonic() - started < 1.0 and answer.text == "success"
            for _ in range(60):
                if api.texts_to(openid):
                    break
                await asyncio.sleep(0.1)
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(main())
    assert api.texts_to(openid) == ["已收到：楼道灯坏了"]


def test_a_closed_ticket_asks_the_wechat_resident_on_wechat(stack, rasa_url, app_url, wechat_api):
    openid = f"o-{uuid.uuid4().hex[:16]}"
    reply_text(send(rasa_url, _xml(openid, "text", "<Content><![CDATA[海涛花园5栋楼下路灯坏了]]></Content>")))
    filed = reply_text(send(rasa_url, _xml(openid, "text", "<Content><![CDATA[确认]]></Content>")))
    ticket_id = TICKET.search(filed).group(1)
    closed = post_status(app_url, ticket_id, {"status": "closed", "note": "已更换灯泡"}).json()
    assert closed["satisfaction_asked"], closed
    [question] = wait_for(lambda: wechat_api.texts_to(openid), timeout=30)
    assert "已更换灯泡" in question and "满意吗" in question and "不满意" in question, question
    assert requests.get(f"{app_url}/api/chat/updates", params={"sender": openid}, timeout=10).json() == []

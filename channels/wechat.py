"""WeChat official account (公众号) input channel for Rasa: /webhooks/wechat/webhook.

WeChat sends XML (plain or AES-encrypted, wechatpy parses and decrypts it) and waits 5 seconds
for a passive reply, retrying the same MsgId up to three times; a retry must not file a ticket
twice, so each MsgId is claimed once in Redis (shared by every Rasa server) and a retry gets the
first answer. Text is read as typed, a voice message by WeChat's own speech recognition (cleaned of
fillers and stumbles, numbers as digits, as a hotline caller's turn: nlu/transcript.clean_turn), and a
location message (位置) becomes a pin in the message metadata that LocationExtractor places at
the nearest gazetteer unit.

An answer not ready within `reply_wait_s` (credentials.yml or INTAKE_WECHAT_REPLY_WAIT_S, default
4.5 s: WeChat gives up after 5) is not lost: the request is answered `success` at once and the
answer follows through the customer-service message API (wechat_customer_service.py) when
WECHAT_APP_SECRET is set; without it the request waits for the answer as before, and WeChat's
retries of the MsgId get it.

Secrets come from the environment: WECHAT_TOKEN, WECHAT_AES_KEY and WECHAT_APP_ID (the last two
for 安全模式), WECHAT_APP_SECRET for customer-service messages. Without WECHAT_TOKEN the endpoint
answers 503 and says so.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from xml.parsers.expat import ExpatError
from typing import Any, Awaitable, Callable, Dict, Optional, Set, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException, WeChatException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from channels.wechat_customer_service import CustomerService, SendFailed
from channels.wechat_photos import receive_photo
from channels.plain_text import as_plain_text
from common.privacy import mask_id
from common.redis_connection import redis_from_environment
from dispatch.media import MediaStore
from nlu.transcript import clean_turn

log = logging.getLogger(__name__)

UNSUPPORTED = "目前只能处理文字、语音、照片和位置消息。请用文字描述您遇到的问题和地点，或发送位置。"
NO_RECOGNITION = "抱歉，没能识别这条语音。请再说一遍，或改用文字描述。"
WELCOME = "您好，这里是12345市民诉求服务。请直接告诉我您遇到的问题和具体位置，也可以发送位置。"
DEDUP_SECONDS = 120  # WeChat retries within 15 seconds; keep the answer a little longer
REPLY_WAIT_S = 4.5
MAX_SKEW_S = 300  # a signed request older than five minutes is a replay
LATE_TRIES_S = (0, 2, 8)  # a late answer's sends: at once, then after these pauses


class WeChatInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeChatInput":
        wait = os.environ.get("INTAKE_WECHAT_REPLY_WAIT_S") or (credentials or {}).get("reply_wait_s", REPLY_WAIT_S)
        return cls(reply_wait_s=float(wait))

    def __init__(self, reply_wait_s: float = REPLY_WAIT_S) -> None:
        self.reply_wait_s = reply_wait_s
        self._late: Set["asyncio.Future[Any]"] = set()  # answers still running after `success` (kept referenced)
        self.token = os.environ.get("WECHAT_TOKEN", "")
        aes_key = os.environ.get("WECHAT_AES_KEY", "")
        self.crypto = (WeChatCrypto(self.token, aes_key, os.environ.get("WECHAT_APP_ID", ""))
                       if self.token and aes_key else None)
        self.redis = redis_from_environment()
        self.customer_service = CustomerService.from_environment(self.redis)
        self._media: Optional[MediaStore] = None
        if not self.token:
            log.warning("WeChat channel: WECHAT_TOKEN is not set, /webhooks/wechat/webhook answers 503")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("wechat_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": bool(self.token)})

        @hook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            """WeChat's server check when the URL is configured: echo ``echostr`` if signed."""
            return self._refusal(request) or response.text(request.args.get("echostr", ""))

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self._refusal(request)
            if refused:
                return refused
            try:
                message = parse_message(self._plain_xml(request))
            except (WeChatException, ExpatError, ValueError, KeyError, TypeError) as exc:
                return response.text(f"malformed or undecryptable WeChat message: {exc}", status=400)
            if message is None or not getattr(message, "source", None):
                return response.text("malformed WeChat message: no sender", status=400)
            text = await self._answer_in_time(message, on_new_message)
            if not text:
                return response.text("success")  # WeChat's "no reply" answer
            xml = TextReply(message=message, content=text).render()
            if self.crypto and request.args.get("encrypt_type") == "aes":  # answer the way it was asked
                xml = self.crypto.encrypt_message(xml, request.args.get("nonce", ""),
                                                  request.args.get("timestamp"))
            return response.text(xml, content_type="application/xml")

        return hook

    def _refusal(self, request: Request) -> Optional[HTTPResponse]:
        """503 while the channel has no token, 403 for a request WeChat did not sign or signed
        more than MAX_SKEW_S ago (a recorded request replayed); else None."""
        if not self.token:
            return response.text("WeChat channel not configured (WECHAT_TOKEN)", status=503)
        timestamp = request.args.get("timestamp", "")
        try:
            check_signature(self.token, request.args.get("signature", ""), timestamp, request.args.get("nonce", ""))
        except InvalidSignatureException:
            return response.text("invalid signature", status=403)
        try:
            skew = abs(time.time() - int(timestamp))
        except ValueError:
            return response.text("timestamp must be unix seconds", status=403)
        if skew > MAX_SKEW_S:
            return response.text(f"timestamp is {skew:.0f} s away from now; at most {MAX_SKEW_S} s is accepted "
                                 "(a replayed request?)", status=403)
        return None

    def _plain_xml(self, request: Request) -> str:
        body = request.body.decode("utf-8")
        if self.crypto and request.args.get("encrypt_type") == "aes":
            return self.crypto.decrypt_message(body, request.args.get("msg_signature", ""),
                                               request.args.get("timestamp", ""), request.args.get("nonce", ""))
        return body

    async def _answer_in_time(self, message: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        """The answer when it is ready within reply_wait_s; else "" (WeChat's "no reply" answer)
        and the answer sent as a customer-service message once it is ready."""
        task = asyncio.ensure_future(self._answer(message, on_new_message))
        if self.customer_service is None:
            return await task
        done, _ = await asyncio.wait({task}, timeout=self.reply_wait_s)
        if task in done:
            return task.result()
        self._keep(task)
        task.add_done_callback(lambda finished: self._keep(asyncio.ensure_future(
            self._send_late(message.source, finished))))
        return ""

    @property
    def media(self) -> MediaStore:
        if self._media is None:  # the ticket database is opened on the first photo, not at start
            self._media = MediaStore()
        return self._media

    def _keep(self, task: "asyncio.Future[Any]") -> None:
        self._late.add(task)
        task.add_done_callback(self._late.discard)

    async def _send_late(self, openid: str, finished: "asyncio.Future[str]") -> None:
        if finished.cancelled() or finished.exception() is not None:
            log.error("a late WeChat answer for %s failed: %r", mask_id(openid), finished.exception())
            return
        text = finished.result()
        if not text.strip():
            return
        for pause in LATE_TRIES_S:
            await asyncio.sleep(pause)
            try:
                await asyncio.to_thread(self.customer_service.send_text, openid, text)
                return
            except SendFailed as exc:
                log.warning("late WeChat answer not sent%s: %s", "" if exc.final else ", trying again", exc)
                if exc.final:
                    return

    async def _answer(self, message: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        """Run the message through Rasa once per MsgId; a retry waits for the first answer."""
        key = f"wechat:msg:{message.source}:{getattr(message, 'id', None) or message.create_time}"
        if not self.redis.set(key, "", nx=True, ex=DEDUP_SECONDS):
            for _ in range(40):  # a retry: the first request is still running or has answered
                answer = self.redis.get(key)
                if answer:
                    return answer
                await asyncio.sleep(0.1)
            return ""
        if message.type == "image":
            answer = await receive_photo(message, self.media, self.customer_service)
            self.redis.set(key, answer or " ", ex=DEDUP_SECONDS)
            return answer
        text, metadata = self._as_user_input(message)
        if text is None:
            answer = metadata.pop("reply")
        else:
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(text, collector, message.source, input_channel=self.name(),
                                             metadata=metadata))
            answer = as_plain_text(collector.messages)
        self.redis.set(key, answer or " ", ex=DEDUP_SECONDS)
        return answer

    @staticmethod
    def _as_user_input(message: Any) -> tuple[Optional[str], Dict[str, Any]]:
        """(text for Rasa, metadata), or (None, {"reply": …}) for what Rasa cannot read."""
        kind = message.type
        if kind == "text":
            return message.content, {}
        if kind == "voice":
            # WeChat's speech recognition writes what was said, as the hotline's does: fillers, words said twice,
            # numbers in words (「嗯那个那个海景花园幺栋的电梯坏了坏了」) — cleaned as a caller's turn is
            recognised = clean_turn(getattr(message, "recognition", None) or "")
            return (recognised, {"asr": True}) if recognised else (None, {"reply": NO_RECOGNITION})
        if kind == "location":
            lat, lng = message.location
            label = message.label or ""
            return (label or "我的位置", {"location": {"lat": float(lat), "lng": float(lng), "label": label}})
        if kind == "event" and getattr(message, "event", "") == "subscribe":
            return None, {"reply": WELCOME}
        if kind == "event":
            return None, {"reply": ""}
        return None, {"reply": UNSUPPORTED}

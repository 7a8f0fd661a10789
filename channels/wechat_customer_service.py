"""WeChat's customer-service message API (客服消息): what the agent says to a follower outside the
five-second passive reply — an answer that took longer, a ticket closed days later.

WeChat accepts these within 48 hours of the follower's last message; later it answers 45015 and
the message cannot be sent (the caller records that for an operator). The app id and secret come
from the environment (WECHAT_APP_ID, WECHAT_APP_SECRET). The access token is kept in Redis for every
process and server (fetching a new one invalidates the old, so they must share it), fetched
again before it expires, and — wechatpy does this — fetched again and the call retried once when
WeChat says it is invalid. WECHAT_API_BASE sends the calls to another host (an egress proxy; the
tests' stand-in, bench/wechat_api.py).
"""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional

import redis
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

from channels.plain_text import as_plain_text
from common.privacy import mask_id

API_BASE = "https://api.weixin.qq.com"
#: answers that sending again cannot fix: outside the 48 hours, not a follower, blocked, bad openid
FINAL_ERRORS = {45015: "居民48小时内没有发过消息，微信不允许再主动发送", 43004: "居民已取消关注",
                43019: "居民已将公众号拉黑", 40003: "openid 无效"}
MAX_BYTES = 2000  # WeChat takes at most 2048 bytes of UTF-8 in one text message; longer ones are split


def split_utf8(text: str, limit: int) -> List[str]:
    """``text`` in parts of at most ``limit`` UTF-8 bytes, cut after a line where one ends near."""
    parts: List[str] = []
    while len(text.encode("utf-8")) > limit:
        cut, size = 0, 0
        for i, char in enumerate(text):
            size += len(char.encode("utf-8"))
            if size > limit:
                break
            cut = i + 1
        newline = text.rfind("\n", 0, cut)
        cut = newline + 1 if newline > cut // 2 else cut
        parts.append(text[:cut])
        text = text[cut:]
    return parts + ([text] if text else [])


class SendFailed(Exception):
    def __init__(self, reason: str, final: bool) -> None:
        super().__init__(reason)
        self.final = final


class _Client(WeChatClient):
    """wechatpy's client with its two fixed URLs moved to ``api_base``."""

    def __init__(self, app_id: str, secret: str, session, api_base: str, timeout: float) -> None:
        super().__init__(app_id, secret, session=session, timeout=timeout)
        self.API_BASE_URL = f"{api_base.rstrip('/')}/cgi-bin/"

    def fetch_access_token(self) -> Dict[str, Any]:
        return self._fetch_access_token(url=f"{self.API_BASE_URL}token", params={
            "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})


class CustomerService:
    def __init__(self, app_id: str, secret: str, redis_client: Optional[redis.Redis] = None,
                 api_base: str = API_BASE, timeout: float = 10) -> None:
        session = RedisStorage(redis_client, prefix="intake:wechat") if redis_client is not None else MemoryStorage()
        self.client = _Client(app_id, secret, session, api_base, timeout)

    @classmethod
    def from_environment(cls, redis_client: Optional[redis.Redis] = None) -> Optional["CustomerService"]:
        """None when the official account's app id or secret is not configured."""
        app_id, secret = os.environ.get("WECHAT_APP_ID"), os.environ.get("WECHAT_APP_SECRET")
        if not app_id or not secret:
            return None
        return cls(app_id, secret, redis_client, os.environ.get("WECHAT_API_BASE", API_BASE))

    def send(self, openid: str, messages: List[Dict[str, Any]]) -> None:
        """Send what the agent said (blocking: run it in a thread); SendFailed says why not."""
        self.send_text(openid, as_plain_text(messages))

    def send_text(self, openid: str, text: str) -> None:
        for part in split_utf8(text.strip(), MAX_BYTES):
            try:
                self.client.message.send_text(openid, part)
            except WeChatClientException as exc:
                reason = FINAL_ERRORS.get(exc.errcode) or f"微信接口错误 {exc.errcode}: {exc.errmsg}"
                raise SendFailed(f"{reason}（{mask_id(openid)}）", final=exc.errcode in FINAL_ERRORS) from None
            except OSError as exc:  # requests' connection errors and time-outs
                raise SendFailed(f"微信接口不可达：{type(exc).__name__}", final=False) from None

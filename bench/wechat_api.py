"""WeChat's API in miniature: the access-token and customer-service message endpoints, as a real
HTTP server for the tests (bench/threaded_server.py), recording every message it is sent.

It hands out access tokens for the right app id and secret, refuses a stale token with 40001 (as
WeChat does once a token has expired or a newer one was fetched), refuses followers who have been
silent for 48 hours with 45015, and can be taken down (HTTP 503) to test retries. It also serves
pictures as WeChat's CDN does for image messages' PicUrl, and by MediaId through the media API."""
from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from aiohttp import web

from bench.threaded_server import ThreadedServer


@dataclass
class WeChatApi(ThreadedServer):
    port: int
    app_id: str = "wx0123456789abcdef"
    secret: str = "intake-test-app-secret"
    token: Optional[str] = None
    token_fetches: int = 0
    silent: Set[str] = field(default_factory=set)  # openids outside the 48-hour window
    down: bool = False
    sent: List[Tuple[str, str]] = field(default_factory=list)  # (openid, text)
    pictures: Dict[str, bytes] = field(default_factory=dict)  # what PicUrls (/pic/<name>) serve
    media: Dict[str, bytes] = field(default_factory=dict)  # what the media API serves by MediaId
    _tokens: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def _token(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("grant_type") != "client_credential" or q.get("appid") != self.app_id or q.get("secret") != self.secret:
            return web.json_response({"errcode": 40125, "errmsg": "invalid appsecret"})
        with self._lock:
            self.token = f"ACCESS-{next(self._tokens)}"
            self.token_fetches += 1
            return web.json_response({"access_token": self.token, "expires_in": 7200})

    async def _send(self, request: web.Request) -> web.Response:
        if self.down:
            return web.Response(status=503, text="service unavailable")
        if request.query.get("access_token") != self.token or not self.token:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"})
        data = json.loads(await request.read())
        if data.get("msgtype") != "text" or not data.get("touser"):
            return web.json_response({"errcode": 44002, "errmsg": "empty post data"})
        if data["touser"] in self.silent:
            return web.json_response({"errcode": 45015, "errmsg": "response out of time limit"})
        if len(data["text"]["content"].encode("utf-8")) > 2048:
            return web.json_response({"errcode": 45002, "errmsg": "content size out of limit"})
        with self._lock:
            self.sent.append((data["touser"], data["text"]["content"]))
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _picture(self, request: web.Request) -> web.Response:
        found = self.pictures.get(request.match_info["name"])
        if found is None:
            return web.Response(status=404, text="no such picture")
        return web.Response(body=found, content_type="image/jpeg")

    async def _media(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") != self.token or not self.token:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        found = self.media.get(request.query.get("media_id", ""))
        if found is None:
            return web.json_response({"errcode": 40007, "errmsg": "invalid media_id"})
        return web.Response(body=found, content_type="image/jpeg")

    def expire_token(self) -> None:
        """The token stops working (two hours passed, or another process fetched a new one)."""
        with self._lock:
            self.token = "expired-" + (self.token or "")

    def texts_to(self, openid: str) -> List[str]:
        with self._lock:
            return [text for to, text in self.sent if to == openid]

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._send)
        app.router.add_get("/cgi-bin/media/get", self._media)
        app.router.add_get("/pic/{name}", self._picture)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

"""A city's GeoReport v2 endpoint in miniature, for the Open311 adapter's tests and benches.

A real HTTP server (its own event loop in a thread, like webhook_receiver.py) that files service
requests the way city systems do: it checks the api_key and jurisdiction_id, knows its own
service codes, answers a request id at once or — `tokens=True` — a token that gets its id only
after a few reads of `GET /tokens/{token}.json`, honours `idempotency_key`, and serves statuses
that the test changes with `set_status` (the department at work). It can be told to answer with
any status or body (a 503, HTML with 200) to test what the adapter does with bad answers.
"""
from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from aiohttp import web

from bench.threaded_server import ThreadedServer


@dataclass
class CityRequest:
    id: str
    fields: Dict[str, str]
    status: str = "open"
    status_notes: Optional[str] = None


@dataclass
class Open311City(ThreadedServer):
    port: int
    api_key: str = "city-key"
    jurisdiction_id: str = "yantian.example"
    service_codes: tuple = ("streetlight", "noise", "other")
    tokens: bool = False
    token_reads_before_id: int = 2
    answer_status: Optional[int] = None  # set: every POST gets this status and answer_body
    answer_body: str = ""
    requests: Dict[str, CityRequest] = field(default_factory=dict)
    posts: List[Dict[str, str]] = field(default_factory=list)
    status_reads: int = 0
    _by_key: Dict[str, str] = field(default_factory=dict)
    _token_reads: Dict[str, int] = field(default_factory=dict)
    _token_of: Dict[str, str] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def _error(status: int, description: str) -> web.Response:
        return web.json_response([{"code": status, "description": description}], status=status)

    def _denied(self, values) -> Optional[web.Response]:
        if values.get("api_key") != self.api_key:
            return self._error(403, "api_key is missing or not valid")
        if values.get("jurisdiction_id") != self.jurisdiction_id:
            return self._error(404, f"jurisdiction_id {values.get('jurisdiction_id')!r} is not served here")
        return None

    async def _post(self, request: web.Request) -> web.Response:
        fields = {k: str(v) for k, v in (await request.post()).items()}
        with self._lock:
            self.posts.append(fields)
        if self.answer_status is not None:
            return web.Response(status=self.answer_status, text=self.answer_body, content_type="text/html")
        denied = self._denied(fields)
        if denied is not None:
            return denied
        if fields.get("service_code") not in self.service_codes:
            return self._error(400, f"service_code {fields.get('service_code')!r} is not one of ours")
        if not fields.get("description"):
            return self._error(400, "description is required")
        with self._lock:
            key = fields.get("idempotency_key")
            request_id = self._by_key.get(key) if key else None
            if request_id is None:
                request_id = f"C-{next(self._ids)}"
                self.requests[request_id] = CityRequest(request_id, fields)
                if key:
                    self._by_key[key] = request_id
            if self.tokens:
                token = self._token_of.setdefault(request_id, f"T-{request_id}")
                self._token_reads.setdefault(token, 0)
                return web.json_response([{"token": token}], status=201)
        return web.json_response([{"service_request_id": request_id, "service_notice": "已受理"}], status=201)

    async def _token(self, request: web.Request) -> web.Response:
        denied = self._denied(request.query)
        if denied is not None:
            return denied
        token = request.match_info["token"]
        with self._lock:
            if token not in self._token_reads:
                return self._error(404, f"no token {token}")
            self._token_reads[token] += 1
            ready = self._token_reads[token] > self.token_reads_before_id
            request_id = next(r for r, t in self._token_of.items() if t == token)
        return web.json_response([{"token": token, **({"service_request_id": request_id} if ready else {})}])

    async def _list(self, request: web.Request) -> web.Response:
        denied = self._denied(request.query)
        if denied is not None:
            return denied
        wanted = [i for i in request.query.get("service_request_id", "").split(",") if i]
        with self._lock:
            self.status_reads += 1
            found = [self.requests[i] for i in wanted if i in self.requests]
            return web.json_response([{"service_request_id": r.id, "status": r.status, "status_notes": r.status_notes,
                                       "service_code": r.fields.get("service_code")} for r in found])

    def set_status(self, request_id: str, status: str, notes: Optional[str] = None) -> None:
        with self._lock:
            self.requests[request_id].status, self.requests[request_id].status_notes = status, notes

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/v2/requests.json", self._post)
        app.router.add_get("/v2/requests.json", self._list)
        app.router.add_get("/v2/tokens/{token}.json", self._token)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v2"

"""A city's dispatch system in miniature: a real HTTP server receiving our webhook deliveries.

Used by the dispatch tests and `python -m bench.outbox`. It checks each delivery's signature
the way a receiver should (the scheme in dispatch/adapters/webhook.py), records what arrived
(ticket id, delivery id, event), and can be told to refuse (answer 503 or any status), to answer
slowly, or to answer 200 with garbage. It runs on its own event loop in a thread, so a test can
start, stop and restart it on the same port while the app server keeps delivering.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from aiohttp import web

from bench.threaded_server import ThreadedServer


@dataclass
class Received:
    ticket_id: str
    delivery_id: str
    event: str
    at: float
    body: dict


@dataclass
class WebhookReceiver(ThreadedServer):
    port: int
    secret: Optional[str] = None
    answer_status: int = 200
    answer_body: str = '{"id": "R-{ticket}"}'
    delay_s: float = 0.0
    received: List[Received] = field(default_factory=list)
    refused: int = 0
    bad_signatures: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        if self.secret is not None:
            timestamp = request.headers.get("X-Intake-Timestamp", "")
            expected = "sha256=" + hmac.new(self.secret.encode(), timestamp.encode() + b"." + body,
                                            hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, request.headers.get("X-Intake-Signature", "")):
                with self._lock:
                    self.bad_signatures += 1
                return web.Response(status=401, text="bad signature")
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if not 200 <= self.answer_status < 300:
            with self._lock:
                self.refused += 1
            return web.Response(status=self.answer_status, text="refused for the test")
        ticket = json.loads(body)
        with self._lock:
            self.received.append(Received(ticket["id"], request.headers.get("X-Intake-Delivery", ""),
                                          request.headers.get("X-Intake-Event", ""), time.time(), ticket))
        return web.Response(status=self.answer_status, text=self.answer_body.replace("{ticket}", ticket["id"]),
                            content_type="application/json")

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/hook", self._handle)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def tickets(self) -> Counter:
        """How many times each ticket arrived as filed, counting a repeated delivery id once."""
        with self._lock:
            seen = {(r.ticket_id, r.delivery_id) for r in self.received if r.event == "ticket.filed"}
        return Counter(ticket for ticket, _ in seen)

    def raw_filed(self) -> Counter:
        """How many times each ticket arrived as filed, repeats included."""
        with self._lock:
            return Counter(r.ticket_id for r in self.received if r.event == "ticket.filed")

    def latencies(self) -> Dict[str, float]:
        with self._lock:
            return {r.ticket_id: r.at for r in self.received if r.event == "ticket.filed"}

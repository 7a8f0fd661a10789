"""Webhook adapter: the ticket as a signed JSON POST to a city's in-house dispatch system.

Headers: `X-Intake-Timestamp` (unix seconds), `X-Intake-Signature: sha256=<hex HMAC-SHA256(secret,
timestamp + "." + body)>`, `X-Intake-Event` (ticket.filed, ticket.amended, ticket.urged when the resident presses, ticket.overdue for SLA alerts) and
`X-Intake-Delivery` (the job's id, for the receiver to drop a repeat). A 2xx answer is delivery;
an `id` in a JSON answer is kept as the receiver's reference. 408, 425, 429, 5xx, time-outs and
refused connections are tried again (honouring Retry-After); any other answer is a rejection that
retrying cannot fix, dead-lettered at once with the receiver's reason.
"""
from __future__ import annotations

import json
import time
from typing import Optional

import aiohttp

from common.signature import sign
from dispatch.adapters.http_answer import Answer, send
from dispatch.outbox import Outcome
from dispatch.schema import Ticket, ticket_document


class WebhookAdapter:
    def __init__(self, name: str, url: Optional[str], secret: Optional[str], secret_env: Optional[str],
                 include_contact: bool, timeout_s: float) -> None:
        self.name, self.url, self.secret, self.secret_env = name, url, secret, secret_env
        self.include_contact, self.timeout_s = include_contact, timeout_s

    def _problem(self) -> Optional[str]:
        if not self.url:
            return f"adapter {self.name}: no URL (set its url or url_env)"
        if self.secret_env and not self.secret:
            return f"adapter {self.name}: {self.secret_env} is not set; deliveries are signed"
        return None

    async def deliver(self, http: aiohttp.ClientSession, ticket: Ticket, kind: str, delivery_id: str) -> Outcome:
        problem = self._problem()
        if problem:
            return Outcome(ok=False, error=problem)  # configuration can be fixed: retried, then dead-lettered
        body = json.dumps(ticket_document(ticket, include_contact=self.include_contact),
                          ensure_ascii=False).encode("utf-8")
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Intake-Timestamp": timestamp,
                   "X-Intake-Event": f"ticket.{kind}", "X-Intake-Delivery": delivery_id}
        if self.secret:
            headers["X-Intake-Signature"] = sign(self.secret, timestamp, body)
        answer = await send(http, "POST", self.url, self.timeout_s, data=body, headers=headers)
        if not isinstance(answer, Answer):
            return answer
        if not answer.ok:
            return answer.failure()
        return Outcome(ok=True, status_code=answer.status, remote_id=_remote_id(answer.text))


def _remote_id(text: str) -> Optional[str]:
    """The receiver's id for the ticket, when it answers JSON with one; any other answer is fine."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    found = data.get("id") if isinstance(data, dict) else None
    return str(found)[:100] if isinstance(found, (str, int)) else None

"""Open311 client: a ticket filed as a service request at a city's GeoReport v2 endpoint, and
the request's status read back.

Filing: `POST {url}/requests.json` (form-encoded, as the spec has it) with api_key,
jurisdiction_id, service_code (settings/dispatch.yml maps our categories to the city's codes),
description, address_string, lat/long, the contact when the adapter may pass it on, our urgency,
grade, deadline and structured place as `attribute[...]`, and `idempotency_key` (the ticket's id:
a city that honours it files a retried POST once). The answer names the request
(`service_request_id`) or, for cities that file later, a `token`, resolved through
`GET {url}/tokens/{token}.json` when the status is read. An answer that is neither — HTML, an
empty list, an error shape with 200 — is not delivery: it is recorded and tried again.

GeoReport v2 cannot change a filed request nor say it was urged, so an amendment or a 催办 sent to this
adapter is dead-lettered with that reason for an operator to pass on; `ticket.overdue` alerts belong to
webhooks.

Status: `GET {url}/requests.json?service_request_id=a,b,…` in batches; each request's
`status`/`status_notes` comes back as a RemoteStatus for the status poller.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Union

import aiohttp
from pydantic import BaseModel

from dispatch.adapters.http_answer import MAX_REASON, Answer, send
from dispatch.outbox import Outcome
from dispatch.schema import STATUSES, Ticket
from common import clock
from common.privacy import mask_pii

BATCH = 50


class RemoteStatus(BaseModel):
    service_request_id: str
    status: str
    status_notes: Optional[str] = None


class Open311Error(Exception):
    """The endpoint's status answer could not be used (the poll is tried again next round)."""


def _iso(value) -> Optional[str]:
    return clock.aware(value).isoformat(timespec="seconds") if value else None


def _errors(text: str) -> Optional[str]:
    """The descriptions of a GeoReport error answer ([{"code", "description"}])."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, list) and data and all(isinstance(e, dict) and "description" in e for e in data):
        return "; ".join(str(e["description"]) for e in data)[:MAX_REASON]
    return None


def _reference(value: Any) -> Optional[str]:
    """An id or token as the city gave it (a string or a number), else None."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        return None
    return str(value).strip()[:100]


def _first_object(text: str) -> Optional[Dict[str, Any]]:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return data[0]
    return data if isinstance(data, dict) else None


class Open311Adapter:
    def __init__(self, name: str, url: Optional[str], api_key: Optional[str], api_key_env: Optional[str],
                 jurisdiction_id: Optional[str], service_codes: Dict[str, str],
                 default_service_code: Optional[str], include_contact: bool, timeout_s: float,
                 poll_s: float) -> None:
        self.name, self.url = name, (url or "").rstrip("/")
        self.api_key, self.api_key_env, self.jurisdiction_id = api_key, api_key_env, jurisdiction_id
        self.service_codes, self.default_service_code = service_codes, default_service_code
        self.include_contact, self.timeout_s, self.poll_s = include_contact, timeout_s, poll_s

    def _problem(self) -> Optional[str]:
        if not self.url:
            return f"adapter {self.name}: no URL (set its url or url_env)"
        if self.api_key_env and not self.api_key:
            return f"adapter {self.name}: {self.api_key_env} is not set; the city needs its api_key"
        return None

    def service_code(self, ticket: Ticket) -> Optional[str]:
        """The city's code for the ticket's category: the longest mapped prefix of our path."""
        parts = [p for p in (ticket.category.level1, ticket.category.level2, ticket.category.level3) if p]
        for depth in range(len(parts), 0, -1):
            code = self.service_codes.get("/".join(parts[:depth]))
            if code:
                return code
        return self.default_service_code or ("/".join(parts) or None)

    def form(self, ticket: Ticket) -> Dict[str, str]:
        loc = ticket.location
        fields: Dict[str, Any] = {
            "api_key": self.api_key, "jurisdiction_id": self.jurisdiction_id,
            "service_code": self.service_code(ticket), "description": ticket.description,
            "address_string": loc.text, "lat": loc.lat, "long": loc.lng,
            "idempotency_key": f"intake-{ticket.id}",
            "attribute[urgency]": ticket.urgency, "attribute[grade]": ticket.grade,
            "attribute[expected_datetime]": _iso(ticket.deadline), "attribute[respond_by]": _iso(ticket.respond_by),
            "attribute[intake_ticket_id]": ticket.id,
        }
        for part in ("district", "street", "community", "estate", "entrance", "building", "unit", "room"):
            fields[f"attribute[{part}]"] = getattr(loc, part)
        if ticket.contact:
            contact = ticket.contact if self.include_contact else mask_pii(ticket.contact)
            fields["email" if "@" in contact else "phone"] = contact
        return {k: str(v) for k, v in fields.items() if v not in (None, "")}

    def _auth(self) -> Dict[str, str]:
        return {k: v for k, v in (("api_key", self.api_key), ("jurisdiction_id", self.jurisdiction_id)) if v}

    async def deliver(self, http: aiohttp.ClientSession, ticket: Ticket, kind: str, delivery_id: str) -> Outcome:
        if kind != "filed":
            what = {"amended": "修改", "urged": "催办", "overdue": "超期"}.get(kind, kind)
            return Outcome(ok=False, permanent=True,
                           error=f"adapter {self.name}: GeoReport v2 has no way to send a ticket's {kind} "
                                 f"({what}); pass it to the department by hand (see the ticket's history)")
        problem = self._problem()
        if problem:
            return Outcome(ok=False, error=problem)
        answer = await send(http, "POST", f"{self.url}/requests.json", self.timeout_s, data=self.form(ticket))
        if not isinstance(answer, Answer):
            return answer
        if not answer.ok:
            return answer.failure(_errors(answer.text))
        found = _first_object(answer.text) or {}
        request_id, token = _reference(found.get("service_request_id")), _reference(found.get("token"))
        if not request_id and not token:
            shown = answer.text.strip()[:MAX_REASON] or "(empty answer)"
            return Outcome(ok=False, status_code=answer.status,
                           error=f"HTTP {answer.status} without a service_request_id or token: {shown}")
        return Outcome(ok=True, status_code=answer.status, remote_id=request_id, remote_token=token)

    async def _get_list(self, http: aiohttp.ClientSession, url: str, params: Dict[str, str]) -> List[Dict[str, Any]]:
        answer: Union[Answer, Outcome] = await send(http, "GET", url, self.timeout_s, params=params)
        if not isinstance(answer, Answer):
            raise Open311Error(answer.error)
        if not answer.ok:
            raise Open311Error(answer.failure(_errors(answer.text)).error)
        try:
            data = json.loads(answer.text)
        except ValueError:
            raise Open311Error(f"not JSON: {answer.text.strip()[:MAX_REASON]}") from None
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise Open311Error(f"not a list of requests: {answer.text.strip()[:MAX_REASON]}")
        return data

    async def resolve_token(self, http: aiohttp.ClientSession, token: str) -> Optional[str]:
        """The request id the city has given a token by now; None while it has not."""
        try:
            found = await self._get_list(http, f"{self.url}/tokens/{token}.json", self._auth())
        except Open311Error as exc:
            if "HTTP 404" in str(exc):
                return None  # not filed yet at the city's side
            raise
        return _reference(found[0].get("service_request_id")) if found else None

    async def statuses(self, http: aiohttp.ClientSession, request_ids: List[str]) -> List[RemoteStatus]:
        """The current status of each request the city knows, read in batches of 50."""
        out: List[RemoteStatus] = []
        for start in range(0, len(request_ids), BATCH):
            batch = request_ids[start:start + BATCH]
            found = await self._get_list(http, f"{self.url}/requests.json",
                                         {**self._auth(), "service_request_id": ",".join(batch)})
            for item in found:
                rid, status = item.get("service_request_id"), item.get("status")
                if rid is None or str(rid) not in batch or status not in STATUSES:
                    continue  # another request or a status GeoReport does not have: ignored
                notes = item.get("status_notes")
                out.append(RemoteStatus(service_request_id=str(rid), status=status,
                                        status_notes=str(notes)[:2000] if notes else None))
        return out

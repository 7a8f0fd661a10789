"""Open311 GeoReport v2 over the built-in store (aiohttp routes).

Standard fields as the spec names them, with our fields alongside (category levels, urgency,
structured location, deadline, duplicate_of, reporters_count). Errors use the GeoReport error
shape: a list of {"code", "description"}.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

from aiohttp import web
from pydantic import ValidationError

from appserver.api_keys import has_full_rights, may_file
from classifiers.taxonomy import Taxonomy
from dispatch.schema import Ticket, TicketIn
from dispatch.store import TicketStore, is_repeat
from common import clock
from common.privacy import mask_pii
from common.json_body import dumps, parse_json_object
from common.validation import field_problems
from nlu.gazetteer import default_gazetteer
from nlu.locate import Located, locate
from nlu.placement import place_pin
from nlu.subject import subject_of
from nlu.urgency import needs_top_review

ROUTES = web.RouteTableDef()
PREFIX = "/open311/v2"


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status,
                             dumps=dumps)


def _error(status: int, description: str) -> web.Response:
    return _json([{"code": status, "description": description}], status=status)


def _iso(value: Optional[datetime]) -> Optional[str]:
    return clock.aware(value).isoformat(timespec="seconds") if value else None


def service_code(level1: Optional[str], level2: Optional[str], level3: Optional[str]) -> Optional[str]:
    return "/".join(p for p in (level1, level2, level3) if p) or None


def request_view(ticket: Ticket, full: bool = False) -> Dict[str, Any]:
    """A ticket as a GeoReport v2 service request, plus our fields. Public answers carry nobody's
    identity (no reporter, sender id or contact); ``full`` (an API key with that right) adds the
    reporter and the contact, for a department that calls the resident back."""
    loc = ticket.location
    return {
        "service_request_id": ticket.id,
        "status": ticket.status,
        # a number a resident or an operator wrote into the text is nobody's business in a public answer
        "status_notes": ticket.status_notes if full else mask_pii(ticket.status_notes),
        "service_name": ticket.category.level3 or ticket.category.level2,
        "service_code": service_code(ticket.category.level1, ticket.category.level2, ticket.category.level3),
        "description": ticket.description if full else mask_pii(ticket.description),
        "agency_responsible": ticket.department,
        "service_notice": None,
        "requested_datetime": _iso(ticket.created_at),
        "updated_datetime": _iso(ticket.updated_at),
        "expected_datetime": _iso(ticket.deadline),
        "address": loc.text,
        "address_id": None,
        "zipcode": None,
        "lat": loc.lat,
        "long": loc.lng,
        "media_url": ticket.media[0] if ticket.media else None,
        # extensions
        "channel": ticket.channel,
        "category": ticket.category.dict(),
        "urgency": ticket.urgency,
        "urgency_reasons": ticket.urgency_reasons,
        "urgency_review": ticket.urgency_review,
        "immediate_dispatch": ticket.immediate_dispatch,
        "location": loc.dict(),
        "respond_by": _iso(ticket.respond_by),
        "needs_review": ticket.needs_review,
        "duplicate_of": ticket.duplicate_of,
        "reporters_count": ticket.reporters_count,
        "grade": ticket.grade,
        "media": ticket.media,
        **({"reporter": ticket.reporter, "contact": ticket.contact} if full else {}),
    }


@ROUTES.get(PREFIX + "/services.json")
async def services(request: web.Request) -> web.Response:
    taxonomy: Taxonomy = request.app["taxonomy"]
    out = []
    for path in taxonomy.paths():
        cat = taxonomy.get(path)
        out.append({"service_code": path, "service_name": cat.level3 or cat.level2,
                    "description": f"{cat.level1} / {cat.level2}" + (f" / {cat.level3}" if cat.level3 else ""),
                    "metadata": False, "type": "realtime", "keywords": "", "group": cat.level1,
                    "department": cat.department, "default_urgency": cat.default_urgency,
                    "sla_days": cat.sla_days})
    return _json(out)


async def _request_fields(request: web.Request) -> Dict[str, Any]:
    if request.content_type == "application/json":
        return parse_json_object(await request.text())
    return dict(await request.post())


@ROUTES.post(PREFIX + "/requests.json")
async def create_request(request: web.Request) -> web.Response:
    try:
        fields = await _request_fields(request)
    except ValueError as exc:
        return _error(400, str(exc))
    if not may_file(fields.get("api_key")):
        return _error(403, "invalid or missing api_key")
    description = str(fields.get("description") or "").strip()
    if not description:
        return _error(400, "description is required")
    taxonomy: Taxonomy = request.app["taxonomy"]
    code = fields.get("service_code")
    if code and code not in taxonomy:
        return _error(404, f"unknown service_code {code!r}; see {PREFIX}/services.json")
    try:
        lat = float(fields["lat"]) if fields.get("lat") not in (None, "") else None
        lng = float(fields["long"]) if fields.get("long") not in (None, "") else None
    except (TypeError, ValueError):
        return _error(400, "lat and long must be decimal degrees")
    if (lat is None) != (lng is None) or (lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180)):
        return _error(400, "lat and long must be given together, lat within ±90 and long within ±180")
    address_text = str(fields.get("address_string") or "")
    place = locate(address_text) if address_text.strip() else None
    if (place is None or not place.found) and lat is not None and lng is not None:
        address, placement = place_pin(lat, lng, address_text, default_gazetteer())
        place = Located(address, placement)
    issue = request.app["analyzer"].issue(description, None, taxonomy.get(code) if code else None,
                                          place=place if place is not None and place.found else None)
    location = {**issue["location"], "lat": lat, "lng": lng}
    if address_text:
        location["text"] = address_text
    try:
        ticket_in = TicketIn.from_analysis(
            description, issue["category"], location, issue["urgency"]["level"], issue["urgency"]["reasons"],
            needs_top_review(issue["urgency"]["reasons"]), channel="open311", subject=subject_of(description),
            reporter=" ".join(str(fields.get(k) or "") for k in ("first_name", "last_name")).strip() or None,
            contact=fields.get("phone") or fields.get("email"),
            media=[fields["media_url"]] if fields.get("media_url") else [],
            idempotency_key=fields.get("idempotency_key") or request.headers.get("Idempotency-Key"))
    except ValidationError as exc:
        return _error(400, field_problems(exc))
    store: TicketStore = request.app["store"]
    ticket, created = store.file(ticket_in, issue["category"].get("sla_days"))
    if created:
        request.app["delivery_worker"].wake()
    notice = f"已受理，{ticket.department}负责，预计{ticket.deadline:%Y-%m-%d %H:%M}前办结"
    if is_repeat(ticket_in, ticket, created):
        notice = f"该报告人反映过的同一问题仍在办理，已作为催办记到工单{ticket.id}上"
    elif ticket.duplicate_of:
        notice += f"；与工单{ticket.duplicate_of}为同一问题，已合并处理"
    return _json([{"service_request_id": ticket.id, "service_notice": notice, "account_id": None,
                   "created": created, "duplicate_of": ticket.duplicate_of}], status=201 if created else 200)


def _parse_date(value: Optional[str], name: str) -> Optional[datetime]:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{name} must be an ISO 8601 date, e.g. 2026-11-23T08:00:00+08:00") from None
    return clock.to_local(parsed)


@ROUTES.get(PREFIX + "/requests.json")
async def list_requests(request: web.Request) -> web.Response:
    store: TicketStore = request.app["store"]
    q = request.query
    if q.get("service_request_id"):
        tickets = [store.get(i.strip()) for i in q["service_request_id"].split(",") if i.strip()]
        return _json([request_view(t, has_full_rights(request)) for t in tickets if t])
    try:
        start = _parse_date(q.get("start_date"), "start_date")
        end = _parse_date(q.get("end_date"), "end_date")
        limit = min(int(q.get("limit", 1000)), 1000)
    except ValueError as exc:
        return _error(400, str(exc))
    status = q.get("status")
    if status and status not in ("open", "closed"):
        return _error(400, "status must be open or closed")
    level2 = None
    if q.get("service_code"):
        parts = q["service_code"].split("/")
        level2 = parts[1] if len(parts) > 1 else None
    tickets: List[Ticket] = store.list(status=status, level2=level2, start=start, end=end, limit=limit)
    if q.get("service_code"):
        tickets = [t for t in tickets if service_code(t.category.level1, t.category.level2,
                                                      t.category.level3).startswith(q["service_code"])]
    return _json([request_view(t, has_full_rights(request)) for t in tickets])


@ROUTES.get(PREFIX + "/requests/{request_id}.json")
async def get_request(request: web.Request) -> web.Response:
    ticket = request.app["store"].get(request.match_info["request_id"])
    if ticket is None:
        return _error(404, f"no service request {request.match_info['request_id']}")
    return _json([request_view(ticket, has_full_rights(request))])

"""The voice callback list: what the agent has to tell hotline callers outside a call (a ticket
closed, asking for their satisfaction) waits here for an operator to call them back.

GET /api/callbacks → the callers to ring, oldest first, with what to tell them;
POST /api/callbacks/{id}/done → called back (the answer, e.g. the rating, goes through the console).
Both show callers' numbers, so both need a key with full rights (INTAKE_OPEN311_FULL_KEYS, as
`X-Api-Key`)."""
from __future__ import annotations

from aiohttp import web

from appserver.errors import json_error, query_limit
from appserver.api_keys import refused_without_full_rights
from channels.plain_text import as_plain_text
from common import clock
from common.json_body import dumps


async def list_callbacks(request: web.Request) -> web.Response:
    refused = refused_without_full_rights(request, "the callback list holds callers' numbers")
    if refused is not None:
        return refused
    pending = request.app["notifications"].pending("voice", limit=query_limit(request, default=100, maximum=500))
    return web.json_response({"callbacks": [{"id": p.pk, "caller": p.sender_id, "since": p.created_at,
                                             "say": as_plain_text(p.messages)} for p in pending]}, dumps=dumps)


async def callback_done(request: web.Request) -> web.Response:
    refused = refused_without_full_rights(request, "the callback list holds callers' numbers")
    if refused is not None:
        return refused
    try:
        pk = int(request.match_info["callback_id"])
    except ValueError:
        return json_error(400, "the callback id is a number")
    if not request.app["notifications"].sent(pk, clock.now(), channel="voice"):
        return json_error(404, f"no pending callback {pk}")
    return web.json_response({"id": pk, "done": True})


ROUTES = [web.get("/api/callbacks", list_callbacks), web.post("/api/callbacks/{callback_id}/done", callback_done)]

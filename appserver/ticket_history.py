"""GET /api/tickets/{id}/history: what changed on a ticket after filing, oldest first (resident
amendments, and later operator edits and department statuses)."""
from __future__ import annotations

from aiohttp import web

from appserver.errors import json_error
from common.json_body import dumps


async def ticket_history(request: web.Request) -> web.Response:
    ticket_id = request.match_info["ticket_id"]
    store = request.app["store"]
    if store.get(ticket_id) is None:
        return json_error(404, f"no ticket {ticket_id}")
    return web.json_response([event.dict() for event in store.history(ticket_id)], dumps=dumps)


ROUTES = [web.get("/api/tickets/{ticket_id}/history", ticket_history)]

"""GET /api/handoffs: the conversations waiting for a person, oldest first, for the console.

Sender ids and phone numbers are masked (dispatch/handoffs.py). Until the console has accounts
(issue 15) this list is as public as the app server's port; deployments keep that port internal.
"""
from __future__ import annotations

from aiohttp import web

from appserver.errors import json_error, query_limit
from dispatch.handoffs import STATUSES
from common.json_body import dumps

MAX_LIMIT = 500


async def list_handoffs(request: web.Request) -> web.Response:
    status = request.query.get("status", "waiting")
    if status not in (*STATUSES, "all"):
        return json_error(400, f"'status' must be one of {', '.join((*STATUSES, 'all'))}")
    limit = query_limit(request, maximum=MAX_LIMIT)
    entries = request.app["handoffs"].list(status=None if status == "all" else status, limit=limit)
    return web.json_response([entry.dict() for entry in entries], dumps=dumps)


ROUTES = [web.get("/api/handoffs", list_handoffs)]

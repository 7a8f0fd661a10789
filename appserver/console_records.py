"""What the console keeps for people other than operators: the NLU inbox of operators'
corrections for trainers (GET /api/console/inbox, page /console/inbox) and the audit log for
admins (GET /api/console/audit)."""
from __future__ import annotations

from aiohttp import web

from appserver.errors import json_error, query_limit
from common.json_body import dumps
from console.inbox import FIELDS, STATES


async def inbox(request: web.Request) -> web.Response:
    state, field = request.query.get("state", "pending"), request.query.get("field") or None
    if state not in (*STATES, "all"):
        return json_error(400, f"'state' must be one of {', '.join((*STATES, 'all'))}")
    if field and field not in FIELDS:
        return json_error(400, f"'field' must be one of {', '.join(FIELDS)}")
    found = request.app["inbox"].list(None if state == "all" else state, field, limit=query_limit(request))
    return web.json_response({"counts": request.app["inbox"].counts(), "examples": [e.dict() for e in found]},
                             dumps=dumps)


async def audit(request: web.Request) -> web.Response:
    found = request.app["audit"].list(actor=request.query.get("actor") or None,
                                      target=request.query.get("target") or None,
                                      limit=query_limit(request, maximum=1000))
    return web.json_response([e.dict() for e in found], dumps=dumps)


async def inbox_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(request.app["console_static"] / "inbox.html")


ROUTES = [web.get("/api/console/inbox", inbox), web.get("/api/console/audit", audit),
          web.get("/console/inbox", inbox_page)]

"""Deliveries to the city's systems, for operators: what is pending, delivered or dead-lettered,
every try with its reason, and a re-drive for a job an operator has fixed the cause of.

GET /api/deliveries?state=dead&ticket_id=…, GET /api/deliveries/{id}, POST /api/deliveries/{id}/redrive.
Until the console has accounts (issue 15) these are as public as the app server's port;
deployments keep that port internal.
"""
from __future__ import annotations

from aiohttp import web

from appserver.errors import json_error, query_limit
from common import clock
from common.json_body import dumps
from dispatch.outbox import STATES, Outbox

MAX_LIMIT = 500


def outbox(request: web.Request) -> Outbox:
    return request.app["outbox"]


async def list_deliveries(request: web.Request) -> web.Response:
    state = request.query.get("state")
    if state and state not in STATES:
        return json_error(400, f"'state' must be one of {', '.join(STATES)}")
    limit = query_limit(request, maximum=MAX_LIMIT)
    found = outbox(request).list(state=state, ticket_id=request.query.get("ticket_id"), limit=limit)
    return web.json_response({"counts": outbox(request).counts(), "deliveries": [d.dict() for d in found]},
                             dumps=dumps)


async def get_delivery(request: web.Request) -> web.Response:
    found = outbox(request).get(request.match_info["delivery_id"])
    if found is None:
        return json_error(404, f"no delivery {request.match_info['delivery_id']}")
    return web.json_response(found.dict(), dumps=dumps)


async def redrive(request: web.Request) -> web.Response:
    found = outbox(request).redrive(request.match_info["delivery_id"], clock.now())
    if found is None:
        return json_error(404, f"no delivery {request.match_info['delivery_id']}")
    if found.state == "delivered":
        return json_error(409, f"delivery {found.id} was delivered already")
    request.app["delivery_worker"].wake()
    return web.json_response(found.dict(), dumps=dumps)


ROUTES = [web.get("/api/deliveries", list_deliveries),
          web.get("/api/deliveries/{delivery_id}", get_delivery),
          web.post("/api/deliveries/{delivery_id}/redrive", redrive)]

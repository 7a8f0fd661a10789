"""GET /api/schema/ticket.json: the ticket as JSON Schema, with its GeoReport v2 mapping — what
our webhook deliveries carry and what a receiving system can validate against."""
from __future__ import annotations

from aiohttp import web

from common.json_body import dumps
from dispatch.schema import ticket_json_schema


async def ticket_schema(request: web.Request) -> web.Response:
    return web.json_response(ticket_json_schema(), dumps=dumps)


ROUTES = [web.get("/api/schema/ticket.json", ticket_schema)]

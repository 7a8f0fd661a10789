"""GET /api/sla?light=green|yellow|red&grade=A&department=…&limit=…: open tickets with their
deadline light (dispatch/sla.py), nearest deadline first, and how many are green, yellow, red; the
console's page /console/sla (督办看板) reads it.

Operators' view: a console session of an operator, or a key with full rights for a department's or a
supervisor's system (appserver/console_auth.LEGACY_OPERATOR_PATHS) — it was open to anyone who reached
the port, from before the console had accounts."""
from __future__ import annotations

from aiohttp import web

from appserver.errors import json_error, query_limit
from common import clock
from common.json_body import dumps
from dispatch.sla import LIGHTS


async def sla_board(request: web.Request) -> web.Response:
    wanted = request.query.get("light")
    if wanted and wanted not in LIGHTS:
        return json_error(400, f"'light' must be one of {', '.join(LIGHTS)}")
    sla = request.app["sla"]
    grade = request.query.get("grade")
    if grade and grade not in sla.settings.grades:
        return json_error(400, f"'grade' must be one of {', '.join(sla.settings.grades)}")
    now = clock.now()
    board = sla.board(now, wanted, grade, request.query.get("department"),
                      limit=query_limit(request, default=200, maximum=1000))
    grades = {code: g.dict() for code, g in sla.settings.grades.items()}
    # ``at``: the board's time in the tickets' own time zone (the page said the browser's clock beside them)
    return web.json_response({"at": now, "counts": board["counts"], "grades": grades, "yellow_at": sla.settings.yellow_at,
                              "tickets": [e.dict() for e in board["tickets"]]}, dumps=dumps)


async def sla_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(request.app["console_static"] / "sla.html")


ROUTES = [web.get("/api/sla", sla_board), web.get("/console/sla", sla_page)]

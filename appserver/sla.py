"""GET /api/sla?light=green|yellow|red&grade=A&department=…&limit=…: open tickets with their
deadline light (dispatch/sla.py), nearest deadline first, and how many are green, yellow, red.

Operators' view; until the console has accounts (issue 15) it is as public as the app server's
port (it shows no resident's identity)."""
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
    board = sla.board(clock.now(), wanted, grade, request.query.get("department"),
                      limit=query_limit(request, default=200, maximum=1000))
    grades = {code: g.dict() for code, g in sla.settings.grades.items()}
    return web.json_response({"counts": board["counts"], "grades": grades, "yellow_at": sla.settings.yellow_at,
                              "tickets": [e.dict() for e in board["tickets"]]}, dumps=dumps)


ROUTES = [web.get("/api/sla", sla_board)]

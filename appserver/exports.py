"""The departments' export files (dispatch/adapters/export.py), for a department's sync job:

GET /api/exports → the files, per export adapter, department and day;
GET /api/exports/{adapter}/{department}/{YYYY-MM-DD}.{csv|xlsx} → one file.

They hold residents' phone numbers, so both need a key with full rights
(INTAKE_OPEN311_FULL_KEYS, sent as `X-Api-Key` or `api_key`)."""
from __future__ import annotations

import re
from datetime import date

from aiohttp import web

from appserver.api_keys import refused_without_full_rights
from appserver.errors import json_error
from common.json_body import dumps
from dispatch.adapters.export import ExportAdapter

FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(csv|xlsx)$")
TYPES = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _exporters(request: web.Request) -> dict:
    return {n: a for n, a in request.app["adapters"].items() if isinstance(a, ExportAdapter)}


async def list_exports(request: web.Request) -> web.Response:
    refused = refused_without_full_rights(request, "export files hold residents' contacts")
    if refused is not None:
        return refused
    files = []
    for name, adapter in _exporters(request).items():
        if not adapter.directory.is_dir():
            continue
        for path in sorted(adapter.directory.glob("*/*")):
            if FILE.match(path.name):
                files.append({"adapter": name, "department": path.parent.name, "day": path.stem,
                              "format": path.suffix[1:], "bytes": path.stat().st_size,
                              "url": f"/api/exports/{name}/{path.parent.name}/{path.name}"})
    return web.json_response({"files": files}, dumps=dumps)


async def get_export(request: web.Request) -> web.StreamResponse:
    refused = refused_without_full_rights(request, "export files hold residents' contacts")
    if refused is not None:
        return refused
    adapter = _exporters(request).get(request.match_info["adapter"])
    if adapter is None:
        return json_error(404, f"no export adapter {request.match_info['adapter']!r} in settings/dispatch.yml")
    matched = FILE.match(request.match_info["file"])
    if not matched:
        return json_error(400, "the file must be named YYYY-MM-DD.csv or YYYY-MM-DD.xlsx")
    try:
        day = date.fromisoformat(matched.group(1))
    except ValueError:
        return json_error(400, f"{matched.group(1)} is not a date")
    path = adapter.path(request.match_info["department"], day, matched.group(2))
    if not path.is_file():
        return json_error(404, f"no tickets exported for {request.match_info['department']} on {day}")
    return web.FileResponse(path, headers={"Content-Type": TYPES[matched.group(2)],
                                           "Content-Disposition": f"attachment; filename={path.name}"})


ROUTES = [web.get("/api/exports", list_exports),
          web.get("/api/exports/{adapter}/{department}/{file}", get_export)]

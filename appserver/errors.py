"""JSON error answers for every HTTP surface we own: precise for API clients, never a bare 500."""
from __future__ import annotations

import json
import logging
from typing import Any, Dict

from aiohttp import web

log = logging.getLogger(__name__)


def json_error(status: int, message: str, **extra: Any) -> web.Response:
    body: Dict[str, Any] = {"error": message, **extra}
    return web.json_response(body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))


async def read_json_object(request: web.Request) -> Dict[str, Any]:
    """The request body as a JSON object, or an HTTP 400 that says what is wrong with it."""
    raw = await request.text()
    if not raw.strip():
        raise web.HTTPBadRequest(text=_dumps({"error": "request body is empty; send a JSON object"}),
                                 content_type="application/json")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise web.HTTPBadRequest(text=_dumps({"error": f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"}),
                                 content_type="application/json") from None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text=_dumps({"error": "the JSON body must be an object"}),
                                 content_type="application/json")
    return data


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


@web.middleware
async def error_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:  # the one place that turns an unexpected failure into a clear answer
        log.exception("unhandled error on %s %s", request.method, request.path)
        return json_error(500, "internal error; the request was not processed, please retry")


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)

"""JSON error answers for every HTTP surface we own: precise for API clients, never a bare 500."""
from __future__ import annotations

import logging
from typing import Any, Dict, Type, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from common.json_body import dumps, parse_json_object
from common.validation import field_problems

M = TypeVar("M", bound=BaseModel)

log = logging.getLogger(__name__)


def json_error(status: int, message: str, **extra: Any) -> web.Response:
    body: Dict[str, Any] = {"error": message, **extra}
    return web.json_response(body, status=status, dumps=dumps)


async def read_json_object(request: web.Request) -> Dict[str, Any]:
    """The request body as a JSON object, or an HTTP 400 that says what is wrong with it."""
    try:
        return parse_json_object(await request.text())
    except ValueError as exc:
        raise web.HTTPBadRequest(text=dumps({"error": str(exc)}), content_type="application/json") from None


def as_model(model: Type[M], data: Dict[str, Any]) -> M:
    """``data`` (a body, a query string) as ``model``, or an HTTP 400 naming each wrong field."""
    try:
        return model(**data)
    except ValidationError as exc:
        raise web.HTTPBadRequest(text=dumps({"error": field_problems(exc)}), content_type="application/json") from None


async def read_model(request: web.Request, model: Type[M]) -> M:
    return as_model(model, await read_json_object(request))


def query_limit(request: web.Request, default: int = 100, maximum: int = 500) -> int:
    """The `limit` query parameter of a list, or an HTTP 400 that says what it must be."""
    try:
        limit = int(request.query.get("limit", str(default)))
    except ValueError:
        raise web.HTTPBadRequest(text=dumps({"error": "'limit' must be a whole number"}),
                                 content_type="application/json") from None
    if not 1 <= limit <= maximum:
        raise web.HTTPBadRequest(text=dumps({"error": f"'limit' must lie between 1 and {maximum}"}),
                                 content_type="application/json")
    return limit


@web.middleware
async def error_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:  # the one place that turns an unexpected failure into a clear answer
        log.exception("unhandled error on %s %s", request.method, request.path)
        return json_error(500, "internal error; the request was not processed, please retry")

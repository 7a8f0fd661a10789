"""POST /api/tickets/{id}/status: a dispatch system reports what the department did (signed, see
signature.py; secret INTAKE_STATUS_SECRET), applied by status_updates.py: the ticket and its
history are updated; when it is closed, the residents' conversations are asked for their
satisfaction (Rasa's trigger_intent) and the question waits in the notification queue for their
channel.

GET /api/chat/updates?sender=…: what the agent sent a web-page resident outside a chat turn."""
from __future__ import annotations

import json
import os

from aiohttp import web

from appserver.errors import json_error
from appserver.status_updates import apply_status
from common.json_body import dumps
from common.signature import signature_problem
from dispatch.schema import STATUSES

MAX_NOTE = 2000


async def ticket_status(request: web.Request) -> web.Response:
    secret = os.environ.get("INTAKE_STATUS_SECRET")
    if not secret:
        return json_error(503, "status updates are not configured: set INTAKE_STATUS_SECRET")
    body = await request.read()
    problem = signature_problem(secret, request.headers.get("X-Intake-Timestamp"),
                                request.headers.get("X-Intake-Signature"), body)
    if problem:
        return json_error(401, problem)
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return json_error(400, "the body must be JSON")
    if not isinstance(data, dict) or data.get("status") not in STATUSES:
        return json_error(400, f"'status' must be one of {', '.join(STATUSES)}")
    note = data.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        return json_error(400, f"'note' must be a string of at most {MAX_NOTE} characters")
    applied = await apply_status(request.app, request.match_info["ticket_id"], data["status"], "department", note)
    if applied is None:
        return json_error(404, f"no ticket {request.match_info['ticket_id']}")
    return web.json_response({"id": applied.ticket.id, "status": applied.ticket.status,
                              "satisfaction_asked": applied.ticket.id in applied.asked,
                              "linked_closed": applied.linked_closed}, dumps=dumps)


async def chat_updates(request: web.Request) -> web.Response:
    sender = request.query.get("sender", "")
    if not sender.strip() or len(sender) > 128:
        return json_error(400, "'sender' must be a non-empty string of at most 128 characters")
    # only the web page's own queue: a WeChat openid must not read that resident's messages here
    return web.json_response(request.app["notifications"].take(sender, "web"), dumps=dumps)


ROUTES = [web.post("/api/tickets/{ticket_id}/status", ticket_status), web.get("/api/chat/updates", chat_updates)]

"""POST /api/tickets/{id}/status: a dispatch system reports what the department did (signed, see
signature.py; secret INTAKE_STATUS_SECRET). The ticket and its history are updated; when it is
closed, the resident's conversation is asked for their satisfaction (Rasa's trigger_intent) and
the question waits in the notification queue for their channel.

GET /api/chat/updates?sender=…: what the agent sent a web-page resident outside a chat turn."""
from __future__ import annotations

import json
import logging
import os

import aiohttp
from aiohttp import web

from appserver.errors import json_error
from common.signature import signature_problem
from dispatch.schema import STATUSES
from common.json_body import dumps
from common.privacy import mask_id

log = logging.getLogger(__name__)
CLOSED_INTENT = "EXTERNAL_ticket_closed"
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
    store = request.app["store"]
    before = store.get(request.match_info["ticket_id"])
    if before is None:
        return json_error(404, f"no ticket {request.match_info['ticket_id']}")
    ticket = store.set_status(before.id, data["status"], "department", note)
    asked = False
    if ticket.status == "closed" and before.status != "closed" and ticket.reporter:
        asked = await ask_satisfaction(request.app, ticket.reporter, ticket.channel, ticket.id)
    return web.json_response({"id": ticket.id, "status": ticket.status, "satisfaction_asked": asked}, dumps=dumps)


async def ask_satisfaction(app: web.Application, sender: str, channel: str, ticket_id: str) -> bool:
    """Run the closed-ticket turn in the resident's conversation; queue what the agent says."""
    url = f"{app['rasa_url']}/conversations/{sender}/trigger_intent"
    payload = {"name": CLOSED_INTENT, "entities": {"ticket_id": ticket_id}}
    try:
        async with app["http"].post(url, json=payload, timeout=aiohttp.ClientTimeout(total=30)) as resp:
            if resp.status != 200:
                log.warning("rasa answered %s when asking %s about ticket %s", resp.status, mask_id(sender), ticket_id)
                return False
            messages = (await resp.json()).get("messages") or []
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("rasa unreachable when asking about ticket %s: %s", ticket_id, exc)
        return False
    app["notifications"].add(sender, channel, messages)
    return True


async def chat_updates(request: web.Request) -> web.Response:
    sender = request.query.get("sender", "")
    if not sender.strip() or len(sender) > 128:
        return json_error(400, "'sender' must be a non-empty string of at most 128 characters")
    # only the web page's own queue: a WeChat openid must not read that resident's messages here
    return web.json_response(request.app["notifications"].take(sender, "web"), dumps=dumps)


ROUTES = [web.post("/api/tickets/{ticket_id}/status", ticket_status), web.get("/api/chat/updates", chat_updates)]

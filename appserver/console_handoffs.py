"""An operator takes a handed-off conversation over, live: take it (the agent pauses in that
conversation — Rasa's pause event — and the resident is told a person is here), read what the
resident writes as it arrives, answer on the resident's own channel, and hand the conversation
back to the agent or end it. The entry says who has it, so two operators never answer one
resident at once.

GET /api/console/handoffs/{id}; POST …/take, …/say {"text"}, …/close; page /console/handoffs/{id}.
"""
from __future__ import annotations

from typing import Tuple

from aiohttp import web
from pydantic import BaseModel, Field

from appserver.console_auth import account_of
from appserver.errors import json_error, read_model
from appserver.rasa_conversation import append_events, transcript
from common.json_body import dumps
from dispatch.handoffs import Handoff, HandoffError

JOINED = "您好，人工坐席已接入，请直接说明您的情况。"
LEFT = "人工坐席已结束本次服务。您可以继续向智能客服反映问题，如需再次转人工请回复“转人工”。"
PREFIX = "【人工坐席】"


class Said(BaseModel):
    text: str = Field(..., min_length=1, max_length=500)


def entry_of(request: web.Request) -> Tuple[Handoff, str]:
    try:
        found = request.app["handoffs"].entry(int(request.match_info["handoff_id"]))
    except ValueError:
        found = None
    if found is None:
        raise web.HTTPNotFound(text=dumps({"error": f"没有转人工会话{request.match_info['handoff_id']}"}),
                               content_type="application/json")
    return found


async def say_to_resident(request: web.Request, sender: str, channel: str, text: str) -> None:
    """To the resident on their channel, and into the transcript the agent and operators read."""
    request.app["notifications"].add(sender, channel, [{"text": text}])
    await append_events(request.app, sender, [{"event": "bot", "text": text, "metadata": {"operator": True}}])


async def get_handoff(request: web.Request) -> web.Response:
    entry, sender = entry_of(request)
    live = await transcript(request.app, sender)
    return web.json_response({"handoff": entry.dict(), "transcript": live["said"], "paused": live["paused"]},
                             dumps=dumps)


async def take(request: web.Request) -> web.Response:
    entry, sender = entry_of(request)
    operator = account_of(request).username
    try:
        taken = request.app["handoffs"].take(entry.id, operator)
    except HandoffError as exc:
        return json_error(409, str(exc))
    if entry.status == "waiting":
        if not await append_events(request.app, sender, [{"event": "pause"}]):
            request.app["handoffs"].close(entry.id, operator)
            return json_error(503, "对话服务暂时不可用，未能接入该会话，请稍后再试")
        await say_to_resident(request, sender, entry.channel, JOINED)
    request.app["audit"].record(operator, "handoff_take", str(entry.id))
    return web.json_response({"handoff": taken.dict()}, dumps=dumps)


def require_mine(request: web.Request, entry: Handoff) -> None:
    """An HTTP 409 saying why, unless the conversation is taken by this operator (or an admin asks)."""
    account = account_of(request)
    why = None
    if entry.status != "taken":
        why = f"会话{entry.id}{'已结束' if entry.status == 'closed' else '尚未接入，请先接入'}"
    elif entry.taken_by != account.username and account.role != "admin":
        why = f"会话{entry.id}由{entry.taken_by}接入，您不能代为回复"
    if why:
        raise web.HTTPConflict(text=dumps({"error": why}), content_type="application/json")


async def say(request: web.Request) -> web.Response:
    entry, sender = entry_of(request)
    said = await read_model(request, Said)
    require_mine(request, entry)
    await say_to_resident(request, sender, entry.channel, PREFIX + said.text.strip())
    request.app["audit"].record(account_of(request).username, "handoff_say", str(entry.id), text=said.text)
    return web.json_response({"sent": True})


async def close(request: web.Request) -> web.Response:
    entry, sender = entry_of(request)
    operator = account_of(request).username
    if entry.status == "taken":
        require_mine(request, entry)
    try:
        closed = request.app["handoffs"].close(entry.id, operator)
    except HandoffError as exc:
        return json_error(409, str(exc))
    if entry.status == "taken":  # the agent answers again
        await say_to_resident(request, sender, entry.channel, LEFT)
        await append_events(request.app, sender, [{"event": "resume"}])
    request.app["audit"].record(operator, "handoff_close", str(entry.id))
    return web.json_response({"handoff": closed.dict()}, dumps=dumps)


async def handoff_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(request.app["console_static"] / "handoff.html")


ROUTES = [web.get("/api/console/handoffs/{handoff_id}", get_handoff),
          web.post("/api/console/handoffs/{handoff_id}/take", take),
          web.post("/api/console/handoffs/{handoff_id}/say", say),
          web.post("/api/console/handoffs/{handoff_id}/close", close),
          web.get("/console/handoffs/{handoff_id}", handoff_page)]

"""A resident's conversation as Rasa keeps it, read and written through Rasa's HTTP API (the
server runs with --enable-api): the transcript an operator reads, and the events that let a
person take a conversation over (pause: the agent stops answering; resume: it answers again)
with what the person said kept in the same transcript."""
from __future__ import annotations

import logging
from typing import Any, Dict, List

import aiohttp
from aiohttp import web

from common.privacy import mask_id, mask_pii

log = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=10)
EXTERNAL_PREFIX = "EXTERNAL: "  # rasa.shared.core.constants.EXTERNAL_MESSAGE_PREFIX


def _url(app: web.Application, sender: str) -> str:
    return f"{app['rasa_url']}/conversations/{sender}/tracker"


def _external(event: Dict[str, Any]) -> bool:
    """An intent the app server triggered (a closed ticket's rating question), not the resident's
    words: Rasa writes it as a user message 「EXTERNAL: EXTERNAL_ticket_closed」."""
    return event["event"] == "user" and ((event.get("metadata") or {}).get("is_external")
                                         or str(event.get("text")).startswith(EXTERNAL_PREFIX))


async def transcript(app: web.Application, sender: str, turns: int = 60) -> Dict[str, Any]:
    """{"said": [{"who": resident|agent, "text", "intent" (the resident's, as the agent read it)}],
    "paused": bool}; masked; empty when Rasa is away."""
    try:
        async with app["http"].get(_url(app, sender), timeout=TIMEOUT) as resp:
            if resp.status != 200:
                log.warning("rasa answered %s for the transcript of %s", resp.status, mask_id(sender))
                return {"said": [], "paused": False}
            tracker = await resp.json()
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        log.warning("no transcript for %s: %s", mask_id(sender), exc)
        return {"said": [], "paused": False}
    said = [{"who": "resident", "text": mask_pii(e["text"]),
             "intent": ((e.get("parse_data") or {}).get("intent") or {}).get("name")} if e["event"] == "user"
            else {"who": "agent", "text": mask_pii(e["text"])}
            for e in tracker.get("events") or []
            if e.get("event") in ("user", "bot") and e.get("text") and not _external(e)]
    return {"said": said[-turns:], "paused": bool(tracker.get("paused"))}


async def append_events(app: web.Application, sender: str, events: List[Dict[str, Any]]) -> bool:
    """Add events to the conversation; False (logged) when Rasa did not take them."""
    try:
        async with app["http"].post(_url(app, sender) + "/events", json=events, timeout=TIMEOUT) as resp:
            if resp.status == 200:
                return True
            log.warning("rasa answered %s adding events to %s", resp.status, mask_id(sender))
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("rasa unreachable adding events to %s: %s", mask_id(sender), exc)
    return False

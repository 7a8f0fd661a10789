"""A status the dispatch side reports — by the signed status webhook, by Open311 polling, later by
the console — applied the same way: the ticket and its history updated, and on closure every
resident who reported it (the tickets linked to it as the same problem are closed with it, 合并办理)
asked for their satisfaction on the channel they used."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import List, Optional

import aiohttp
from aiohttp import web

from common.privacy import mask_id
from dispatch.schema import Ticket

log = logging.getLogger(__name__)
CLOSED_INTENT = "EXTERNAL_ticket_closed"


@dataclass
class Applied:
    ticket: Ticket  # as it is now
    linked_closed: List[str] = field(default_factory=list)  # duplicates closed with it
    asked: List[str] = field(default_factory=list)  # tickets whose residents were asked for a rating


async def apply_status(app: web.Application, ticket_id: str, status: str, actor: str,
                       note: Optional[str] = None) -> Optional[Applied]:
    """None when there is no such ticket."""
    store = app["store"]
    before = store.get(ticket_id)
    if before is None:
        return None
    applied = Applied(store.set_status(ticket_id, status, actor, note))
    if not (applied.ticket.status == "closed" and before.status != "closed"):
        return applied
    closed = [applied.ticket]
    for duplicate in store.open_duplicates(ticket_id):
        merged_note = f"与工单{ticket_id}合并办理：{note}" if note else f"与工单{ticket_id}合并办理，已办结"
        closed.append(store.set_status(duplicate.id, "closed", actor, merged_note))
        applied.linked_closed.append(duplicate.id)
    applied.asked = [t.id for t in closed
                     if t.resident_id() and await ask_satisfaction(app, t.resident_id(), t.channel, t.id)]
    return applied


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

"""Hands the conversation to a person: on request (「转人工」), after messages not understood
twice in a row, or at once for a distressed or abusive message (nlu/handoff_component.py).

The queue entry carries the transcript and the half-told report (GET /api/handoffs); the resident
is told what happens next, a distressed one gets the crisis hotlines first.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.intake_draft import channel_of
from actions.parse_data import latest
from dispatch.handoffs import HandoffQueue
from common.privacy import mask_id
from nlu.conversation_settings import conversation_settings

log = logging.getLogger(__name__)
#: how much of the conversation goes with the entry
TRANSCRIPT_TURNS = 30
PENDING_SLOTS = ("problem_description", "location", "urgency", "contact", "ticket_id")


@lru_cache(maxsize=1)
def handoff_queue() -> HandoffQueue:
    return HandoffQueue()


def transcript(tracker: Tracker) -> List[Dict[str, str]]:
    lines = [{"who": "resident" if e["event"] == "user" else "agent", "text": e.get("text") or ""}
             for e in tracker.events if e.get("event") in ("user", "bot") and e.get("text")]
    return lines[-TRANSCRIPT_TURNS:]


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> List[Dict[Text, Any]]:
    settings = conversation_settings()
    pending = {name: tracker.get_slot(name) for name in PENDING_SLOTS if tracker.get_slot(name)}
    category = tracker.get_slot("problem_category") or {}
    if category.get("level3"):  # the whole path: an operator filing the ticket for the resident starts from it
        pending["category"] = "/".join(filter(None, (category.get(level) for level in ("level1", "level2", "level3"))))
    entry = handoff_queue().hand_off(
        tracker.sender_id, channel_of(tracker), reason,
        transcript(tracker), pending)
    log.info("conversation %s handed off (%s), queue entry %s", mask_id(tracker.sender_id), reason, entry.id)
    if reason == "distressed":
        dispatcher.utter_message(text=settings.crisis_advice)
    elif reason == "abusive":
        dispatcher.utter_message(text="理解您现在很着急，也很不满意。")
    elif reason == "about_service":
        dispatcher.utter_message(text="非常抱歉给您带来了不好的体验，您对热线服务的意见由值班坐席直接受理。")
    # asked again while waiting (the entry was there before): told it is under way, not the announcement again
    waiting = entry.status == "waiting" and entry.created_at < entry.updated_at and reason == "requested"
    dispatcher.utter_message(text=settings.handoff_waiting_reply if waiting else settings.handoff_reply)
    events: List[Dict[Text, Any]] = []
    if tracker.active_loop.get("name"):
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        kind = (latest(tracker, "distress") or {}).get("kind")
        return hand_off(dispatcher, tracker, kind or "requested")

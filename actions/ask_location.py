"""Asks for the place, unless the slot validation has just asked in its own words.

Rasa's form runs `action_ask_location` (instead of `utter_ask_location`) whenever the slot is
still empty; after 「深盐路涉及几个地方，请问是哪一处？」 or 「不在本平台服务范围」 a second generic
「请问问题发生在哪里？」 would only confuse the resident.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


def answered_this_turn(tracker: Tracker) -> bool:
    """True when the bot already said something after the resident's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and event.get("text"):
            return True
    return False


class ActionAskLocation(Action):
    def name(self) -> Text:
        return "action_ask_location"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        if not answered_this_turn(tracker):
            dispatcher.utter_message(response="utter_ask_location")
        return []

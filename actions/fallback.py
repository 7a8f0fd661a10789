"""A message the agent cannot understand is answered with a request to rephrase; when that
happens twice in a row (settings/conversation.yml), a person takes over."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import hand_off
from nlu.conversation_settings import conversation_settings
from nlu.normalize import mostly_latin

FALLBACK_INTENT = "nlu_fallback"


def failed_in_a_row(tracker: Tracker) -> int:
    """How many of the resident's latest messages in a row were not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") != FALLBACK_INTENT:
            break
        count += 1
    return count


class ActionHandleFallback(Action):
    def name(self) -> Text:
        return "action_handle_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        if failed_in_a_row(tracker) >= conversation_settings().handoff_after_failed_turns:
            return hand_off(dispatcher, tracker, "not_understood")
        latin = mostly_latin(tracker.latest_message.get("text") or "")
        dispatcher.utter_message(response="utter_default_latin" if latin else "utter_default")
        return []

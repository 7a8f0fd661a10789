"""「取消」「算了，不报了」: drops the report being told, files nothing, and says so."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.intake_draft import INTAKE_SLOTS, cleared


class ActionCancelIntake(Action):
    def name(self) -> Text:
        return "action_cancel_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        in_progress = tracker.active_loop.get("name") or tracker.get_slot("stage") in ("confirming", "emergency") \
            or any(tracker.get_slot(name) for name in ("problem_description", "location"))
        dispatcher.utter_message(response="utter_cancelled" if in_progress else "utter_nothing_to_cancel")
        events: List[Dict[Text, Any]] = cleared(tracker, (*INTAKE_SLOTS, "stage"))
        if tracker.active_loop.get("name"):
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events

"""Slot validation for the intake form, one method per slot (rasa-sdk FormValidationAction)."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.parse_data import combined_urgency, latest, problem_type
from actions.place_choice import choice_buttons, choose, complete
from dispatch.schema import MAX_DESCRIPTION
from nlu.address import Address
from nlu.location import text_without_place
from nlu.placement import CHOOSE, OUTSIDE
from nlu.normalize import has_meaningful_text


class ValidateIntakeForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_intake_form"

    def validate_problem_description(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if tracker.get_slot("requested_slot") != "problem_description" and len(text_without_place(text)) < 2:
            # a bare address opened the conversation: keep it for the location, ask for the problem
            return {"problem_description": None}
        if not has_meaningful_text(text):
            dispatcher.utter_message(response="utter_problem_unclear")
            return {"problem_description": None}
        predicted = problem_type(tracker)
        urgency = combined_urgency(tracker, predicted.get("default_urgency"))
        slots: Dict[Text, Any] = {"problem_description": text[:MAX_DESCRIPTION],
                                  "problem_category": predicted or None,
                                  "urgency": urgency.level, "urgency_reasons": urgency.reasons}
        return slots

    def validate_location(self, value: Any, dispatcher: CollectingDispatcher,
                          tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        pending = tracker.get_slot("location_candidates")
        if pending:
            chosen = choose((tracker.latest_message or {}).get("text") or str(value or ""), pending)
            if chosen:
                address = complete(tracker.get_slot("location_detail"), chosen)
                return {"location": address.display(), "location_detail": address.to_dict(),
                        "location_candidates": None}
        address = Address.from_dict(latest(tracker, "address"))
        placement = latest(tracker, "placement") or {}
        status = placement.get("status")
        if status == OUTSIDE:
            dispatcher.utter_message(response="utter_location_outside", note=placement.get("note", ""))
            return {"location": None, "location_detail": None, "location_candidates": None}
        if status == CHOOSE and placement.get("candidates"):
            dispatcher.utter_message(response="utter_location_choose", place=address.text or address.display(),
                                     options="；".join(b["title"] for b in choice_buttons(placement["candidates"])),
                                     buttons=choice_buttons(placement["candidates"]))
            return {"location": None, "location_detail": address.to_dict(),
                    "location_candidates": placement["candidates"]}
        if not address.is_dispatchable():
            doubts = placement.get("doubts") or []
            if doubts:
                dispatcher.utter_message(response="utter_location_doubt", doubts="；".join(doubts))
            else:
                dispatcher.utter_message(response="utter_location_unclear")
            return {"location": None, "location_detail": None, "location_candidates": None}
        return {"location": address.display(), "location_detail": address.to_dict(), "location_candidates": None}

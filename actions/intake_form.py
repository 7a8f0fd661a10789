"""Slot validation for the intake form, one method per slot (rasa-sdk FormValidationAction)."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.parse_data import combined_urgency, latest, problem_type
from dispatch.schema import MAX_DESCRIPTION
from nlu.address import Address
from nlu.location import text_without_place
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
        address = Address.from_dict(latest(tracker, "address"))
        if not address.is_dispatchable():
            dispatcher.utter_message(response="utter_location_unclear")
            return {"location": None, "location_detail": None}
        return {"location": address.display(), "location_detail": address.to_dict()}


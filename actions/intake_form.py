"""Slot validation for the intake form, one method per slot (rasa-sdk FormValidationAction).

Questions are not uttered here: the form asks with `utter_ask_<slot>`, whose variation the
slots `problem_issue` / `location_issue` choose. When both slots are filled, the summary and
the next stage (confirm, or file at once for 特急) are set in the same call.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.intake_draft import changed_slots, drafts, slot_values, stage_for, summary
from actions.parse_data import combined_urgency, latest, latest_place, latest_text, problem_type
from actions.place_choice import choose, complete
from actions.place_slots import place_slots, settled
from dispatch.schema import MAX_DESCRIPTION
from intake import clock
from nlu.location import text_without_place
from nlu.normalize import has_meaningful_text
from nlu.urgency import default_rules
from nlu.vague import is_bare_request

REQUIRED = ("problem_description", "location")
CJK = re.compile(r"[\u4e00-\u9fff]")


def emergency_advice() -> str:
    return default_rules().levels.get("特急", {}).get("advice", "")


class ValidateIntakeForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_intake_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        before = dict(tracker.slots)  # rasa-sdk writes the validated values into the tracker
        events = await super().run(dispatcher, tracker, domain)
        updates = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        # nothing validated: leave the events alone, so that Rasa can reject the form for this turn
        if not any(name in updates for name in REQUIRED):
            return events
        values = slot_values(tracker, updates)
        if all(values.get(name) for name in REQUIRED):
            planned = drafts(tracker, values)
            updates.update(intake_summary=summary(planned, clock.now()), stage=stage_for(planned))
        others = [e for e in events if e.get("event") != "slot"]
        # the form's own slots always (Rasa counts them as validated), the rest only when changed
        return others + changed_slots(before, updates, keep=(*REQUIRED, "requested_slot"))

    def validate_problem_description(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if text and text == tracker.get_slot("classified_text") and tracker.get_slot("problem_category"):
            return {"problem_description": text}  # validated before (the form was restarted)
        if tracker.get_slot("requested_slot") != "problem_description" and len(text_without_place(text)) < 2:
            # a bare address opened the conversation: keep it for the location, ask for the problem
            return {"problem_description": None, "problem_issue": None}
        if is_bare_request(text):
            return {"problem_description": None, "problem_issue": "vague"}
        predicted = problem_type(tracker)
        if not has_meaningful_text(text) or (not CJK.search(text) and predicted.get("needs_review", True)):
            # no words at all, or Latin letters the problem-type model cannot place (「qwe」)
            return {"problem_description": None, "problem_issue": "unclear"}
        urgency = combined_urgency(latest(tracker, "urgency"), predicted.get("default_urgency"))
        problems = latest(tracker, "problems") if text == latest_text(tracker).strip() else None
        if urgency.level == "特急" or any((p.get("urgency") or {}).get("level") == "特急" for p in problems or []):
            dispatcher.utter_message(text=f"⚠️ {emergency_advice()}")
        return {"problem_description": text[:MAX_DESCRIPTION], "problem_issue": None, "classified_text": text,
                "problem_category": predicted or None, "urgency": urgency.level,
                "urgency_reasons": urgency.reasons, "problems": problems or None}

    def validate_location(self, value: Any, dispatcher: CollectingDispatcher,
                          tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        pending = tracker.get_slot("location_candidates")
        if pending:
            chosen = choose(latest_text(tracker) or str(value or ""), pending)
            if chosen:
                return settled(complete(tracker.get_slot("location_detail"), chosen))
        address, placement = latest_place(tracker)
        return place_slots(address, placement)

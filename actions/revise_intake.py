"""Applies what the resident says at the summary: a correction (place, building/unit/room,
problem type, urgency) or a detail, then shows the summary again.

「不对，是32栋，不是59栋」 changes only the building of the place already placed;
「不是噪音，是油烟」 re-classifies and keeps the resident's words on the ticket; 「这个很急」
raises the grade (a resident's 「不急」 lowers it no further than the hazards and category say).
A place that needs a question (several streets, outside the area, unclear) re-opens the form.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.intake_draft import drafts, slot_values, stage_for, summary
from actions.intake_form import emergency_advice
from actions.parse_data import latest, latest_place, latest_text
from actions.place_slots import place_slots, settled
from intake import clock
from nlu.address import Address
from nlu.correction import claimed_urgency
from nlu.location import text_without_place
from nlu.urgency import Urgency, assess_urgency, default_rules

#: 「还有，」「另外」 open a further problem; they are not part of it
CONNECTIVE = re.compile(r"^(?:还有就是|还有|另外|此外|对了|同时)[，,、\s]*")
#: the parts of an address that only say where inside a placed building
FINE_PARTS = ("building", "unit", "room")
#: the parts that name the place itself (the deployment's own district is filled in for any address)
COARSE_PARTS = ("street", "community", "estate", "road", "house_number", "poi", "lat")


def _named(address: Address) -> bool:
    return any(getattr(address, part) for part in (*COARSE_PARTS, *FINE_PARTS))


def refine(current: Dict[str, Any], address: Address, withdrawn: List[str]) -> Address:
    """The current place with the building/unit/room the resident corrected."""
    data = dict(current)
    for part in FINE_PARTS:
        if getattr(address, part):
            data[part] = getattr(address, part)
    text = data.get("text") or ""
    old = next((w for w in withdrawn if w and w in text), None)
    data["text"] = text.replace(old, address.text or "") if old else f"{text}{address.text or ''}"
    return Address.from_dict(data)


def regrade(description: str, category: Dict[str, Any], claim: Optional[str]) -> Urgency:
    """The hazards in the description and the category floor; a resident's 紧急 raises it."""
    urgency = assess_urgency(description, (category or {}).get("default_urgency"))
    if claim and default_rules().ranks[claim] > default_rules().ranks[urgency.level]:
        return Urgency(level=claim, reasons=[*urgency.reasons, "居民说明情况紧急"])
    return urgency


def another_problem(tracker: Tracker, problems: List[Dict[str, Any]]) -> bool:
    """「还有，楼道灯也坏了」 at the summary: a report of a different, confidently read problem."""
    if ((tracker.latest_message or {}).get("intent") or {}).get("name") != "report_problem":
        return False
    found = latest(tracker, "problem_type") or {}
    known = {(p.get("problem_type") or {}).get("level3") for p in problems}
    return not found.get("needs_review") and bool(found.get("level3")) and found.get("level3") not in known


def current_problem(tracker: Tracker) -> Dict[str, Any]:
    """The single problem of the intake as validated and revised so far (`classified_text`: the
    slot `problem_description` may already hold this message, mapped by Rasa before this action)."""
    return {"description": tracker.get_slot("classified_text") or tracker.get_slot("problem_description") or "",
            "problem_type": tracker.get_slot("problem_category") or {},
            "urgency": {"level": tracker.get_slot("urgency") or "一般",
                        "reasons": tracker.get_slot("urgency_reasons") or []}}


def new_problem(tracker: Tracker) -> Dict[str, Any]:
    """The problem the latest message reports, at its own place when it names one."""
    return {"description": CONNECTIVE.sub("", latest_text(tracker).strip()), "problem_type": latest(tracker, "problem_type") or {},
            "urgency": latest(tracker, "urgency") or {"level": "一般", "reasons": []},
            "address": latest(tracker, "address") or {}}


def which_problem(problems: List[Dict[str, Any]], withdrawn: List[str]) -> int:
    """The problem a correction is about: the one whose words or category it takes back, else the first."""
    for index, problem in enumerate(problems):
        category = problem.get("problem_type") or {}
        said = problem.get("description", "") + "".join(str(category.get(k) or "") for k in ("level2", "level3"))
        if any(w and w in said for w in withdrawn):
            return index
    return 0


class ActionReviseIntake(Action):
    def name(self) -> Text:
        return "action_revise_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        text = latest_text(tracker).strip()
        correction = latest(tracker, "correction") or {}
        withdrawn: List[str] = correction.get("withdrawn") or []
        said = correction.get("said", text) if correction else text
        updates: Dict[str, Any] = {}
        problems = [dict(p) for p in tracker.get_slot("problems") or []]
        if not problems:
            problems = [current_problem(tracker)]
        target = which_problem(problems, withdrawn)
        changed = False

        said_claim = claimed_urgency(text)
        if said_claim:
            updates["urgency_claim"] = said_claim
        claim = said_claim or tracker.get_slot("urgency_claim")

        if not correction and another_problem(tracker, problems):
            # 「还有，楼道灯也坏了」: one more ticket, at its own place when the message names one
            problems.append(new_problem(tracker))
            target, changed = len(problems) - 1, True
        else:
            address, placement = latest_place(tracker)
            if _named(address):
                current = tracker.get_slot("location_detail")
                if current and not any(getattr(address, part) for part in COARSE_PARTS):
                    updates.update(settled(refine(current, address, withdrawn)))
                else:
                    slots = place_slots(address, placement)
                    if not slots["location"]:
                        # the new place needs a question: the form asks it, then summarises again
                        return [SlotSet(name, value) for name, value in slots.items()] + [
                            SlotSet("stage", None), FollowupAction("intake_form")]
                    updates.update(slots)
                for problem in problems:  # the corrected place replaces the one they shared
                    problem.pop("address", None)
            corrected_type = correction.get("problem_type")
            category = problems[target].get("problem_type") or {}
            if corrected_type and corrected_type.get("level3") != category.get("level3"):
                problems[target]["problem_type"], changed = corrected_type, True
            content = text_without_place(said)
            if content and len(content) >= 2 and not said_claim:
                # the resident's own words go on the ticket: a correction explains the change
                problems[target]["description"] += f"（{'更正' if correction else '补充'}：{text}）"
                changed = True

        if not updates and not changed:
            dispatcher.utter_message(response="utter_ask_what_to_change" if not said.strip("，。！？ ")
                                     else "utter_change_not_understood")
            return []
        for problem in problems:
            problem["urgency"] = regrade(problem["description"], problem.get("problem_type") or {}, claim).to_dict()
        if len(problems) > 1:
            updates["problems"] = problems
        else:
            only = problems[0]
            updates.update(problem_description=only["description"], classified_text=only["description"],
                           problem_category=only.get("problem_type") or None,
                           urgency=only["urgency"]["level"], urgency_reasons=only["urgency"]["reasons"])

        values = slot_values(tracker, updates)
        planned = drafts(tracker, values)
        events = [SlotSet(name, value) for name, value in updates.items()]
        if stage_for(planned) == "emergency":
            # filed at once by the rule that follows this action on stage=emergency
            dispatcher.utter_message(text=f"⚠️ {emergency_advice()}")
            return events + [SlotSet("stage", "emergency")]
        text_now = summary(planned, clock.now())
        dispatcher.utter_message(response="utter_confirm_intake", intake_summary=text_now)
        return events + [SlotSet("intake_summary", text_now)]

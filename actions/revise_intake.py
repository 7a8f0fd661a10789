"""Applies what the resident says at the summary: a correction (place, building/unit/room,
problem type, urgency), a detail, or one more problem, then shows the summary again.

「不对，是32栋，不是59栋」 changes only the building of the place already placed;
「不是噪音，是油烟」 re-classifies and keeps the resident's words on the ticket; 「这个很急」
raises the grade (a resident's 「不急」 lowers it no further than the hazards and category say).
A place that needs a question (several streets, outside the area, unclear) re-opens the form.
A phone number alone is the number for the call back.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.corrections import (NOTE, claim_reply, nothing_said, place_said, placed_anew, read_change, regrade, reworded,
                                 which_problem)
from actions.intake_draft import changed_slots, drafts, slot_values, stage_for, summary
from actions.intake_form import emergency_advice
from actions.parse_data import latest, latest_intent, latest_text
from actions.switched_problem import dropped_reply, problem_instead
from common import clock
from dispatch.location import Address
from nlu.contact import only_a_phone, phone_in
from nlu.correction import opens_with_claim
from nlu.normalize import normalize_text
from nlu.part_place import estate_place
from nlu.split import strip_connective
from nlu.topic_switch import other_problem
from nlu.vague import content_chars, says_a_name, says_only_when

def another_problem(tracker: Tracker, problems: List[Dict[str, Any]]) -> bool:
    """「还有，楼道灯也坏了」 at the summary: a report of a different, confidently read problem."""
    if latest_intent(tracker) != "report_problem":
        return False
    if says_only_when(latest_text(tracker)):
        return False  # 「每天晚上」: a detail of the problem told, however sure the model is
    if content_chars(latest_text(tracker)) < 2:
        return False  # 「海涛社区文化广场」: a place said at the summary is where, not what (文化市场 0.6)
    if says_a_name(latest_text(tracker)):
        return False  # 「叫顺达物流」: the name of the employer told, not a problem with logistics
    if opens_with_claim(latest_text(tracker)):
        return False  # 「很急，有小孩在旁边玩」: the problem told pressed, and why (a model reading 城市公共设施 0.46 added it)
    found = latest(tracker, "problem_type") or {}
    known = {(p.get("problem_type") or {}).get("level3") for p in problems}
    return not found.get("needs_review") and bool(found.get("level3")) and found.get("level3") not in known


def repeated(said: str, description: str) -> bool:
    """``said`` is the report again or a detail already added to it (a message sent twice, or retried by a
    phone on a bad network) — not a part of it: 「每天晚上」 in 「楼下烧烤店每天晚上吵到两点」 is news."""
    notes = NOTE.findall(description)
    said = normalize_text(said)
    return said in {normalize_text(text) for text in (description, description.split("（")[0], *notes)}


def current_problem(tracker: Tracker) -> Dict[str, Any]:
    """The single problem of the intake as validated and revised so far (`classified_text`: the
    slot `problem_description` may already hold this message, mapped by Rasa before this action)."""
    return {"description": tracker.get_slot("classified_text") or tracker.get_slot("problem_description") or "",
            "problem_type": tracker.get_slot("problem_category") or {},
            "urgency": {"level": tracker.get_slot("urgency") or "一般",
                        "reasons": tracker.get_slot("urgency_reasons") or []}}


def new_problem(tracker: Tracker) -> Dict[str, Any]:
    """The problem the latest message reports, at its own place when it names one; about the estate as a whole
    (「还有一个问题，小区门口的路灯也不亮」 added to 「海景花园3栋电梯坏了」), at the estate without the building."""
    text = latest_text(tracker).strip()
    address = latest(tracker, "address") or {}
    estate = None if Address.from_dict(address).text else estate_place(text, Address.from_dict(
        tracker.get_slot("location_detail")))
    if estate is not None:
        address = estate.to_dict()
    return {"description": strip_connective(text), "problem_type": latest(tracker, "problem_type") or {},
            "urgency": latest(tracker, "urgency") or {"level": "一般", "reasons": []}, "address": address}


class ActionReviseIntake(Action):
    def name(self) -> Text:
        return "action_revise_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        correction = latest(tracker, "correction") or {}
        problems = [dict(p) for p in tracker.get_slot("problems") or []] or [current_problem(tracker)]
        target = which_problem(problems, correction.get("withdrawn") or [])
        updates: Dict[str, Any] = {}

        said = latest_text(tracker).strip()
        if said and any(repeated(said, problem.get("description", "")) for problem in problems):
            # the same message again (sent twice, or retried by a phone on a bad network): nothing new
            dispatcher.utter_message(response="utter_confirm_intake", intake_summary=tracker.get_slot("intake_summary"))
            return []
        if given := phone_in(said):
            # 「我电话13800001111」 offered at the summary is the number for the call back, and so is one said with more
            # (「我电话是13611112222，麻烦尽快联系我」: it was cut from the words and kept nowhere)
            updates["contact"] = given
        if only_a_phone(said):  # nothing more to read
            claim = tracker.get_slot("urgency_claim")
        elif other := other_problem(said):
            # 「算了，说另一个事，…」 at the summary: the problems shown are dropped for the new one (with two
            # shown, 「…，5栋电梯坏了」 was read as moving both to 5栋, the words a note on the first)
            shown = "、".join(problem.get("description", "") for problem in problems)
            dispatcher.utter_message(text=dropped_reply(shown, other))
            problems = [problem_instead(other)]
            updates.update(urgency_claim=None, problems=None)
            claim = None
            place = place_said(tracker, tracker.get_slot("location_detail"))
            if place and place.get("location"):
                updates.update(place)  # 「…，锦绣家园门口垃圾没人清」「…，5栋电梯坏了」: the new problem's place
        elif not correction and another_problem(tracker, problems):
            # 「还有，楼道灯也坏了」: one more ticket, at its own place when the message names one
            problems.append(new_problem(tracker))
            claim = tracker.get_slot("urgency_claim")
        else:
            change = read_change(tracker, tracker.get_slot("location_detail"),
                                 problems[target].get("problem_type") or {}, problems[target].get("description", ""))
            if change.empty:
                dispatcher.utter_message(response="utter_ask_what_to_change" if nothing_said(tracker)
                                         else "utter_change_not_understood")
                return []
            if change.place and not change.place_settled:
                # the new place needs a question: the form asks it, then summarises again
                return changed_slots(tracker.slots, {**change.place, "stage": None}) + [FollowupAction("intake_form")]
            if change.place:
                updates.update(change.place)
                before = Address.from_dict(tracker.get_slot("location_detail")).text
                after = Address.from_dict(change.place.get("location_detail")).text
                for problem in problems:  # the corrected place replaces the one they shared
                    problem.pop("address", None)
                    problem["description"] = placed_anew(problem["description"], before, after)
            if change.category:
                problems[target]["problem_type"] = change.category
            problems[target]["description"] = reworded(problems[target]["description"], change.pairs)
            if change.note:
                problems[target]["description"] += change.note
            if change.claim:
                updates["urgency_claim"] = change.claim
            claim = change.claim or tracker.get_slot("urgency_claim")

        graded = [regrade(problem["description"], problem.get("problem_type") or {}, claim) for problem in problems]
        for problem, urgency in zip(problems, graded):
            problem["urgency"] = urgency.to_dict()
        if claim and claim != tracker.get_slot("urgency_claim") and len(problems) == 1:
            dispatcher.utter_message(text=claim_reply(claim, graded[0]))
        if len(problems) > 1:
            updates["problems"] = problems
        else:
            only = problems[0]
            updates.update(problem_description=only["description"], classified_text=only["description"],
                           problem_category=only.get("problem_type") or None,
                           urgency=only["urgency"]["level"], urgency_reasons=only["urgency"]["reasons"])

        values = slot_values(tracker, updates)
        planned = drafts(tracker, values)
        events = changed_slots(tracker.slots, updates)
        if stage_for(planned) == "emergency":
            # filed at once by the rule that follows this action on stage=emergency
            dispatcher.utter_message(text=f"⚠️ {emergency_advice()}")
            return events + [SlotSet("stage", "emergency")]
        text_now = summary(planned, clock.now())
        dispatcher.utter_message(response="utter_confirm_intake", intake_summary=text_now)
        return events + [SlotSet("intake_summary", text_now)]

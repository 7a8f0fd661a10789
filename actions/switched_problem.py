"""「算了，说另一个事，小区门口垃圾没人清」 while a problem is being told: that problem is dropped and the
intake goes on with the new one (nlu/topic_switch.py). It was added to the first — one ticket
「楼道灯坏了，算了，说另一个事，…」 under the light's category. The resident is told what was dropped
and that it can still be reported after this one."""
from __future__ import annotations

from typing import Any, Dict

from rasa_sdk import Tracker

from actions.corrections import category_of, regrade
from dispatch.schema import MAX_DESCRIPTION
from nlu.conversation_settings import FOLLOW_UP_SLOTS

#: this much of the dropped problem is quoted back to the resident
QUOTED = 20


def _quoted(before: str) -> str:
    return before if len(before) <= QUOTED else before[:QUOTED] + "…"


def dropped_reply(before: str, now: str) -> str:
    return f"好的，「{_quoted(before)}」先不登记，现在登记：{now}。前面的问题如果也要反映，登记完这个后再告诉我。"


def dropped_only(before: str) -> str:
    return f"好的，「{_quoted(before)}」先不登记。"


#: what was asked about the problem told so far (since when, how many households); the resident's number stays
DETAIL_SLOTS = tuple(name for name in FOLLOW_UP_SLOTS if name != "contact")
#: the slots of the problem told so far, cleared when it is dropped before the new one is told
PROBLEM_SLOTS = ("problem_description", "classified_text", "problem_category", "urgency", "urgency_reasons",
                 "urgency_claim", "problems", "problem_issue", *DETAIL_SLOTS)


def problem_instead(other: str) -> Dict[str, Any]:
    """The new problem as revise_intake keeps one (description, problem type, urgency), graded on its own."""
    category = category_of(other)
    return {"description": other[:MAX_DESCRIPTION], "problem_type": category,
            "urgency": regrade(other, category, None).to_dict()}


def slots_instead(tracker: Tracker, other: str) -> Dict[str, Any]:
    """The form's slots for the new problem: what was asked about the dropped one (since when, how many
    households) and the grade the resident asked for it are cleared; the resident's number stays."""
    problem = problem_instead(other)
    return {"problem_description": problem["description"], "classified_text": other,
            "problem_category": problem["problem_type"] or None, "urgency": problem["urgency"]["level"],
            "urgency_reasons": problem["urgency"]["reasons"], "urgency_claim": None, "problems": None,
            **{name: None for name in DETAIL_SLOTS if tracker.get_slot(name) is not None}}

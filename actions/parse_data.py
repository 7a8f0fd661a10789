"""What our NLU components put into a user message's parse data, read from a rasa-sdk tracker."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker

from dispatch.location import Address
from nlu.urgency import Urgency, default_rules

#: actions after which the next resident message starts a new intake
INTAKE_ENDS = ("action_file_ticket", "action_cancel_intake")


def latest(tracker: Tracker, key: str) -> Optional[Any]:
    return (tracker.latest_message or {}).get(key)


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (latest(tracker, "intent") or {}).get("name")


def latest_place(tracker: Tracker) -> Tuple[Address, Dict[str, Any]]:
    """The place the latest message names: what a correction says (「不是海景花园，是锦绣家园」)
    before the first place in the text."""
    correction = latest(tracker, "correction") or {}
    if correction.get("address"):
        return Address.from_dict(correction["address"]), correction.get("placement") or {}
    return Address.from_dict(latest(tracker, "address")), latest(tracker, "placement") or {}


def combined_urgency(found: Optional[Dict[str, Any]], category_default: Optional[str],
                     text: Optional[str] = None) -> Urgency:
    """A message's urgency (UrgencyDetector) raised to the category's default if higher — unless
    ``text`` only asks, thanks or disputes a bill (UrgencyRules.floor_applies)."""
    found = found or {}
    urgency = Urgency(level=found.get("level", "一般"), reasons=list(found.get("reasons") or []))
    return default_rules().with_floor(urgency, category_default, text)


def intake_key(tracker: Tracker) -> str:
    """Identifies one intake: the sender and the time of its first message (the first after the
    previous intake was filed or cancelled). Filing the same intake twice (a retried action, a
    restarted server) reuses this key; the next report gets a new one."""
    started = None
    events: List[Dict[str, Any]] = list(tracker.events)
    for event in reversed(events):
        if event.get("event") == "action" and event.get("name") in INTAKE_ENDS:
            break
        if event.get("event") == "user":
            started = event.get("timestamp")
    return f"{tracker.sender_id}:{started}"


def problem_type(tracker: Tracker) -> Dict[str, Any]:
    return latest(tracker, "problem_type") or {}

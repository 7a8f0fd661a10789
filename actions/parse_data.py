"""What our NLU components put into a user message's parse data, read from a rasa-sdk tracker."""
from __future__ import annotations

from typing import Any, Dict, Optional

from rasa_sdk import Tracker

from nlu.urgency import Urgency, default_rules


def latest(tracker: Tracker, key: str) -> Optional[Any]:
    return (tracker.latest_message or {}).get(key)


def combined_urgency(tracker: Tracker, category_default: Optional[str]) -> Urgency:
    """The message's urgency (UrgencyDetector) raised to the category's default if higher."""
    found = latest(tracker, "urgency") or {}
    urgency = Urgency(level=found.get("level", "一般"), reasons=list(found.get("reasons") or []))
    return default_rules().with_floor(urgency, category_default)


def intake_key(tracker: Tracker) -> str:
    """Identifies one intake: the sender and the time of the message that started the report.
    Filing the same intake twice (a retried action, a restarted server) reuses this key."""
    started = None
    for event in reversed(tracker.events):
        if event.get("event") == "user" and ((event.get("parse_data") or {}).get("intent") or {}).get("name") == "report_problem":
            started = event.get("timestamp")
            break
    return f"{tracker.sender_id}:{started}"


def problem_type(tracker: Tracker) -> Dict[str, Any]:
    return latest(tracker, "problem_type") or {}

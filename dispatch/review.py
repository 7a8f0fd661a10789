"""Operator review of filed tickets: why a ticket needs a person (problem type unsure, place not
confirmed, a grey-zone duplicate, 特急 or perhaps 特急), and what the person decided — approve (a held
ticket is delivered then), reject with a reason, merge into an existing ticket.

Every decision names the version (``updated_at``) the operator saw: a ticket changed since by
someone else is refused with StaleTicket instead of being overwritten silently.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Dict, List, Optional

from common.paths import SETTINGS_DIR
from common.yaml_file import read_yaml
from dispatch.schema import REVIEW_PLACEMENTS, Ticket, TicketIn

#: the review queues a ticket can be in (handoffs and dead deliveries are queues of their own)
TICKET_QUEUES = ("category", "place", "duplicate", "urgent")
OUTCOMES = ("approved", "rejected", "merged")


class ReviewError(ValueError):
    """A decision that cannot be taken; the message says why, for the operator."""


class StaleTicket(ReviewError):
    """The ticket changed after the operator opened it; ``ticket`` is how it is now."""

    def __init__(self, ticket: Ticket) -> None:
        super().__init__(f"工单{ticket.id}已被他人修改（{ticket.updated_at:%H:%M:%S}），请刷新后再操作")
        self.ticket = ticket


@lru_cache(maxsize=1)
def _thresholds() -> Dict[str, Any]:
    """settings/thresholds.yml, read once (an absent file: the defaults)."""
    path = SETTINGS_DIR / "thresholds.yml"
    return (read_yaml(path, ReviewError, "the thresholds") if path.exists() else None) or {}


def category_review_below() -> float:
    """Below this problem-type confidence a ticket is reviewed."""
    return float(_thresholds().get("category_review_below", 0.45))


def category_grade_from() -> float:
    """From this problem-type confidence on, the category's default urgency is the least grade of
    the ticket (a guess below it is no evidence of what the problem is)."""
    return float(_thresholds().get("category_grade_from", 0.15))


def review_reasons(ticket: TicketIn, grey_duplicate: bool) -> List[str]:
    """The queues a newly filed ticket goes to; empty when nobody needs to look at it."""
    reasons = []
    place_unsure = ticket.location.placement in REVIEW_PLACEMENTS
    confidence = ticket.category.confidence
    category_unsure = (not ticket.category.level1 or (confidence is not None and confidence < category_review_below())
                       or (ticket.needs_review and not place_unsure))
    if category_unsure:
        reasons.append("category")
    if place_unsure:
        reasons.append("place")
    if grey_duplicate:
        reasons.append("duplicate")
    if ticket.urgency == "特急" or ticket.urgency_review:
        reasons.append("urgent")
    return reasons


def encode_reasons(reasons: List[str]) -> Optional[str]:
    """Stored as ",category,place," so that one queue is a LIKE away."""
    return f",{','.join(reasons)}," if reasons else None


def decode_reasons(stored: Optional[str]) -> List[str]:
    return [r for r in (stored or "").split(",") if r]


def check_version(ticket: Ticket, seen: Optional[datetime]) -> None:
    if seen is not None and ticket.updated_at.replace(tzinfo=None) != seen.replace(tzinfo=None):
        raise StaleTicket(ticket)

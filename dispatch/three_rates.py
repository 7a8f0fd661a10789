"""The figures a platform reports on its departments every week (Qingdao Shinan: 一周一通报 of 签收及时率、
办结率、满意率; Wuhan and Rongcheng rank by 满意率), for the tickets filed in a period, per department.

- 签收及时率: of the tickets whose response was due (its `respond_by` has passed, or it was answered), the
  share the department answered in time — its first status update (actor "department") by `respond_by`.
- 办结率: the share of the period's tickets closed now; 按期办结率: of those due (deadline passed, or closed),
  the share closed by the deadline (the first closing counts: a ticket reopened after 不满意 was still
  closed on time or not).
- 满意率: of the tickets rated, the share whose latest rating is 满意 or 基本满意 (不满意 is counted too).
A rate with nothing to count is None, not 0 or 1. Duplicates linked to a ticket count as tickets of their
own: each is a resident's report the platform answered.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Dict, Iterable, List, Optional

from pydantic import BaseModel
from sqlalchemy import select

from dispatch.history import TicketEventRow
from dispatch.ratings import RatingRow
from dispatch.store import TicketRow, TicketStore

#: the group of tickets with no department yet (waiting for an operator)
NO_DEPARTMENT = "待定"
#: the row summing all departments
ALL = "全部"
SATISFIED = ("满意", "基本满意")


class DepartmentRates(BaseModel):
    department: str
    filed: int = 0
    response_due: int = 0
    responded_in_time: int = 0
    closed: int = 0
    closure_due: int = 0
    closed_in_time: int = 0
    overdue_open: int = 0  # open past the deadline now
    rated: int = 0
    satisfied: int = 0
    dissatisfied: int = 0

    @staticmethod
    def _share(part: int, whole: int) -> Optional[float]:
        return round(part / whole, 4) if whole else None

    @property
    def response_rate(self) -> Optional[float]:
        return self._share(self.responded_in_time, self.response_due)

    @property
    def closure_rate(self) -> Optional[float]:
        return self._share(self.closed, self.filed)

    @property
    def on_time_rate(self) -> Optional[float]:
        return self._share(self.closed_in_time, self.closure_due)

    @property
    def satisfaction_rate(self) -> Optional[float]:
        return self._share(self.satisfied, self.rated)

    def add(self, other: "DepartmentRates") -> None:
        for name in self.__fields__:
            if name != "department":
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> Dict[str, object]:
        return {**self.dict(), "response_rate": self.response_rate, "closure_rate": self.closure_rate,
                "on_time_rate": self.on_time_rate, "satisfaction_rate": self.satisfaction_rate}


class _Seen:
    """What the history and ratings say of one ticket."""

    def __init__(self) -> None:
        self.first_response: Optional[datetime] = None
        self.first_closed: Optional[datetime] = None
        self.rating: Optional[str] = None


def _closes(event: TicketEventRow) -> bool:
    return event.kind == "status" and (json.loads(event.changes_json).get("status") or {}).get("to") == "closed"


def _seen(events: Iterable[TicketEventRow], ratings: Iterable[RatingRow]) -> Dict[str, _Seen]:
    seen: Dict[str, _Seen] = defaultdict(_Seen)
    for event in events:  # in time order
        one = seen[event.ticket_id]
        if event.actor == "department" and event.kind == "status" and one.first_response is None:
            one.first_response = event.at
        if _closes(event) and one.first_closed is None:
            one.first_closed = event.at
    for rating in ratings:  # in time order: the latest stands
        seen[rating.ticket_id].rating = rating.rating
    return seen


def three_rates(store: TicketStore, since: datetime, until: datetime, now: datetime) -> List[DepartmentRates]:
    """The figures of the tickets filed in [since, until), one row per department (most tickets first),
    then the row of all of them."""
    with store.session() as session:
        tickets = session.execute(select(TicketRow).where(TicketRow.created_at >= since, TicketRow.created_at < until)
                                  ).scalars().all()
        ids = [t.id for t in tickets]
        events, ratings = [], []
        for start in range(0, len(ids), 500):  # an IN list of bounded size on every database
            chunk = ids[start:start + 500]
            events += session.execute(select(TicketEventRow).where(TicketEventRow.ticket_id.in_(chunk))
                                      .order_by(TicketEventRow.at, TicketEventRow.pk)).scalars().all()
            ratings += session.execute(select(RatingRow).where(RatingRow.ticket_id.in_(chunk))
                                       .order_by(RatingRow.at, RatingRow.pk)).scalars().all()
    events.sort(key=lambda e: (e.at, e.pk))
    ratings.sort(key=lambda r: (r.at, r.pk))
    seen = _seen(events, ratings)
    rows: Dict[str, DepartmentRates] = {}
    for ticket in tickets:
        department = ticket.department or NO_DEPARTMENT
        row = rows.setdefault(department, DepartmentRates(department=department))
        one = seen.get(ticket.id) or _Seen()
        row.filed += 1
        if one.first_response is not None or ticket.respond_by <= now:
            row.response_due += 1
            row.responded_in_time += int(one.first_response is not None and one.first_response <= ticket.respond_by)
        row.closed += int(ticket.status == "closed")
        if one.first_closed is not None or ticket.deadline <= now:
            row.closure_due += 1
            row.closed_in_time += int(one.first_closed is not None and one.first_closed <= ticket.deadline)
        row.overdue_open += int(ticket.status == "open" and ticket.deadline <= now)
        if one.rating:
            row.rated += 1
            row.satisfied += int(one.rating in SATISFIED)
            row.dissatisfied += int(one.rating not in SATISFIED)
    ordered = sorted(rows.values(), key=lambda r: (-r.filed, r.department))
    total = DepartmentRates(department=ALL)
    for row in ordered:
        total.add(row)
    return [*ordered, total]

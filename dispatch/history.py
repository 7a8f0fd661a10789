"""What happened to a ticket after it was filed — amended by the resident, re-classified by an
operator, a status reported by the department — one row per change with the old and new values,
so nothing a ticket once said is lost."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, Iterable, List, Optional

from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Integer, String, Text, func, select

from dispatch.database import Base
from common.privacy import mask_pii


class TicketEventRow(Base):
    __tablename__ = "ticket_events"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    ticket_id = Column(String(32), nullable=False, index=True)
    at = Column(DateTime, nullable=False)
    actor = Column(String(32), nullable=False)  # resident, operator, department
    kind = Column(String(32), nullable=False)  # amended, status
    changes_json = Column(Text, nullable=False, default="{}")
    note = Column(Text)


class TicketEvent(BaseModel):
    at: datetime
    actor: str
    kind: str
    changes: Dict[str, Dict[str, Any]]  # field → {"from": …, "to": …}
    note: Optional[str] = None

    @classmethod
    def from_row(cls, row: TicketEventRow) -> "TicketEvent":
        # a number in a changed description or contact is shown masked, as in the note; the row keeps it
        changes = {field: {end: mask_pii(value) if isinstance(value, str) else value for end, value in change.items()}
                   for field, change in json.loads(row.changes_json).items()}
        return cls(at=row.at, actor=row.actor, kind=row.kind, changes=changes,
                   note=mask_pii(row.note) if row.note else None)


def changes_between(old: Dict[str, Any], new: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return {k: {"from": old.get(k), "to": v} for k, v in new.items() if old.get(k) != v}


def event_row(ticket_id: str, at: datetime, actor: str, kind: str, changes: Dict[str, Dict[str, Any]],
              note: Optional[str] = None) -> TicketEventRow:
    return TicketEventRow(ticket_id=ticket_id, at=at, actor=actor, kind=kind, note=note,
                          changes_json=json.dumps(changes, ensure_ascii=False, default=str))


def as_events(rows: List[TicketEventRow]) -> List[TicketEvent]:
    return [TicketEvent.from_row(row) for row in rows]


def urge_counts(session, ticket_ids: Iterable[str]) -> Dict[str, int]:
    """How many times each ticket's resident pressed on it (催办 events), for the tickets asked about."""
    ids = list(ticket_ids)
    if not ids:
        return {}
    rows = session.execute(select(TicketEventRow.ticket_id, func.count()).where(
        TicketEventRow.kind == "urged", TicketEventRow.ticket_id.in_(ids)).group_by(TicketEventRow.ticket_id))
    return {ticket_id: count for ticket_id, count in rows}

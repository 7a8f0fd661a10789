"""The NLU inbox: every correction an operator makes to what the agent understood (the problem
type, the place, the urgency, the intent of a resident's message) becomes a candidate training example — the resident's words, what
the agent said, what the person said instead, who and when — for a trainer to accept into
training_data/ or to set aside."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, List, Optional

from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Integer, String, Text, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from common import clock
from common.privacy import mask_pii
from dispatch.database import Base

FIELDS = ("category", "place", "urgency", "intent")
STATES = ("pending", "accepted", "rejected")


class InboxRow(Base):
    __tablename__ = "nlu_inbox"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    created_at = Column(DateTime, nullable=False, index=True)
    ticket_id = Column(String(32), index=True)
    field = Column(String(16), nullable=False)
    text = Column(Text, nullable=False)
    predicted_json = Column(Text)
    corrected_json = Column(Text, nullable=False)
    author = Column(String(64), nullable=False)
    state = Column(String(16), nullable=False, default="pending", index=True)
    decided_by = Column(String(64))
    decided_at = Column(DateTime)


class InboxExample(BaseModel):
    id: int
    created_at: datetime
    ticket_id: Optional[str]
    field: str
    text: str
    predicted: Any
    corrected: Any
    author: str
    state: str
    decided_by: Optional[str] = None
    decided_at: Optional[datetime] = None

    @classmethod
    def from_row(cls, row: InboxRow) -> "InboxExample":
        return cls(id=row.pk, created_at=row.created_at, ticket_id=row.ticket_id, field=row.field,
                   text=mask_pii(row.text), predicted=json.loads(row.predicted_json or "null"),
                   corrected=json.loads(row.corrected_json), author=row.author, state=row.state,
                   decided_by=row.decided_by, decided_at=row.decided_at)


class NluInbox:
    def __init__(self, engine: Engine) -> None:
        Base.metadata.create_all(engine, tables=[InboxRow.__table__])
        self.session = sessionmaker(engine, future=True, expire_on_commit=False)

    def add(self, field: str, text: str, predicted: Any, corrected: Any, author: str,
            ticket_id: Optional[str] = None, now: Optional[datetime] = None) -> InboxExample:
        """One correction; the same text corrected again replaces the earlier pending example."""
        if field not in FIELDS:
            raise ValueError(f"field must be one of {FIELDS}")
        with self.session.begin() as session:
            row = session.execute(select(InboxRow).where(InboxRow.field == field, InboxRow.text == text,
                                                         InboxRow.state == "pending")).scalars().first()
            if row is None:
                row = InboxRow(field=field, text=text, state="pending")
                session.add(row)
            row.created_at, row.ticket_id, row.author = now or clock.now(), ticket_id, author
            row.predicted_json = json.dumps(predicted, ensure_ascii=False)
            row.corrected_json = json.dumps(corrected, ensure_ascii=False)
            session.flush()
            return InboxExample.from_row(row)

    def list(self, state: Optional[str] = "pending", field: Optional[str] = None, limit: int = 100) -> List[InboxExample]:
        query = select(InboxRow)
        if state:
            query = query.where(InboxRow.state == state)
        if field:
            query = query.where(InboxRow.field == field)
        with self.session() as session:
            rows = session.execute(query.order_by(InboxRow.created_at, InboxRow.pk).limit(limit)).scalars()
            return [InboxExample.from_row(r) for r in rows]

    def pending(self, ids: List[int]) -> List[InboxExample]:
        """The pending examples among ``ids``, in the order given."""
        with self.session() as session:
            rows = {r.pk: r for r in session.execute(select(InboxRow).where(InboxRow.pk.in_(ids),
                                                                            InboxRow.state == "pending")).scalars()}
        return [InboxExample.from_row(rows[i]) for i in ids if i in rows]

    def decide(self, ids: List[int], state: str, who: str, now: Optional[datetime] = None) -> int:
        """Mark pending examples accepted or rejected; how many were."""
        if state not in STATES[1:]:
            raise ValueError(f"state must be one of {STATES[1:]}")
        with self.session.begin() as session:
            rows = session.execute(select(InboxRow).where(InboxRow.pk.in_(ids), InboxRow.state == "pending")).scalars().all()
            for row in rows:
                row.state, row.decided_by, row.decided_at = state, who, now or clock.now()
            return len(rows)

    def counts(self) -> dict:
        with self.session() as session:
            found = session.execute(select(InboxRow.state, func.count()).group_by(InboxRow.state)).all()
        return {state: dict(found).get(state, 0) for state in STATES}

"""The queue of conversations handed to a person (「转人工」, two messages not understood in a
row, a distressed or abusive message), stored beside the tickets for the operator console.

One waiting entry per conversation: asking again updates it instead of queueing twice. The
transcript and the half-told report go with it so that the resident does not repeat anything.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple

from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Integer, String, Text, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from dispatch.database import Base, engine_for
from common import clock
from common.privacy import mask_id, mask_pii

REASONS = ("requested", "not_understood", "distressed", "abusive", "about_service")
STATUSES = ("waiting", "taken", "closed")


class HandoffRow(Base):
    __tablename__ = "handoffs"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    created_at = Column(DateTime, nullable=False, index=True)
    updated_at = Column(DateTime, nullable=False)
    sender_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    reason = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, default="waiting", index=True)
    transcript_json = Column(Text, nullable=False, default="[]")
    pending_json = Column(Text, nullable=False, default="{}")
    taken_by = Column(String(64))  # the operator talking with the resident
    taken_at = Column(DateTime)
    closed_at = Column(DateTime)


class HandoffError(ValueError):
    """The entry is not in a state for this (taken by someone else, closed); says why."""


class Handoff(BaseModel):
    """A queue entry as operators and the API see it: ids and phone numbers masked."""

    id: int
    created_at: datetime
    updated_at: datetime
    sender: str
    channel: str
    reason: str
    status: str
    transcript: List[Dict[str, str]]
    pending: Dict[str, Any]
    taken_by: Optional[str] = None
    taken_at: Optional[datetime] = None
    closed_at: Optional[datetime] = None

    @classmethod
    def from_row(cls, row: HandoffRow) -> "Handoff":
        transcript = [{"who": t["who"], "text": mask_pii(t["text"])} for t in json.loads(row.transcript_json)]
        pending = {k: mask_pii(v) if isinstance(v, str) else v for k, v in json.loads(row.pending_json).items()}
        return cls(id=row.pk, created_at=row.created_at, updated_at=row.updated_at, sender=mask_id(row.sender_id),
                   channel=row.channel, reason=row.reason, status=row.status, transcript=transcript,
                   pending=pending, taken_by=row.taken_by, taken_at=row.taken_at, closed_at=row.closed_at)


class HandoffQueue:
    def __init__(self, url: Optional[str] = None, engine: Optional[Engine] = None) -> None:
        """``engine``: the ticket store's, so that both live in one database."""
        self.engine = engine or engine_for(url)
        self.session = sessionmaker(self.engine, future=True, expire_on_commit=False)

    def hand_off(self, sender_id: str, channel: str, reason: str, transcript: List[Dict[str, str]],
                 pending: Dict[str, Any], now: Optional[datetime] = None) -> Handoff:
        """Queue the conversation, or refresh its waiting entry."""
        if reason not in REASONS:
            raise ValueError(f"reason must be one of {REASONS}, got {reason!r}")
        now = now or clock.now()
        with self.session.begin() as session:
            row = session.execute(select(HandoffRow).where(HandoffRow.sender_id == sender_id,
                                                           HandoffRow.status.in_(("waiting", "taken")))
                                  .order_by(HandoffRow.pk.desc())).scalars().first()
            if row is None:
                row = HandoffRow(created_at=now, sender_id=sender_id, channel=channel, status="waiting")
                session.add(row)
            row.updated_at = now
            if row.status == "waiting":  # asking again while a person talks with them changes nothing
                row.reason = reason
            row.transcript_json = json.dumps(transcript, ensure_ascii=False)
            row.pending_json = json.dumps(pending, ensure_ascii=False)
            session.flush()
            return Handoff.from_row(row)

    def list(self, status: Optional[str] = "waiting", limit: int = 100) -> List[Handoff]:
        """Oldest first: the queue order an operator works in."""
        query = select(HandoffRow)
        if status:
            query = query.where(HandoffRow.status == status)
        query = query.order_by(HandoffRow.created_at, HandoffRow.pk).limit(limit)
        with self.session() as session:
            return [Handoff.from_row(row) for row in session.execute(query).scalars()]

    def entry(self, pk: int) -> Optional[Tuple[Handoff, str]]:
        """The entry and the conversation's real sender id (for the server's own calls, never shown)."""
        with self.session() as session:
            row = session.get(HandoffRow, pk)
            return (Handoff.from_row(row), row.sender_id) if row else None

    def raw_pending(self, pk: int) -> Dict[str, Any]:
        """What the resident had told, unmasked (the contact a ticket filed for them carries; never shown)."""
        with self.session() as session:
            row = session.get(HandoffRow, pk)
            return json.loads(row.pending_json) if row else {}

    def filed(self, pk: int, ticket_id: str, now: Optional[datetime] = None) -> Handoff:
        """A ticket an operator filed for the resident from this conversation, kept on the entry (``filed``)."""
        now = now or clock.now()
        with self.session.begin() as session:
            row = _open_row(session, pk)
            pending = json.loads(row.pending_json)
            pending["filed"] = [*pending.get("filed", []), ticket_id]
            row.pending_json, row.updated_at = json.dumps(pending, ensure_ascii=False), now
            return Handoff.from_row(row)

    def take(self, pk: int, operator: str, now: Optional[datetime] = None) -> Handoff:
        """An operator takes the conversation over; refused when another already has it or it is closed."""
        now = now or clock.now()
        with self.session.begin() as session:
            row = _open_row(session, pk)
            if row.status == "taken" and row.taken_by != operator:
                raise HandoffError(f"会话{pk}已由{row.taken_by}接入")
            row.status, row.taken_by, row.taken_at, row.updated_at = "taken", operator, row.taken_at or now, now
            return Handoff.from_row(row)

    def close(self, pk: int, operator: str, now: Optional[datetime] = None) -> Handoff:
        now = now or clock.now()
        with self.session.begin() as session:
            row = _open_row(session, pk)
            row.status, row.closed_at, row.updated_at = "closed", now, now
            row.taken_by = row.taken_by or operator
            return Handoff.from_row(row)


def _open_row(session, pk: int) -> HandoffRow:
    """The entry, locked for the change; HandoffError when there is none or it is closed."""
    row = session.get(HandoffRow, pk, with_for_update=True)
    if row is None:
        raise HandoffError(f"没有转人工会话{pk}")
    if row.status == "closed":
        raise HandoffError(f"会话{pk}已结束")
    return row

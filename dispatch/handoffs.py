"""The queue of conversations handed to a person (「转人工」, two messages not understood in a
row, a distressed or abusive message), stored beside the tickets for the operator console.

One waiting entry per conversation: asking again updates it instead of queueing twice. The
transcript and the half-told report go with it so that the resident does not repeat anything.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Optional

from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Integer, String, Text, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from dispatch.database import Base, engine_for
from common import clock
from common.privacy import mask_id, mask_pii

REASONS = ("requested", "not_understood", "distressed", "abusive")
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

    @classmethod
    def from_row(cls, row: HandoffRow) -> "Handoff":
        transcript = [{"who": t["who"], "text": mask_pii(t["text"])} for t in json.loads(row.transcript_json)]
        pending = {k: mask_pii(v) if isinstance(v, str) else v for k, v in json.loads(row.pending_json).items()}
        return cls(id=row.pk, created_at=row.created_at, updated_at=row.updated_at, sender=mask_id(row.sender_id),
                   channel=row.channel, reason=row.reason, status=row.status, transcript=transcript,
                   pending=pending)


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
                                                           HandoffRow.status == "waiting")).scalars().first()
            if row is None:
                row = HandoffRow(created_at=now, sender_id=sender_id, channel=channel, status="waiting")
                session.add(row)
            row.updated_at, row.reason = now, reason
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

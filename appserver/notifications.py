"""Messages the agent sends a resident outside a chat turn (a ticket closed, asking for their
satisfaction), kept until they reach the resident: the web page polls GET /api/chat/updates;
WeChat's share is sent through the customer-service message API (wechat_notices.py); hotline
callers' wait on the callback list for an operator (callbacks.py). A message
WeChat cannot take (the resident silent for 48 hours, unfollowed) is kept with the reason, for
operators to call back."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Optional

from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Integer, String, Text, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from common import clock
from dispatch.database import Base, add_missing_columns


class NotificationRow(Base):
    __tablename__ = "notifications"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    created_at = Column(DateTime, nullable=False)
    delivered_at = Column(DateTime, index=True)
    messages_json = Column(Text, nullable=False)
    attempts = Column(Integer)
    last_error = Column(Text)
    next_at = Column(DateTime)
    given_up_at = Column(DateTime, index=True)


class Pending(BaseModel):
    pk: int
    sender_id: str
    messages: List[Dict[str, Any]]
    attempts: int
    created_at: datetime


def _pending(row: NotificationRow) -> Pending:
    return Pending(pk=row.pk, sender_id=row.sender_id, messages=json.loads(row.messages_json),
                   attempts=row.attempts or 0, created_at=row.created_at)


class Notifications:
    def __init__(self, engine: Engine) -> None:
        Base.metadata.create_all(engine, tables=[NotificationRow.__table__])
        add_missing_columns(engine)
        self.session = sessionmaker(engine, future=True, expire_on_commit=False)

    def add(self, sender_id: str, channel: str, messages: List[Dict[str, Any]],
            now: Optional[datetime] = None) -> None:
        with self.session.begin() as session:
            session.add(NotificationRow(sender_id=sender_id, channel=channel, created_at=now or clock.now(),
                                        messages_json=json.dumps(messages, ensure_ascii=False)))

    def take(self, sender_id: str, channel: str, now: Optional[datetime] = None) -> List[Dict[str, Any]]:
        """The messages for ``sender_id`` on ``channel`` not yet delivered, oldest first, marked delivered."""
        with self.session.begin() as session:
            rows = session.execute(select(NotificationRow).where(NotificationRow.sender_id == sender_id,
                                                                 NotificationRow.channel == channel,
                                                                 NotificationRow.delivered_at.is_(None))
                                   .order_by(NotificationRow.pk)).scalars().all()
            for row in rows:
                row.delivered_at = now or clock.now()
            return [m for row in rows for m in json.loads(row.messages_json)]

    def due(self, channel: str, now: datetime, limit: int = 50) -> List[Pending]:
        """Messages a sender pushes (WeChat), not delivered, not given up, due now; oldest first."""
        with self.session() as session:
            rows = session.execute(select(NotificationRow).where(
                NotificationRow.channel == channel, NotificationRow.delivered_at.is_(None),
                NotificationRow.given_up_at.is_(None),
                NotificationRow.next_at.is_(None) | (NotificationRow.next_at <= now))
                .order_by(NotificationRow.pk).limit(limit)).scalars().all()
            return [_pending(r) for r in rows]

    def pending(self, channel: str, limit: int = 100) -> List[Pending]:
        """Every message on ``channel`` not delivered yet, oldest first (the voice callback list)."""
        with self.session() as session:
            rows = session.execute(select(NotificationRow).where(
                NotificationRow.channel == channel, NotificationRow.delivered_at.is_(None))
                .order_by(NotificationRow.pk).limit(limit)).scalars().all()
            return [_pending(r) for r in rows]

    def sent(self, pk: int, now: datetime, channel: Optional[str] = None) -> bool:
        """Marks a message delivered; False when there is no such undelivered message (on
        ``channel``), e.g. another app server delivered it first."""
        condition = (NotificationRow.pk == pk) & NotificationRow.delivered_at.is_(None)
        if channel:
            condition &= NotificationRow.channel == channel
        with self.session.begin() as session:
            return bool(session.execute(update(NotificationRow).where(condition).values(delivered_at=now)).rowcount)

    def failed(self, pk: int, reason: str, final: bool, attempts: int, now: datetime,
               retry_at: Optional[datetime] = None) -> None:
        values: Dict[str, Any] = {"attempts": attempts, "last_error": reason, "next_at": retry_at}
        if final:
            values["given_up_at"] = now
        with self.session.begin() as session:
            session.execute(update(NotificationRow).where(NotificationRow.pk == pk).values(**values))

"""Messages the agent sends a resident outside a chat turn (a ticket closed, asking for their
satisfaction), kept until the resident's channel fetches them: the web page polls
GET /api/chat/updates; WeChat's customer-service sender (issue 16) will read the same queue."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Optional

from sqlalchemy import Column, DateTime, Integer, String, Text, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from dispatch.database import Base
from common import clock


class NotificationRow(Base):
    __tablename__ = "notifications"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    sender_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    created_at = Column(DateTime, nullable=False)
    delivered_at = Column(DateTime, index=True)
    messages_json = Column(Text, nullable=False)


class Notifications:
    def __init__(self, engine: Engine) -> None:
        Base.metadata.create_all(engine, tables=[NotificationRow.__table__])
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

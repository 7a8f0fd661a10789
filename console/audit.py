"""Who changed what in the console, and when: sign-ins (and refused ones), every edit and
decision on a ticket, replies to residents, account changes. Kept in the product's database,
never edited; admins read it at GET /api/console/audit."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Optional

from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Integer, String, Text, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from common import clock
from common.privacy import mask_pii
from dispatch.database import Base


class AuditRow(Base):
    __tablename__ = "console_audit"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, index=True)
    actor = Column(String(64), nullable=False, index=True)
    action = Column(String(48), nullable=False)
    target = Column(String(64), index=True)
    details_json = Column(Text, nullable=False, default="{}")


class AuditEntry(BaseModel):
    at: datetime
    actor: str
    action: str
    target: Optional[str]
    details: Dict[str, Any]


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        Base.metadata.create_all(engine, tables=[AuditRow.__table__])
        self.session = sessionmaker(engine, future=True, expire_on_commit=False)

    def record(self, actor: str, action: str, target: Optional[str] = None, **details: Any) -> None:
        text = mask_pii(json.dumps(details, ensure_ascii=False, default=str))
        with self.session.begin() as session:
            session.add(AuditRow(at=clock.now(), actor=actor[:64], action=action, target=target, details_json=text))

    def list(self, actor: Optional[str] = None, target: Optional[str] = None, limit: int = 100) -> List[AuditEntry]:
        query = select(AuditRow)
        if actor:
            query = query.where(AuditRow.actor == actor)
        if target:
            query = query.where(AuditRow.target == target)
        query = query.order_by(AuditRow.at.desc(), AuditRow.pk.desc()).limit(limit)
        with self.session() as session:
            return [AuditEntry(at=r.at, actor=r.actor, action=r.action, target=r.target,
                               details=json.loads(r.details_json)) for r in session.execute(query).scalars()]

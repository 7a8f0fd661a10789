"""The operators' review queue, oldest first: tickets the agent was unsure of (problem type,
place), grey-zone duplicates, 特急 tickets to follow up, conversations handed to a person, and
deliveries the city's systems refused for good. Counts per queue; filters by street, category,
urgency and age. Served from indexed SQL, so that ten thousand waiting items still open at once.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional

from pydantic import BaseModel, Field, validator
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from common import clock
from common.privacy import mask_id, mask_pii
from dispatch.handoffs import HandoffRow
from dispatch.history import urge_counts
from dispatch.location import Address
from dispatch.outbox import DeliveryRow
from dispatch.review import TICKET_QUEUES, decode_reasons
from dispatch.schema import URGENCIES
from dispatch.store import TicketRow

QUEUES = (*TICKET_QUEUES, "handoff", "dead")
SUMMARY_CHARS = 80


class QueueFilter(BaseModel):
    """What an operator narrows the queue to; ``queue`` None means every ticket waiting for review."""

    queue: Optional[str] = None
    street: Optional[str] = Field(None, max_length=100)
    category: Optional[str] = Field(None, max_length=200)  # a path prefix: 城乡建设 or 城乡建设/市容环卫
    urgency: Optional[str] = None
    older_than_h: Optional[float] = Field(None, ge=0)
    newer_than_h: Optional[float] = Field(None, gt=0)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)

    @validator("queue")
    def _known_queue(cls, value: Optional[str]) -> Optional[str]:
        if value and value not in QUEUES:
            raise ValueError(f"must be one of {', '.join(QUEUES)}")
        return value or None

    @validator("urgency")
    def _known_urgency(cls, value: Optional[str]) -> Optional[str]:
        if value and value not in URGENCIES:
            raise ValueError(f"must be one of {', '.join(URGENCIES)}")
        return value or None


class QueueItem(BaseModel):
    kind: str  # ticket | handoff | delivery
    id: str
    queues: List[str]
    created_at: datetime
    age_minutes: int
    summary: str
    channel: Optional[str] = None
    category: Optional[str] = None
    confidence: Optional[float] = None
    urgency: Optional[str] = None
    street: Optional[str] = None
    place: Optional[str] = None
    held: bool = False
    ticket_id: Optional[str] = None
    urged: int = 0  # times the resident pressed on the ticket (催办), shown on the queue
    detail: Dict[str, Any] = {}


class QueuePage(BaseModel):
    counts: Dict[str, int]
    total: int
    items: List[QueueItem]


def _short(text: str) -> str:
    text = mask_pii(" ".join((text or "").split()))
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS - 1] + "…"


def _age(created: datetime, now: datetime) -> int:
    return max(0, int((now - created).total_seconds() // 60))


class ReviewQueue:
    def __init__(self, engine: Engine) -> None:
        self.session = sessionmaker(engine, future=True, expire_on_commit=False)

    def _ticket_query(self, wanted: QueueFilter, queue: Optional[str], now: datetime):
        query = select(TicketRow).where(TicketRow.status == "open", TicketRow.reviewed_at.is_(None),
                                        TicketRow.review_reasons.is_not(None))
        if queue:
            query = query.where(TicketRow.review_reasons.like(f"%,{queue},%"))
        if wanted.street:
            query = query.where(TicketRow.street == wanted.street)
        if wanted.category:
            parts = wanted.category.strip("/").split("/")
            for column, part in zip((TicketRow.category_level1, TicketRow.category_level2, TicketRow.category_level3), parts):
                query = query.where(column == part)
        if wanted.urgency:
            query = query.where(TicketRow.urgency == wanted.urgency)
        return self._aged(query, TicketRow.created_at, wanted, now)

    @staticmethod
    def _aged(query, column, wanted: QueueFilter, now: datetime):
        if wanted.older_than_h is not None:
            query = query.where(column <= now - timedelta(hours=wanted.older_than_h))
        if wanted.newer_than_h is not None:
            query = query.where(column >= now - timedelta(hours=wanted.newer_than_h))
        return query

    def _handoff_query(self, wanted: QueueFilter, now: datetime):
        return self._aged(select(HandoffRow).where(HandoffRow.status == "waiting"), HandoffRow.created_at, wanted, now)

    def _dead_query(self, wanted: QueueFilter, now: datetime):
        return self._aged(select(DeliveryRow).where(DeliveryRow.state == "dead"), DeliveryRow.created_at, wanted, now)

    def _query(self, queue: Optional[str], wanted: QueueFilter, now: datetime):
        if queue == "handoff":
            return self._handoff_query(wanted, now), HandoffRow.created_at
        if queue == "dead":
            return self._dead_query(wanted, now), DeliveryRow.created_at
        return self._ticket_query(wanted, queue, now), TicketRow.created_at

    def page(self, wanted: QueueFilter, now: Optional[datetime] = None) -> QueuePage:
        now = now or clock.now()
        with self.session() as session:
            counts = self._counts(session, wanted, now)
            query, created = self._query(wanted.queue, wanted, now)
            total = counts[wanted.queue] if wanted.queue else session.execute(
                select(func.count()).select_from(query.subquery())).scalar_one()
            rows = session.execute(query.order_by(created).offset(wanted.offset).limit(wanted.limit)).scalars().all()
            items = [self._item(row, now) for row in rows]
            urged = urge_counts(session, [i.id for i in items if i.kind == "ticket"])
        for item in items:
            item.urged = urged.get(item.id, 0) if item.kind == "ticket" else 0
        return QueuePage(counts=counts, total=total, items=items)

    def _counts(self, session, wanted: QueueFilter, now: datetime) -> Dict[str, int]:
        counts = {}
        for queue in QUEUES:
            query, _ = self._query(queue, wanted, now)
            counts[queue] = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        return counts

    def counts(self) -> Dict[str, int]:
        """Items waiting per queue, unfiltered (what the live view watches every few seconds)."""
        with self.session() as session:
            return self._counts(session, QueueFilter(), clock.now())

    @staticmethod
    def _item(row, now: datetime) -> QueueItem:
        if isinstance(row, HandoffRow):
            said = [t["text"] for t in json.loads(row.transcript_json) if t.get("who") == "resident"]
            return QueueItem(kind="handoff", id=str(row.pk), queues=["handoff"], created_at=row.created_at,
                             age_minutes=_age(row.created_at, now), summary=_short(said[-1] if said else ""),
                             channel=row.channel, detail={"reason": row.reason, "sender": mask_id(row.sender_id)})
        if isinstance(row, DeliveryRow):
            return QueueItem(kind="delivery", id=row.id, queues=["dead"], created_at=row.created_at,
                             age_minutes=_age(row.created_at, now), ticket_id=row.ticket_id,
                             summary=_short(row.last_error or "推送失败"),
                             detail={"adapter": row.adapter, "attempts": row.attempts, "delivery_kind": row.kind})
        location = Address.from_dict(json.loads(row.location_json or "{}"))
        return QueueItem(kind="ticket", id=row.id, ticket_id=row.id, queues=decode_reasons(row.review_reasons),
                         created_at=row.created_at, age_minutes=_age(row.created_at, now),
                         summary=_short(row.description), channel=row.channel,
                         category="/".join(p for p in (row.category_level1, row.category_level2, row.category_level3) if p) or None,
                         confidence=row.category_confidence, urgency=row.urgency, street=row.street,
                         place=location.display() or None, held=bool(row.held),
                         detail={"duplicate_candidate": row.duplicate_candidate} if row.duplicate_candidate else {})

    def review_of(self, ticket_id: str) -> Dict[str, Any]:
        """Why the ticket is (or was) queued and what an operator decided."""
        with self.session() as session:
            row = session.execute(select(TicketRow).where(TicketRow.id == ticket_id)).scalars().first()
            if row is None:
                return {}
            return {"queues": decode_reasons(row.review_reasons), "held": bool(row.held),
                    "reviewed_at": row.reviewed_at, "reviewed_by": row.reviewed_by, "outcome": row.review_outcome,
                    "duplicate_candidate": row.duplicate_candidate}

    def duplicate_candidates(self, ticket_id: str, limit: int = 5) -> List[str]:
        """Tickets an operator may merge this one into: the grey-zone candidate found at filing,
        the original it is linked to, and other open tickets at the same place."""
        with self.session() as session:
            row = session.execute(select(TicketRow).where(TicketRow.id == ticket_id)).scalars().first()
            if row is None:
                return []
            found = [i for i in (row.duplicate_candidate, row.duplicate_of) if i]
            if row.place_key:
                same_place = session.execute(
                    select(TicketRow.id).where(TicketRow.place_key == row.place_key, TicketRow.status == "open",
                                               TicketRow.duplicate_of.is_(None), TicketRow.id != row.id)
                    .order_by(TicketRow.created_at.desc()).limit(limit)).scalars().all()
                found += [i for i in same_place if i not in found]
            return found[:limit]

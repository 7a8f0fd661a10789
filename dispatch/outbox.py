"""The transactional outbox: delivery jobs written in the same transaction as the ticket.

A ticket and the jobs that carry it to the city's systems commit together or not at all, so a
crash between "filed" and "sent" loses nothing; the delivery worker (dispatch/delivery_worker.py)
takes due jobs under a lease, so several app servers, or one restarted mid-delivery, never send a
job at the same time. Every try is recorded (`delivery_attempts`); a job that keeps failing is
dead-lettered after `max_attempts` tries and waits for an operator to re-drive it.

A job sends the ticket as it stands when it is delivered (not a snapshot), with its own id in
`X-Intake-Delivery`: a receiver that sees the same id twice (a worker killed after the receiver
answered but before the answer was recorded) can drop the second.
"""
from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Iterable, List, Optional

from pydantic import BaseModel
from sqlalchemy import Boolean, Column, DateTime, Float, Integer, String, Text, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from dispatch.database import Base
from dispatch.history import event_row
from dispatch.routing import OutboxSettings
from common.privacy import mask_pii

STATES = ("pending", "delivered", "dead")
KINDS = ("filed", "amended", "overdue", "urged")


class DeliveryRow(Base):
    __tablename__ = "deliveries"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    id = Column(String(32), unique=True, nullable=False, index=True)
    ticket_id = Column(String(32), nullable=False, index=True)
    adapter = Column(String(64), nullable=False)
    kind = Column(String(16), nullable=False)
    state = Column(String(16), nullable=False, default="pending", index=True)
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False)
    next_at = Column(DateTime, nullable=False, index=True)
    delivered_at = Column(DateTime)
    last_error = Column(Text)
    remote_id = Column(String(100))
    remote_token = Column(String(100))  # an Open311 token, until the city gives the request an id
    remote_status = Column(String(16))  # the status the destination last reported (status polling)
    polled_at = Column(DateTime)
    lease_owner = Column(String(40))
    lease_until = Column(DateTime)


class DeliveryAttemptRow(Base):
    __tablename__ = "delivery_attempts"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    delivery_pk = Column(Integer, nullable=False, index=True)
    at = Column(DateTime, nullable=False)
    ok = Column(Boolean, nullable=False)
    status_code = Column(Integer)
    error = Column(Text)
    duration_ms = Column(Float)


class Attempt(BaseModel):
    at: datetime
    ok: bool
    status_code: Optional[int] = None
    error: Optional[str] = None
    duration_ms: Optional[float] = None


class Delivery(BaseModel):
    """A delivery job as operators see it."""

    id: str
    ticket_id: str
    adapter: str
    kind: str
    state: str
    attempts: int
    created_at: datetime
    next_at: datetime
    delivered_at: Optional[datetime] = None
    last_error: Optional[str] = None
    remote_id: Optional[str] = None
    remote_token: Optional[str] = None
    remote_status: Optional[str] = None
    polled_at: Optional[datetime] = None
    history: List[Attempt] = []

    @classmethod
    def from_row(cls, row: DeliveryRow, attempts: Iterable[DeliveryAttemptRow] = ()) -> "Delivery":
        return cls(id=row.id, ticket_id=row.ticket_id, adapter=row.adapter, kind=row.kind, state=row.state,
                   attempts=row.attempts, created_at=row.created_at, next_at=row.next_at,
                   delivered_at=row.delivered_at, remote_id=row.remote_id, remote_token=row.remote_token,
                   remote_status=row.remote_status, polled_at=row.polled_at,
                   last_error=mask_pii(row.last_error) if row.last_error else None,
                   history=[Attempt(at=a.at, ok=a.ok, status_code=a.status_code, duration_ms=a.duration_ms,
                                    error=mask_pii(a.error) if a.error else None) for a in attempts])


class Outcome(BaseModel):
    """What one try came to: delivered, failed for now (retry), or failed for good (dead-letter)."""

    ok: bool
    permanent: bool = False
    status_code: Optional[int] = None
    error: Optional[str] = None
    remote_id: Optional[str] = None
    remote_token: Optional[str] = None
    retry_after_s: Optional[float] = None


#: what a delivery carried, as a ticket's history says it to operators (「送达（filed）」 was the code)
KIND_WORDS = {"filed": "新工单", "amended": "工单修改", "urged": "居民催办", "overdue": "超时提醒"}


def enqueue(session: Session, ticket_id: str, kind: str, adapters: Iterable[str], now: datetime) -> List[str]:
    """Jobs for ``adapters`` inside the caller's transaction; returns their ids."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    ids = []
    for adapter in adapters:
        ids.append(uuid.uuid4().hex)
        session.add(DeliveryRow(id=ids[-1], ticket_id=ticket_id, adapter=adapter, kind=kind, state="pending",
                                attempts=0, created_at=now, next_at=now))
    return ids


def backoff_s(attempts: int, settings: OutboxSettings, rng: Optional[random.Random] = None) -> float:
    """Seconds before try ``attempts + 1``: base · 2^(attempts-1), capped, with ± jitter."""
    delay = min(settings.max_delay_s, settings.base_delay_s * 2 ** max(attempts - 1, 0))
    return max(0.0, delay * (1 + (rng or random).uniform(-settings.jitter, settings.jitter)))


class Claimed(BaseModel):
    pk: int
    id: str
    ticket_id: str
    adapter: str
    kind: str
    attempts: int


class Outbox:
    """The jobs table, as the worker and the operators use it."""

    def __init__(self, session: sessionmaker, settings: OutboxSettings) -> None:
        self.session = session
        self.settings = settings

    def claim(self, owner: str, now: datetime, limit: Optional[int] = None) -> List[Claimed]:
        """Due pending jobs leased to ``owner`` for lease_s; a job whose lease ran out (its worker
        died) is due again; a ticket's jobs for one adapter go in order (filed before amended). The lease is taken by one conditional UPDATE, so two workers racing
        for a job cannot both get it, on SQLite as on PostgreSQL."""
        until = now + timedelta(seconds=self.settings.lease_s)
        earlier = aliased(DeliveryRow)
        waits_for_earlier = exists().where(earlier.ticket_id == DeliveryRow.ticket_id,
                                           earlier.adapter == DeliveryRow.adapter,
                                           earlier.state == "pending", earlier.pk < DeliveryRow.pk)
        due = ((DeliveryRow.state == "pending") & (DeliveryRow.next_at <= now)
               & or_(DeliveryRow.lease_until.is_(None), DeliveryRow.lease_until < now) & ~waits_for_earlier)
        with self.session.begin() as session:
            candidates = session.execute(select(DeliveryRow.pk).where(due).order_by(DeliveryRow.next_at, DeliveryRow.pk)
                                         .limit(limit or self.settings.batch)).scalars().all()
            if not candidates:
                return []
            session.execute(update(DeliveryRow).where(DeliveryRow.pk.in_(candidates), due)
                            .values(lease_owner=owner, lease_until=until).execution_options(synchronize_session=False))
            rows = session.execute(select(DeliveryRow).where(DeliveryRow.pk.in_(candidates),
                                                             DeliveryRow.lease_owner == owner,
                                                             DeliveryRow.lease_until == until)).scalars().all()
            return [Claimed(pk=r.pk, id=r.id, ticket_id=r.ticket_id, adapter=r.adapter, kind=r.kind,
                            attempts=r.attempts) for r in rows]

    def record(self, job: Claimed, owner: str, outcome: Outcome, started: datetime, now: datetime) -> str:
        """The try's result: the attempt row, and the job delivered, rescheduled or dead. Returns
        the job's new state. A worker whose lease ran out records its attempt but leaves the job
        to whoever holds it now."""
        attempts = job.attempts + 1
        if outcome.ok:
            state, next_at = "delivered", now
        elif outcome.permanent or attempts >= self.settings.max_attempts:
            state, next_at = "dead", now
        else:
            wait = max(backoff_s(attempts, self.settings), outcome.retry_after_s or 0)
            state, next_at = "pending", now + timedelta(seconds=min(wait, self.settings.max_delay_s))
        with self.session.begin() as session:
            session.add(DeliveryAttemptRow(delivery_pk=job.pk, at=started, ok=outcome.ok,
                                           status_code=outcome.status_code, error=outcome.error,
                                           duration_ms=(now - started).total_seconds() * 1000))
            values = dict(state=state, attempts=attempts, next_at=next_at, lease_owner=None, lease_until=None,
                          last_error=None if outcome.ok else outcome.error)
            if outcome.ok:
                values.update(delivered_at=now, remote_id=outcome.remote_id, remote_token=outcome.remote_token)
            changed = session.execute(update(DeliveryRow).where(DeliveryRow.pk == job.pk,
                                                                DeliveryRow.lease_owner == owner,
                                                                DeliveryRow.state == "pending")
                                      .values(**values).execution_options(synchronize_session=False)).rowcount
            if changed and state != "pending":
                note = f"{job.adapter}: " + (f"送达（{KIND_WORDS.get(job.kind, job.kind)}）" if outcome.ok else
                                             f"投递失败{attempts}次，转入死信：{outcome.error}")
                session.add(event_row(job.ticket_id, now, "dispatch", "delivered" if outcome.ok else "dead_letter",
                                      {}, note))
        return state if changed else "lost_lease"

    def redrive(self, delivery_id: str, now: datetime) -> Optional[Delivery]:
        """A dead (or pending) job tried again at once, with a fresh count of tries."""
        with self.session.begin() as session:
            row = session.execute(select(DeliveryRow).where(DeliveryRow.id == delivery_id)).scalars().first()
            if row is None:
                return None
            if row.state != "delivered":
                row.state, row.attempts, row.next_at = "pending", 0, now
                row.lease_owner = row.lease_until = None
                session.add(event_row(row.ticket_id, now, "operator", "redrive", {}, f"{row.adapter}: 重新投递"))
            return Delivery.from_row(row)

    def get(self, delivery_id: str) -> Optional[Delivery]:
        with self.session() as session:
            row = session.execute(select(DeliveryRow).where(DeliveryRow.id == delivery_id)).scalars().first()
            if row is None:
                return None
            attempts = session.execute(select(DeliveryAttemptRow).where(DeliveryAttemptRow.delivery_pk == row.pk)
                                       .order_by(DeliveryAttemptRow.pk)).scalars().all()
            return Delivery.from_row(row, attempts)

    def list(self, state: Optional[str] = None, ticket_id: Optional[str] = None, limit: int = 100) -> List[Delivery]:
        query = select(DeliveryRow)
        if state:
            query = query.where(DeliveryRow.state == state)
        if ticket_id:
            query = query.where(DeliveryRow.ticket_id == ticket_id)
        with self.session() as session:
            rows = session.execute(query.order_by(DeliveryRow.created_at, DeliveryRow.pk).limit(limit)).scalars().all()
            return [Delivery.from_row(row) for row in rows]

    def counts(self) -> dict:
        with self.session() as session:
            found = dict(session.execute(select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state)).all())
        return {state: found.get(state, 0) for state in STATES}

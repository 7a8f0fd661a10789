"""The built-in ticket store: SQLite by default, PostgreSQL by URL, through SQLAlchemy.

Filing is idempotent (the same intake filed twice returns the first ticket) and links
duplicates (same category, same place, still open, recent) instead of creating parallel work; the
same resident telling the same problem again is a 催办 on their open ticket, not another reporter.
A ticket's delivery jobs (settings/dispatch.yml routes) are written in the same transaction as the
ticket, and an amendment's with the amendment (dispatch/outbox.py): nothing filed is left unsent.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import List, Optional, Tuple

from sqlalchemy import Boolean, Column, DateTime, Float, Integer, String, Text, not_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from dispatch.database import Base, engine_for
from dispatch.deadlines import at_least_as_urgent, deadlines
from dispatch.grades import SlaSettings, sla_settings
from dispatch.history import TicketEvent, TicketEventRow, as_events, changes_between, event_row
from dispatch.outbox import DeliveryRow, enqueue
from dispatch.ratings import RATINGS, RatingRow
from dispatch.review import check_version, decode_reasons, encode_reasons, review_reasons
from dispatch.routing import DispatchSettings, dispatch_settings
from dispatch.schema import PART_MARK, STATUSES, CategoryRef, Location, Ticket, TicketIn, submission_of
from common import clock
from common.privacy import mask_pii


class TicketRow(Base):
    __tablename__ = "tickets"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    id = Column(String(32), unique=True, index=True)
    idempotency_key = Column(String(200), unique=True, nullable=True)
    created_at = Column(DateTime, nullable=False, index=True)
    updated_at = Column(DateTime, nullable=False)
    channel = Column(String(16), nullable=False)
    reporter = Column(String(200))
    contact = Column(String(100))
    description = Column(Text, nullable=False)
    category_level1 = Column(String(100))
    category_level2 = Column(String(100))
    category_level3 = Column(String(100))
    category_confidence = Column(Float)
    department = Column(String(100))
    location_json = Column(Text, nullable=False, default="{}")
    place_key = Column(String(300), index=True)
    lat = Column(Float)
    lng = Column(Float)
    urgency = Column(String(8), nullable=False)
    urgency_reasons_json = Column(Text, nullable=False, default="[]")
    needs_review = Column(Boolean, nullable=False, default=False)
    deadline = Column(DateTime, nullable=False)
    respond_by = Column(DateTime, nullable=False)
    status = Column(String(16), nullable=False, default="open", index=True)
    status_notes = Column(Text)
    duplicate_of = Column(String(32), index=True)
    reporters_count = Column(Integer, nullable=False, default=1)
    media_json = Column(Text)
    grade = Column(String(8), index=True)
    grade_reason = Column(Text)
    overdue_alerted_at = Column(DateTime)
    # operator review (dispatch/review.py): the queues it is in, a grey-zone duplicate candidate,
    # whether its delivery waits for approval, and the decision
    review_reasons = Column(String(100), index=True)
    duplicate_candidate = Column(String(32))
    held = Column(Boolean)
    reviewed_at = Column(DateTime, index=True)
    reviewed_by = Column(String(64))
    review_outcome = Column(String(16))
    street = Column(String(100), index=True)
    subject = Column(String(100))

    def to_ticket(self) -> Ticket:
        return Ticket(
            id=self.id, created_at=self.created_at, updated_at=self.updated_at, channel=self.channel,
            reporter=self.reporter, contact=self.contact, description=self.description,
            category={"level1": self.category_level1, "level2": self.category_level2,
                      "level3": self.category_level3, "confidence": self.category_confidence},
            department=self.department, location=json.loads(self.location_json or "{}"),
            urgency=self.urgency, urgency_reasons=json.loads(self.urgency_reasons_json or "[]"),
            urgency_review=self.urgency != "特急" and "urgent" in decode_reasons(self.review_reasons),
            needs_review=self.needs_review, idempotency_key=self.idempotency_key,
            deadline=self.deadline, respond_by=self.respond_by, status=self.status,
            status_notes=self.status_notes, duplicate_of=self.duplicate_of,
            reporters_count=self.reporters_count, grade=self.grade, grade_reason=self.grade_reason,
            media=json.loads(self.media_json or "[]"), subject=self.subject)

    def regrade(self, sla: SlaSettings) -> None:
        self.grade, self.grade_reason = sla.grade_for(
            self.category_level1, self.category_level2, self.category_level3, self.department,
            Location.parse_raw(self.location_json or "{}"))


def pinpointed(location: Location) -> bool:
    """A building, or a road and its number: a place small enough that two reports of the same
    category there are one problem (an estate or a 社区 alone holds many)."""
    return bool(location.building or (location.road and location.house_number))


def same_subject(one: Optional[str], other: Optional[str]) -> bool:
    """Two tickets' subjects (the things each names, space-separated: nlu/subject.py) meet — a thing
    of one inside a thing of the other, or two characters running in both (「灯不亮」 and 「楼道 灯」,
    「垃圾堆」 and 「垃圾」; not 「电梯」 and 「楼道 灯」, nor 「楼道」 and 「楼梯」) — or one of them is unknown
    (a ticket filed by an API client, a problem naming no thing: 「楼上装修太吵」)."""
    if not one or not other:
        return True
    return any(a in b or b in a or _pairs(a) & _pairs(b) for a in one.split() for b in other.split())


def _pairs(word: str) -> set:
    return {word[i:i + 2] for i in range(len(word) - 1)}


def place_key(location: Location) -> Optional[str]:
    """The part of an address that identifies the same place across reports."""
    # the most precise place named: an estate, a landmark, a road and number, else the 社区
    site = location.estate or location.poi or (
        f"{location.road}{location.house_number or ''}" if location.road else None) or location.community
    if not site:
        return None
    return f"{location.street or ''}|{site}|{location.building or ''}"


#: a report repeating the resident's open ticket in the same words this soon is the same report sent again
RETRY_WINDOW = timedelta(minutes=10)


def is_repeat(sent: TicketIn, filed: Ticket, created: bool) -> bool:
    """TicketStore.file answered ``sent`` with the resident's earlier open ticket (a 催办 recorded on it),
    not with a new ticket nor with the one this same submission filed before (its idempotency key)."""
    return not created and (sent.idempotency_key is None or filed.idempotency_key != sent.idempotency_key)


def _other_submissions(ticket: TicketIn) -> list:
    """Conditions keeping out the other parts of ``ticket``'s own submission: two problems told at once
    (「…占用消防通道停车，还有楼道灯也坏了」) are two, and linking the second to the first lost it."""
    submission = submission_of(ticket.idempotency_key)
    if submission is None:
        return []
    return [or_(TicketRow.idempotency_key.is_(None),
                not_(TicketRow.idempotency_key.startswith(submission + PART_MARK, autoescape=True)))]


def route_fields(row: "TicketRow") -> dict:
    """What settings/dispatch.yml routes match on."""
    return {"level1": row.category_level1, "level2": row.category_level2, "department": row.department,
            "urgency": row.urgency, "channel": row.channel, "grade": row.grade}


class TicketStore:
    def __init__(self, url: Optional[str] = None, duplicate_window_days: float = 7,
                 routing: Optional[DispatchSettings] = None, sla: Optional[SlaSettings] = None) -> None:
        self.engine = engine_for(url)
        self.session = sessionmaker(self.engine, future=True, expire_on_commit=False)
        self.duplicate_window = timedelta(days=duplicate_window_days)
        self.routing = routing if routing is not None else dispatch_settings()
        self.sla = sla if sla is not None else sla_settings()

    def file(self, ticket: TicketIn, sla_days: Optional[float] = None,
             now: Optional[datetime] = None) -> Tuple[Ticket, bool]:
        """Store a ticket. Returns (ticket, created); created is False when the same
        idempotency key was filed before, in which case the first ticket is returned, and when the
        same resident reported this problem before and it is still open: their open ticket is
        returned with the report recorded on it as a 催办 (is_repeat tells which)."""
        if ticket.idempotency_key:
            existing = self.by_idempotency_key(ticket.idempotency_key)
            if existing:
                return existing, False
        now = now or clock.now()
        respond_by, deadline = deadlines(now, ticket.urgency, sla_days)
        key = place_key(ticket.location)
        try:
            with self.session.begin() as session:
                original = self._open_duplicate(session, ticket, key, now)
                mine = self._residents_own(session, original, ticket) if original is not None else None
                if mine is not None:
                    self._urged_again(session, [mine, original], ticket.description, now)
                    return mine.to_ticket(), False
                candidate = None if original else self._grey_duplicate(session, ticket, key, now)
                reasons = review_reasons(ticket, grey_duplicate=candidate is not None)
                row = TicketRow(
                    idempotency_key=ticket.idempotency_key, created_at=now, updated_at=now,
                    channel=ticket.channel, reporter=ticket.reporter, contact=ticket.contact,
                    description=ticket.description, category_level1=ticket.category.level1,
                    category_level2=ticket.category.level2, category_level3=ticket.category.level3,
                    category_confidence=ticket.category.confidence, department=ticket.department,
                    location_json=ticket.location.json(ensure_ascii=False), place_key=key,
                    lat=ticket.location.lat, lng=ticket.location.lng, urgency=ticket.urgency,
                    urgency_reasons_json=json.dumps(ticket.urgency_reasons, ensure_ascii=False),
                    needs_review=ticket.needs_review, deadline=deadline, respond_by=respond_by,
                    media_json=json.dumps(ticket.media, ensure_ascii=False) if ticket.media else None,
                    duplicate_of=original.id if original else None, street=ticket.location.street,
                    subject=ticket.subject,
                    review_reasons=encode_reasons(reasons),
                    duplicate_candidate=candidate.id if candidate else None,
                    held=self._holds(ticket, reasons) and original is None)
                row.regrade(self.sla)
                session.add(row)
                session.flush()
                row.id = f"{now:%Y%m%d}{row.pk:06d}"
                if original is not None:
                    original.reporters_count += 1
                    original.updated_at = now
                elif not row.held:  # a linked duplicate is not sent again: its original is on its way already
                    enqueue(session, row.id, "filed", self.routing.adapters_for(route_fields(row)), now)
                return row.to_ticket(), True
        except IntegrityError:
            # a concurrent filing of the same intake won the race: return its ticket
            existing = self.by_idempotency_key(ticket.idempotency_key) if ticket.idempotency_key else None
            if existing is None:
                raise
            return existing, False

    def _open_duplicate(self, session, ticket: TicketIn, key: Optional[str], now: datetime) -> Optional[TicketRow]:
        """The open ticket this one repeats: same pinpointed place (a building, a road and number),
        same category, within the window, and graded at least as urgent. A linked report is not
        delivered again, so a wrong link loses a report: an estate named alone holds many problems
        of one broad category (a lamp post across the road and chipped tiles by the pool are both
        城市公共设施 at 阳光花园), one building too (its lift and its stair light are both 物业服务: the
        subjects must meet, see same_subject), a more urgent report must never wait behind a routine
        ticket, and a 特急 report is never linked at all — each is filed and delivered on its own, and
        the open ticket is offered to an operator as a possible duplicate (_grey_duplicate)."""
        if not key or not ticket.category.level2 or ticket.urgency == "特急" or not pinpointed(ticket.location):
            return None
        query = (select(TicketRow)
                 .where(TicketRow.place_key == key, TicketRow.status == "open",
                        TicketRow.duplicate_of.is_(None),
                        TicketRow.category_level2 == ticket.category.level2,
                        TicketRow.category_level3 == ticket.category.level3,
                        TicketRow.urgency.in_(at_least_as_urgent(ticket.urgency)),
                        TicketRow.created_at >= now - self.duplicate_window, *_other_submissions(ticket))
                 .order_by(TicketRow.created_at).limit(20))
        rows = session.execute(query).scalars()
        return next((row for row in rows if same_subject(row.subject, ticket.subject)), None)

    @staticmethod
    def _residents_own(session, original: "TicketRow", ticket: TicketIn) -> Optional["TicketRow"]:
        """The resident's own open ticket about the problem ``original`` stands for — the original itself, or
        their earlier report linked to it — when ``ticket`` tells it again (「我已经打过三次电话了，…的路灯还是
        没人修」): a 催办, not a second ticket counting them as another reporter."""
        resident = ticket.resident_id()
        if not resident:
            return None
        if original.to_ticket().resident_id() == resident:
            return original
        linked = session.execute(select(TicketRow).where(TicketRow.duplicate_of == original.id,
                                                         TicketRow.status == "open").limit(100)).scalars()
        return next((row for row in linked if row.to_ticket().resident_id() == resident), None)

    @staticmethod
    def _urged_again(session, rows: List["TicketRow"], words: str, now: datetime) -> None:
        """A 催办 with the resident's words in the history of each of ``rows`` (their ticket, and the one
        carrying the work when theirs is linked to it); the same words again within RETRY_WINDOW are the
        same report retried: recorded once. No new version, as urge()."""
        for row in {id(r): r for r in rows}.values():
            retried = session.execute(select(TicketEventRow.pk).where(
                TicketEventRow.ticket_id == row.id, TicketEventRow.kind == "urged", TicketEventRow.note == words,
                TicketEventRow.at >= now - RETRY_WINDOW)).first()
            if retried is None:
                session.add(event_row(row.id, now, "resident", "urged", {}, words))
                enqueue_urge(session, row, now)

    def _holds(self, ticket: TicketIn, reasons: List[str]) -> bool:
        """Delivery waits for an operator when the agent was unsure of the problem or the place
        (settings/dispatch.yml hold_for_review); 特急 never waits."""
        return (self.routing.hold_for_review and ticket.urgency != "特急"
                and bool({"category", "place"} & set(reasons)))

    def _grey_duplicate(self, session, ticket: TicketIn, key: Optional[str], now: datetime) -> Optional[TicketRow]:
        """An open ticket at the same place in the same field (大类) but filed under another
        category, or under the same one and graded less urgent: perhaps the same problem told
        differently — an operator decides."""
        if not key or not ticket.category.level1:
            return None
        query = (select(TicketRow)
                 .where(TicketRow.place_key == key, TicketRow.status == "open", TicketRow.duplicate_of.is_(None),
                        TicketRow.category_level1 == ticket.category.level1,
                        TicketRow.created_at >= now - self.duplicate_window, *_other_submissions(ticket))
                 .order_by(TicketRow.created_at).limit(1))
        return session.execute(query).scalars().first()

    def amend(self, ticket_id: str, actor: str, note: Optional[str] = None, *,
              location: Optional[Location] = None, category: Optional[CategoryRef] = None,
              department: Optional[str] = None, sla_days: Optional[float] = None,
              urgency: Optional[str] = None, urgency_reasons: Optional[List[str]] = None,
              description: Optional[str] = None, contact: Optional[str] = None,
              now: Optional[datetime] = None, seen: Optional[datetime] = None) -> Optional[Ticket]:
        """Change an open ticket and record old and new values in its history; a new urgency or
        category recomputes the deadlines from the time it was filed. None when there is no such
        ticket; the ticket unchanged when it is closed or nothing differs. ``seen``: the version
        (updated_at) the change was made on; StaleTicket when the ticket changed since."""
        now = now or clock.now()
        with self.session.begin() as session:
            # locked (PostgreSQL) so that two operators' changes on one version cannot both pass the check
            row = session.execute(select(TicketRow).where(TicketRow.id == ticket_id).with_for_update()).scalars().first()
            if row is None:
                return None
            check_version(row.to_ticket(), seen)
            if row.status != "open":
                return row.to_ticket()
            before = _amendable(row)
            if location is not None:
                row.location_json, row.place_key = location.json(ensure_ascii=False), place_key(location)
                row.lat, row.lng, row.street = location.lat, location.lng, location.street
            if category is not None:
                row.category_level1, row.category_level2 = category.level1, category.level2
                row.category_level3, row.category_confidence = category.level3, category.confidence
                row.department = department
            if urgency is not None:
                row.urgency = urgency
                row.urgency_reasons_json = json.dumps(urgency_reasons or [], ensure_ascii=False)
            if description is not None:
                row.description = description
            if contact is not None:
                row.contact = contact
            if location is not None or category is not None:
                row.regrade(self.sla)
            if urgency is not None or category is not None:
                row.respond_by, row.deadline = deadlines(row.created_at, row.urgency, sla_days)
            changes = changes_between(before, _amendable(row))
            if changes:
                row.updated_at = now
                session.add(event_row(row.id, now, actor, "amended", changes, note))
                enqueue_amendment(session, row, self.routing, now)
            return row.to_ticket()

    def set_status(self, ticket_id: str, status: str, actor: str, note: Optional[str] = None,
                   now: Optional[datetime] = None) -> Optional[Ticket]:
        """A status reported for a ticket (the department closing it, a resident reopening it),
        kept in its history; None when there is no such ticket."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
        now = now or clock.now()
        with self.session.begin() as session:
            row = session.execute(select(TicketRow).where(TicketRow.id == ticket_id)).scalars().first()
            if row is None:
                return None
            new_note = note if note is not None else row.status_notes
            changes = changes_between({"status": row.status, "status_notes": row.status_notes},
                                      {"status": status, "status_notes": new_note})
            if changes:
                row.status, row.status_notes, row.updated_at = status, new_note, now
                session.add(event_row(row.id, now, actor, "status", changes, note))
            return row.to_ticket()

    def open_duplicates(self, ticket_id: str) -> List[Ticket]:
        """Open tickets linked to ``ticket_id`` as the same problem reported again (合并办理)."""
        with self.session() as session:
            rows = session.execute(select(TicketRow).where(TicketRow.duplicate_of == ticket_id,
                                                           TicketRow.status == "open")
                                   .order_by(TicketRow.pk)).scalars().all()
            return [row.to_ticket() for row in rows]

    def rate(self, ticket_id: str, rating: str, reason: Optional[str] = None,
             now: Optional[datetime] = None) -> Optional[Ticket]:
        """The resident's satisfaction with a closed ticket; 不满意 reopens it with the reason."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, got {rating!r}")
        now = now or clock.now()
        with self.session.begin() as session:
            if session.execute(select(TicketRow.pk).where(TicketRow.id == ticket_id)).first() is None:
                return None
            session.add(RatingRow(ticket_id=ticket_id, at=now, rating=rating, reason=reason))
            # in the ticket's history too, where an operator and the department read it (「还行吧，就是太慢了」)
            session.add(event_row(ticket_id, now, "resident", "rated", {"rating": {"from": None, "to": rating}}, reason))
        if rating == "不满意":
            return self.set_status(ticket_id, "open", "resident", f"居民不满意，重新办理：{reason or '未说明原因'}", now)
        return self.get(ticket_id)

    def urge(self, ticket_id: str, note: Optional[str] = None, now: Optional[datetime] = None) -> Optional[Ticket]:
        """The resident asks again that an open ticket be dealt with (催办): an event in its history and, when it
        is linked to another ticket (合并办理, not delivered itself), in that one's, where the operators read it,
        sent where the ticket carrying the work went (enqueue_urge); None when there is no such open ticket."""
        now = now or clock.now()
        with self.session.begin() as session:
            row = session.execute(select(TicketRow).where(TicketRow.id == ticket_id)).scalars().first()
            if row is None or row.status != "open":
                return None
            session.add(event_row(ticket_id, now, "resident", "urged", {}, note))
            enqueue_urge(session, row, now)
            if row.duplicate_of:
                session.add(event_row(row.duplicate_of, now, "resident", "urged", {}, note))
                original = session.execute(select(TicketRow).where(TicketRow.id == row.duplicate_of)).scalars().first()
                if original is not None and original.status == "open":
                    enqueue_urge(session, original, now)
            return row.to_ticket()

    def ratings(self, ticket_id: str) -> List[Tuple[datetime, str, Optional[str]]]:
        with self.session() as session:
            rows = session.execute(select(RatingRow).where(RatingRow.ticket_id == ticket_id)
                                   .order_by(RatingRow.at, RatingRow.pk)).scalars().all()
            return [(r.at, r.rating, r.reason) for r in rows]

    def history(self, ticket_id: str) -> List[TicketEvent]:
        with self.session() as session:
            rows = session.execute(select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id)
                                   .order_by(TicketEventRow.at, TicketEventRow.pk)).scalars().all()
            return as_events(list(rows))

    def get(self, ticket_id: str) -> Optional[Ticket]:
        with self.session() as session:
            row = session.execute(select(TicketRow).where(TicketRow.id == ticket_id)).scalars().first()
            return row.to_ticket() if row else None

    def by_idempotency_key(self, key: str) -> Optional[Ticket]:
        with self.session() as session:
            row = session.execute(select(TicketRow).where(TicketRow.idempotency_key == key)).scalars().first()
            return row.to_ticket() if row else None

    def list(self, status: Optional[str] = None, level2: Optional[str] = None,
             start: Optional[datetime] = None, end: Optional[datetime] = None,
             reporter: Optional[str] = None, channel: Optional[str] = None, limit: int = 100) -> List[Ticket]:
        query = select(TicketRow)
        if status:
            query = query.where(TicketRow.status == status)
        if level2:
            query = query.where(TicketRow.category_level2 == level2)
        if start:
            query = query.where(TicketRow.created_at >= start)
        if end:
            query = query.where(TicketRow.created_at <= end)
        if reporter:
            query = query.where(TicketRow.reporter == reporter)
        if channel:
            query = query.where(TicketRow.channel == channel)
        query = query.order_by(TicketRow.created_at.desc(), TicketRow.pk.desc()).limit(limit)
        with self.session() as session:
            return [row.to_ticket() for row in session.execute(query).scalars()]


def _sent_to(session, row: TicketRow) -> List[str]:
    """The destinations ``row`` was sent to (its delivery jobs' adapters)."""
    return list(session.execute(select(DeliveryRow.adapter).where(DeliveryRow.ticket_id == row.id)
                                .distinct()).scalars().all())


def enqueue_amendment(session, row: TicketRow, routing: DispatchSettings, now: datetime) -> None:
    """A changed ticket sent again: to where it went before, and to where its new fields route.
    Not for a linked duplicate (its original carries it) nor a ticket still held for review."""
    if row.duplicate_of is not None or row.held:
        return
    sent = _sent_to(session, row)
    routed = routing.adapters_for(route_fields(row))
    enqueue(session, row.id, "amended", [*sent, *(a for a in routed if a not in sent)], now)


def enqueue_urge(session, row: TicketRow, now: datetime) -> None:
    """A resident's 催办 sent where the ticket went (a webhook receives `ticket.urged`): the department works
    in its own system and read of it nowhere else. Not for a linked duplicate (its original is urged) nor a
    ticket still held for review (nothing was sent yet: the 催办 is in the history its reviewing operator reads)."""
    if row.duplicate_of is not None or row.held:
        return
    enqueue(session, row.id, "urged", _sent_to(session, row), now)


def _amendable(row: TicketRow) -> dict:
    """The fields an amendment may change, as the history records them (the contact masked: the
    history is shown in the console and answered by the API)."""
    return {"location": json.loads(row.location_json or "{}"), "category": "/".join(
        p for p in (row.category_level1, row.category_level2, row.category_level3) if p),
        "department": row.department, "urgency": row.urgency, "description": row.description,
        "grade": row.grade, "contact": mask_pii(row.contact) if row.contact else None,
        "deadline": row.deadline.isoformat(timespec="minutes") if row.deadline else None}

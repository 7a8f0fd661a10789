"""An operator's decision on a ticket in the review queue, stored with its history entry:
approve (a ticket held for review is delivered now), reject with a reason (closed, nothing more
is sent), merge into an open ticket about the same problem (合并办理, closed with it)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import select

from common import clock
from dispatch.history import event_row
from dispatch.outbox import enqueue
from dispatch.review import ReviewError, check_version
from dispatch.schema import Ticket
from dispatch.store import TicketRow, TicketStore, enqueue_amendment, route_fields


class ReviewDecisions:
    def __init__(self, store: TicketStore) -> None:
        self.store = store

    def _decide(self, session, ticket_id: str, actor: str, outcome: str, seen: Optional[datetime],
                now: datetime, note: Optional[str], **changes) -> TicketRow:
        row = session.execute(select(TicketRow).where(TicketRow.id == ticket_id).with_for_update()).scalars().first()
        if row is None:
            raise LookupError(f"no ticket {ticket_id}")
        check_version(row.to_ticket(), seen)
        if row.status != "open":
            raise ReviewError(f"工单{ticket_id}已办结，不能再{ {'approved': '派单', 'rejected': '退回', 'merged': '合并'}[outcome] }")
        changes = {"review": {"from": row.review_outcome, "to": outcome}, **changes}
        row.reviewed_at, row.reviewed_by, row.review_outcome, row.updated_at = now, actor, outcome, now
        session.add(event_row(row.id, now, actor, "reviewed", changes, note))
        return row

    def approve(self, ticket_id: str, actor: str, seen: Optional[datetime] = None, note: Optional[str] = None,
                now: Optional[datetime] = None) -> Ticket:
        """The ticket is right as it stands: a held ticket goes to the departments now."""
        now = now or clock.now()
        with self.store.session.begin() as session:
            row = self._decide(session, ticket_id, actor, "approved", seen, now, note)
            if row.held:
                row.held = False
                if row.duplicate_of is None:
                    enqueue(session, row.id, "filed", self.store.routing.adapters_for(route_fields(row)), now)
            return row.to_ticket()

    def reject(self, ticket_id: str, actor: str, reason: str, seen: Optional[datetime] = None,
               now: Optional[datetime] = None) -> Ticket:
        """Not a matter for dispatch (不予受理): closed with the reason. A ticket already delivered
        is sent again so that the departments see it closed."""
        if not reason or not reason.strip():
            raise ReviewError("退回需要填写原因，原因会告知居民")
        now = now or clock.now()
        note = f"不予受理：{reason.strip()}"
        with self.store.session.begin() as session:
            row = self._decide(session, ticket_id, actor, "rejected", seen, now, note,
                               status={"from": "open", "to": "closed"})
            row.status, row.status_notes = "closed", note
            enqueue_amendment(session, row, self.store.routing, now)
            row.held = False
            return row.to_ticket()

    def merge(self, ticket_id: str, into: str, actor: str, seen: Optional[datetime] = None,
              now: Optional[datetime] = None) -> Ticket:
        """The same problem as the open ticket ``into``: linked to it, counted as one more
        reporter there, and closed with it; a held ticket is then never sent."""
        if into == ticket_id:
            raise ReviewError("不能合并到工单本身")
        now = now or clock.now()
        with self.store.session.begin() as session:
            target = session.execute(select(TicketRow).where(TicketRow.id == into)).scalars().first()
            if target is not None and target.duplicate_of:
                into = target.duplicate_of  # the original the target is linked to carries the work
                target = session.execute(select(TicketRow).where(TicketRow.id == into)).scalars().first()
            if target is None:
                raise ReviewError(f"没有工单{into}")
            if target.status != "open":
                raise ReviewError(f"工单{into}已办结，不能合并进去")
            if target.id == ticket_id:
                raise ReviewError("不能合并到工单本身")
            row = self._decide(session, ticket_id, actor, "merged", seen, now, f"与工单{into}合并办理",
                               duplicate_of={"from": None, "to": into})
            row.duplicate_of, row.held = into, False
            target.reporters_count += 1
            target.updated_at = now
            return row.to_ticket()

"""Reading back what the city did: the status of every request filed through an Open311 adapter.

Each round takes the delivered requests of still-open tickets not read within the adapter's
`poll_s` (a round that failed — the city away — counts as a read, so a city that is down is
asked again after `poll_s`, not every round), turns tokens into request ids where the city has
assigned them, reads the statuses in batches, and returns the changes the city made since the last read. A change is claimed with a
conditional update of the delivery's `remote_status`, so several app servers polling at once
report it once. Applying a change to the ticket (history, the resident told) is the caller's.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Dict, List, Optional

import aiohttp
from pydantic import BaseModel
from sqlalchemy import select, update

from dispatch.adapters import Adapter
from dispatch.adapters.open311 import Open311Adapter, Open311Error
from dispatch.outbox import DeliveryRow
from dispatch.store import TicketRow, TicketStore

log = logging.getLogger(__name__)
ROUND_LIMIT = 500


class StatusChange(BaseModel):
    ticket_id: str
    status: str
    note: Optional[str] = None
    adapter: str
    remote_id: str


class StatusPoller:
    def __init__(self, store: TicketStore, adapters: Dict[str, Adapter]) -> None:
        self.store = store
        self.adapters = {n: a for n, a in adapters.items() if isinstance(a, Open311Adapter)}

    def due(self, adapter: Open311Adapter, now: datetime) -> List[DeliveryRow]:
        with self.store.session() as session:
            query = (select(DeliveryRow).join(TicketRow, TicketRow.id == DeliveryRow.ticket_id)
                     .where(DeliveryRow.adapter == adapter.name, DeliveryRow.kind == "filed",
                            DeliveryRow.state == "delivered", TicketRow.status == "open",
                            (DeliveryRow.polled_at.is_(None))
                            | (DeliveryRow.polled_at <= now - timedelta(seconds=adapter.poll_s)))
                     .order_by(DeliveryRow.polled_at.is_not(None), DeliveryRow.polled_at, DeliveryRow.pk)
                     .limit(ROUND_LIMIT))
            return list(session.execute(query).scalars().all())

    async def run_once(self, http: aiohttp.ClientSession, now: datetime) -> List[StatusChange]:
        changes: List[StatusChange] = []
        for adapter in self.adapters.values():
            rows = self.due(adapter, now)
            if not rows:
                continue
            try:
                changes += await self._poll(http, adapter, rows)
            except Open311Error as exc:  # the city away or answering nonsense: read again after poll_s
                log.warning("reading statuses from %s failed: %s", adapter.name, exc)
            finally:
                with self.store.session.begin() as session:
                    session.execute(update(DeliveryRow).where(DeliveryRow.pk.in_([r.pk for r in rows]))
                                    .values(polled_at=now).execution_options(synchronize_session=False))
        return changes

    async def _poll(self, http: aiohttp.ClientSession, adapter: Open311Adapter,
                    rows: List[DeliveryRow]) -> List[StatusChange]:
        for row in rows:
            if not row.remote_id and row.remote_token:
                row.remote_id = await adapter.resolve_token(http, row.remote_token)
                if row.remote_id:
                    self._set(row.pk, remote_id=row.remote_id)
        by_request = {row.remote_id: row for row in rows if row.remote_id}
        statuses = await adapter.statuses(http, list(by_request))
        changes = []
        for found in statuses:
            row = by_request[found.service_request_id]
            if found.status == row.remote_status:
                continue
            claimed = self._set(row.pk, when_status=row.remote_status, remote_status=found.status)
            first_open = row.remote_status is None and found.status == "open"  # filed, nothing done yet
            if claimed and not first_open:
                changes.append(StatusChange(ticket_id=row.ticket_id, status=found.status, note=found.status_notes,
                                            adapter=adapter.name, remote_id=found.service_request_id))
        return changes

    def _set(self, pk: int, when_status: object = ..., **values) -> bool:
        condition = DeliveryRow.pk == pk
        if when_status is not ...:
            condition &= (DeliveryRow.remote_status.is_(None) if when_status is None
                          else DeliveryRow.remote_status == when_status)
        with self.store.session.begin() as session:
            return bool(session.execute(update(DeliveryRow).where(condition).values(**values)
                                        .execution_options(synchronize_session=False)).rowcount)

"""The SLA clock: each open ticket's deadline light and the alert when it runs out.

Green while less than `yellow_at` of the time from filing to the deadline is used, yellow after,
red once the deadline has passed (Wuhan's 一键督办: 时限过半亮黄灯，超期未办结亮红灯). A ticket
turning red raises one alert: a history event, a warning in the log and a `ticket.overdue`
delivery to the alert adapters (settings/sla.yml), written in one transaction so that several
app servers checking at once alert once.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Dict, List, Optional

from pydantic import BaseModel
from sqlalchemy import select, update

from dispatch.grades import SlaSettings, SlaSettingsError
from dispatch.routing import ENV_SLA_ALERT
from dispatch.history import event_row, urge_counts
from dispatch.outbox import enqueue
from dispatch.store import TicketRow, TicketStore

LIGHTS = ("green", "yellow", "red")
log = logging.getLogger(__name__)


def used_share(created_at: datetime, deadline: datetime, now: datetime) -> float:
    """How much of the time from filing to the deadline is gone (1.0 = due now)."""
    total = (deadline - created_at).total_seconds()
    return (now - created_at).total_seconds() / total if total > 0 else 1.0


def light(used: float, yellow_at: float) -> str:
    """The deadline light for the share of time used: red from the deadline on (1.0)."""
    return "red" if used >= 1.0 else "yellow" if used >= yellow_at else "green"


class SlaEntry(BaseModel):
    id: str
    light: str
    used: float  # share of the time to the deadline used (1.0 = due now)
    grade: Optional[str]
    department: Optional[str]
    urgency: str
    category: Optional[str]
    created_at: datetime
    deadline: datetime
    overdue_alerted_at: Optional[datetime] = None
    urged: int = 0  # times the resident pressed on it (催办)

    @classmethod
    def from_row(cls, row: TicketRow, now: datetime, yellow_at: float) -> "SlaEntry":
        used = used_share(row.created_at, row.deadline, now)
        return cls(id=row.id, light=light(used, yellow_at), used=round(used, 3),
                   grade=row.grade, department=row.department, urgency=row.urgency,
                   category="/".join(p for p in (row.category_level1, row.category_level2) if p) or None,
                   created_at=row.created_at, deadline=row.deadline, overdue_alerted_at=row.overdue_alerted_at)


class SlaClock:
    def __init__(self, store: TicketStore, settings: Optional[SlaSettings] = None) -> None:
        self.store = store
        self.settings = settings or store.sla
        configured = store.routing.adapters
        self.alert_adapters = list(self.settings.alerts.adapters)
        if ENV_SLA_ALERT in configured and ENV_SLA_ALERT not in self.alert_adapters:
            self.alert_adapters.append(ENV_SLA_ALERT)
        wrong = [a for a in self.alert_adapters if a not in configured or configured[a].type != "webhook"]
        if wrong:
            raise SlaSettingsError(f"settings/sla.yml alerts.adapters {wrong}: each must be a webhook adapter "
                                   "defined in settings/dispatch.yml")

    def board(self, now: datetime, light_wanted: Optional[str] = None, grade: Optional[str] = None,
              department: Optional[str] = None, limit: int = 200) -> Dict[str, object]:
        """Open tickets (linked duplicates ride on their original) with their light, nearest
        deadline first, and the count per light over all of them."""
        query = select(TicketRow).where(TicketRow.status == "open", TicketRow.duplicate_of.is_(None))
        if grade:
            query = query.where(TicketRow.grade == grade)
        if department:
            query = query.where(TicketRow.department == department)
        with self.store.session() as session:
            rows = session.execute(query.order_by(TicketRow.deadline, TicketRow.pk)).scalars().all()
            entries = [SlaEntry.from_row(row, now, self.settings.yellow_at) for row in rows]
            counts = {name: sum(1 for e in entries if e.light == name) for name in LIGHTS}
            shown = [e for e in entries if not light_wanted or e.light == light_wanted][:limit]
            urged = urge_counts(session, [e.id for e in shown])
        for entry in shown:
            entry.urged = urged.get(entry.id, 0)
        return {"counts": counts, "tickets": shown}

    def alert_overdue(self, now: datetime) -> List[str]:
        """Raise the alert for every open ticket that has turned red since the last check;
        returns their ids. Each ticket is alerted once (a reopened ticket already alerted is not)."""
        adapters = self.alert_adapters
        due = (TicketRow.status == "open") & TicketRow.duplicate_of.is_(None) & \
            (TicketRow.deadline <= now) & TicketRow.overdue_alerted_at.is_(None)
        alerted: List[str] = []
        with self.store.session.begin() as session:
            rows = session.execute(select(TicketRow).where(due).order_by(TicketRow.deadline).limit(500)).scalars().all()
            for row in rows:
                won = session.execute(update(TicketRow).where(TicketRow.pk == row.pk, due)
                                      .values(overdue_alerted_at=now)
                                      .execution_options(synchronize_session=False)).rowcount
                if not won:
                    continue  # another app server alerted it a moment ago
                late = now - row.deadline
                note = f"已超过办结时限（{row.deadline:%Y-%m-%d %H:%M}），承办：{row.department or '未定'}，等级{row.grade or '-'}"
                session.add(event_row(row.id, now, "sla", "overdue", {}, note))
                enqueue(session, row.id, "overdue", adapters, now)
                log.warning("ticket %s is overdue by %s (deadline %s, %s, grade %s)", row.id,
                            str(late).split(".")[0], row.deadline.isoformat(timespec="minutes"),
                            row.department, row.grade)
                alerted.append(row.id)
        return alerted

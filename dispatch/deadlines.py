"""Response and resolution deadlines from the urgency grade (settings/urgency.yml) and the
category's SLA (settings/taxonomy.yml): the earlier one wins.

A grade gives each limit in natural hours (`resolve_within_hours`, Yantian: 紧急 3 natural days)
or in working days (`resolve_within_working_days`, Qingdao Shinan: 1/2/5 working days); category
SLAs count natural or working days as settings/deployment.yml `sla_days` says."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Dict, Optional, Tuple

from dispatch.calendar import WorkingCalendar, default_calendar
from intake.yaml_file import deployment_settings
from nlu.urgency import default_rules


def _limit(created_at: datetime, level: Dict[str, Any], what: str, calendar: WorkingCalendar) -> datetime:
    if f"{what}_within_working_days" in level:
        return calendar.add_working_days(created_at, float(level[f"{what}_within_working_days"]))
    return created_at + timedelta(hours=float(level[f"{what}_within_hours"]))


def sla_days_kind() -> str:
    return str(deployment_settings().get("sla_days", "natural"))


def deadlines(created_at: datetime, urgency: str, sla_days: Optional[float] = None,
              calendar: Optional[WorkingCalendar] = None, sla_kind: Optional[str] = None) -> Tuple[datetime, datetime]:
    """Return (respond_by, resolve_by) for a ticket created at ``created_at``."""
    calendar = calendar or default_calendar()
    level = default_rules().levels.get(urgency) or default_rules().levels["一般"]
    resolve = _limit(created_at, level, "resolve", calendar)
    if sla_days:
        if (sla_kind or sla_days_kind()) == "working":
            by_sla = calendar.add_working_days(created_at, float(sla_days))
        else:
            by_sla = created_at + timedelta(days=float(sla_days))
        resolve = min(resolve, by_sla)
    return _limit(created_at, level, "respond", calendar), resolve

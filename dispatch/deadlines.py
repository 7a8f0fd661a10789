"""Response and resolution deadlines from the urgency grade (settings/urgency.yml) and the
category's SLA (settings/taxonomy.yml): the earlier one wins.

A grade gives each limit in natural hours (`resolve_within_hours`, Yantian: 紧急 3 natural days)
or in working days (`resolve_within_working_days`, Qingdao Shinan: 1/2/5 working days); category
SLAs count natural or working days as settings/deployment.yml `sla_days` says."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from common.paths import SETTINGS_DIR
from common.yaml_file import deployment_settings, read_yaml
from dispatch.calendar import WorkingCalendar, default_calendar


class UrgencyLimitsError(ValueError):
    pass


@lru_cache(maxsize=1)
def grade_limits() -> Dict[str, Dict[str, Any]]:
    """The time limits of each urgency grade: the `levels` of settings/urgency.yml (the words that
    grade a message are the language side's business, nlu/urgency.py)."""
    path = SETTINGS_DIR / "urgency.yml"
    levels = (read_yaml(path, UrgencyLimitsError, "the urgency grades") or {}).get("levels") or {}
    for name, level in levels.items():
        for what in ("resolve", "respond"):
            if f"{what}_within_hours" not in level and f"{what}_within_working_days" not in level:
                raise UrgencyLimitsError(f"{path}: level {name} needs {what}_within_hours or "
                                         f"{what}_within_working_days")
    if "一般" not in levels:
        raise UrgencyLimitsError(f"{path}: the level 一般 must be defined")
    return levels


def at_least_as_urgent(grade: str) -> List[str]:
    """The grades ranked as high as ``grade`` or higher (settings/urgency.yml `rank`)."""
    levels = grade_limits()
    rank = int((levels.get(grade) or {}).get("rank", 0))
    return [name for name, level in levels.items() if int(level.get("rank", 0)) >= rank]


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
    level = grade_limits().get(urgency) or grade_limits()["一般"]
    resolve = _limit(created_at, level, "resolve", calendar)
    if sla_days:
        if (sla_kind or sla_days_kind()) == "working":
            by_sla = calendar.add_working_days(created_at, float(sla_days))
        else:
            by_sla = created_at + timedelta(days=float(sla_days))
        resolve = min(resolve, by_sla)
    return _limit(created_at, level, "respond", calendar), resolve

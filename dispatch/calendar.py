"""Working days for deadlines: Qingdao Shinan counts 1/2/5 working days, Yantian 3/5 natural
days; a ticket filed on Friday evening or during the Spring Festival must not fall due on a
holiday. China's official holidays and make-up working days come from the chinese_calendar
package; settings/deployment.yml adds local holidays and working days, and covers years that
package does not know yet (weekends then count as rest days)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Dict, FrozenSet, Optional

import chinese_calendar

from common.yaml_file import deployment_settings


class CalendarError(ValueError):
    pass


@dataclass(frozen=True)
class WorkingCalendar:
    extra_holidays: FrozenSet[date] = field(default_factory=frozenset)
    extra_workdays: FrozenSet[date] = field(default_factory=frozenset)

    def is_workday(self, day: date) -> bool:
        if day in self.extra_holidays:
            return False
        if day in self.extra_workdays:
            return True
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the package has no official schedule for
            return day.weekday() < 5

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """``start`` plus ``days`` working days at the same clock time; filed on a rest day,
        the count starts at the next working day's beginning. A fraction adds that share of a day."""
        moment = start
        if not self.is_workday(moment.date()):
            moment = datetime.combine(self._next_workday(moment.date()), datetime.min.time())
        whole = int(days)
        for _ in range(whole):
            moment = datetime.combine(self._next_workday(moment.date()), moment.time())
        return moment + timedelta(days=days - whole)

    def _next_workday(self, day: date) -> date:
        day += timedelta(days=1)
        for _ in range(366):
            if self.is_workday(day):
                return day
            day += timedelta(days=1)
        raise CalendarError("no working day within a year: check extra_holidays in settings/deployment.yml")


def _dates(values, key: str) -> FrozenSet[date]:
    out = set()
    for value in values or []:
        try:
            out.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError:
            raise CalendarError(f"settings/deployment.yml: calendar.{key}: {value!r} is not a date "
                                f"(write 2026-10-09)") from None
    return frozenset(out)


def load_calendar(data: Optional[Dict] = None) -> WorkingCalendar:
    calendar = (deployment_settings() if data is None else data).get("calendar") or {}
    return WorkingCalendar(_dates(calendar.get("extra_holidays"), "extra_holidays"),
                           _dates(calendar.get("extra_workdays"), "extra_workdays"))


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    return load_calendar()

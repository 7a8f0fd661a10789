"""The week's 三率 per department for the console (dispatch/three_rates.py): GET /api/console/rates?since=&until=
(dates, both days included; the last seven days by default) as JSON, or with format=csv as the table a
supervisor circulates (一周一通报); the page /console/rates. Operators and admins."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Optional, Tuple

from aiohttp import web

from appserver.errors import json_error
from common import clock
from common.json_body import dumps
from dispatch.three_rates import three_rates

#: the longest period one request counts (a year of tickets is read into memory at most)
MAX_DAYS = 366
DEFAULT_DAYS = 7
CSV_COLUMNS = (("department", "承办部门"), ("filed", "受理量"), ("response_due", "应签收"),
               ("responded_in_time", "及时签收"), ("response_rate", "签收及时率"), ("closed", "已办结"),
               ("closure_rate", "办结率"), ("closure_due", "应办结"), ("closed_in_time", "按期办结"),
               ("on_time_rate", "按期办结率"), ("overdue_open", "超期未办结"), ("rated", "参评"),
               ("satisfied", "满意及基本满意"), ("dissatisfied", "不满意"), ("satisfaction_rate", "满意率"))


class PeriodError(ValueError):
    pass


def _day(value: Optional[str], name: str) -> Optional[date]:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PeriodError(f"'{name}' must be a date as YYYY-MM-DD, got {value!r}") from None


def period(since: Optional[str], until: Optional[str], today: date) -> Tuple[date, date]:
    """The first and last day asked for (both included): the last seven days up to ``today`` by default."""
    last = _day(until, "until") or today
    first = _day(since, "since") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise PeriodError(f"'since' ({first}) is after 'until' ({last})")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError(f"the period may span {MAX_DAYS} days at most, not {(last - first).days + 1}")
    return first, last


def as_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in CSV_COLUMNS])
    for row in rows:
        data = row.to_dict()
        writer.writerow(["" if data[key] is None else data[key] for key, _ in CSV_COLUMNS])
    return "\ufeff" + out.getvalue()  # a BOM: spreadsheet programs read the Chinese headers as UTF-8


async def rates(request: web.Request) -> web.Response:
    now = clock.now()
    try:
        first, last = period(request.query.get("since"), request.query.get("until"), now.date())
    except PeriodError as exc:
        return json_error(400, str(exc))
    wanted = request.query.get("format", "json")
    if wanted not in ("json", "csv"):
        return json_error(400, "'format' must be json or csv")
    rows = three_rates(request.app["store"], datetime.combine(first, time.min),
                       datetime.combine(last + timedelta(days=1), time.min), now)
    if wanted == "csv":
        return web.Response(text=as_csv(rows), content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": f'attachment; filename="rates-{first}-{last}.csv"'})
    return web.json_response({"since": first.isoformat(), "until": last.isoformat(), "as_of": now.isoformat(),
                              "rows": [row.to_dict() for row in rows]}, dumps=dumps)


async def rates_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(request.app["console_static"] / "rates.html")


ROUTES = [web.get("/api/console/rates", rates), web.get("/console/rates", rates_page)]

"""The 三率 a platform reports on its departments (dispatch/three_rates.py) on both databases, and the
console's page and API for them (/console/rates, /api/console/rates) through real HTTP."""
from __future__ import annotations

from datetime import datetime, timedelta

import requests

from dispatch.schema import TicketIn
from dispatch.store import TicketStore
from dispatch.three_rates import three_rates
from tests.console_people import sign_in

MONDAY = datetime(2026, 11, 23, 9, 0)


def _file(store: TicketStore, at: datetime, department: str, place: str):
    ticket = TicketIn(description=f"{place}门口垃圾没人清", reporter="wx-1", department=department,
                      category={"level1": "城乡建设", "level2": "城市建设和市政管理", "level3": "环境卫生"},
                      location={"estate": place, "text": place})
    return store.file(ticket, now=at)[0]


def test_response_closure_and_satisfaction_are_counted_per_department(new_db):
    store = TicketStore(new_db())
    on_time = _file(store, MONDAY, "城市管理局", "海景花园")
    store.set_status(on_time.id, "open", "department", "已派人", now=MONDAY + timedelta(hours=1))
    store.set_status(on_time.id, "closed", "department", "已清运", now=MONDAY + timedelta(days=1))
    store.rate(on_time.id, "满意", now=MONDAY + timedelta(days=1, hours=2))
    late = _file(store, MONDAY, "城市管理局", "锦绣家园")
    store.set_status(late.id, "open", "department", "已派人", now=late.respond_by + timedelta(hours=1))
    store.set_status(late.id, "closed", "department", "已清运", now=late.deadline + timedelta(hours=1))
    store.rate(late.id, "不满意", "太慢了", now=late.deadline + timedelta(hours=2))  # reopens it
    _file(store, MONDAY, "城市管理局", "东海岸小区")  # nobody answered
    fresh = _file(store, MONDAY + timedelta(days=9), "生态环境局", "阳光花园")
    _file(store, MONDAY - timedelta(days=1), "城市管理局", "碧海湾")  # before the period
    now = fresh.created_at + timedelta(hours=1)

    rows = {r.department: r for r in three_rates(store, MONDAY, MONDAY + timedelta(days=10), now)}
    city = rows["城市管理局"]
    assert (city.filed, city.response_due, city.responded_in_time) == (3, 3, 1)
    assert (city.closed, city.closure_due, city.closed_in_time, city.overdue_open) == (1, 3, 1, 2)
    assert (city.rated, city.satisfied, city.dissatisfied) == (2, 1, 1)
    assert (city.response_rate, city.closure_rate, city.on_time_rate, city.satisfaction_rate) == (
        round(1 / 3, 4), round(1 / 3, 4), round(1 / 3, 4), 0.5)
    green = rows["生态环境局"]
    assert green.filed == 1 and green.response_due == 0 and green.response_rate is None
    assert green.satisfaction_rate is None  # nothing to count is no rate, not 0
    total = rows["全部"]
    assert (total.filed, total.response_due, total.rated) == (4, 3, 2)
    assert list(rows)[-1] == "全部"


def test_the_console_shows_the_rates_to_operators_only(stack, app_url, people):
    from tests.console_people import file_open311

    file_open311(app_url, "海景花园2栋门口的垃圾桶满了没人清", "海景花园2栋",
                 code="城乡建设/城市建设和市政管理/环境卫生")
    url = f"{app_url}/api/console/rates"
    assert requests.get(url, timeout=10).status_code == 401
    assert sign_in(app_url, people["trainer"]).get(url, timeout=10).status_code == 403
    operator = sign_in(app_url, people["operator"])
    answer = operator.get(url, timeout=30)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["rows"][-1]["department"] == "全部" and data["rows"][-1]["filed"] >= 1
    assert (datetime.fromisoformat(data["until"]) - datetime.fromisoformat(data["since"])).days == 6
    table = operator.get(url, params={"since": data["since"], "until": data["until"], "format": "csv"}, timeout=30)
    assert table.status_code == 200 and table.headers["Content-Type"].startswith("text/csv")
    assert table.text.startswith("\ufeff承办部门,受理量") and "签收及时率" in table.text and "全部" in table.text
    for query, said in (({"since": "2026-13-01"}, "'since' must be a date"), ({"since": "2026-12-01", "until": "2026-11-01"},
                        "is after"), ({"since": "2024-01-01", "until": "2026-01-01"}, "366 days"), ({"format": "xml"}, "json or csv")):
        bad = operator.get(url, params=query, timeout=10)
        assert bad.status_code == 400 and said in bad.json()["error"], bad.text

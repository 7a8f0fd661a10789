"""The SLA clock: grades from the category and the place (settings/sla.yml), deadline lights,
one overdue alert per ticket through a real webhook receiver, GET /api/sla, and a database from
an earlier release gaining the new columns in place."""
from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta

import pytest
import requests
from sqlalchemy import inspect

from dispatch.database import engine_for
from dispatch.delivery_worker import DeliveryWorker
from dispatch.grades import SlaSettingsError, load_sla_settings, sla_settings
from dispatch.location import Address
from dispatch.outbox import Outbox
from dispatch.routing import DispatchSettings
from dispatch.sla import SlaClock
from dispatch.store import TicketStore
from tests.conftest import FULL_KEY
from tests.console_people import sign_in
from tests.test_dispatch_delivery import hook, report, run_worker  # noqa: F401  (hook is a fixture)

T0 = datetime(2026, 11, 2, 9, 0)  # a Monday


def test_grades_come_from_the_category_and_rise_with_what_the_place_lacks():
    sla = sla_settings()
    community = Address(street="沙头角街道", community="海涛社区", estate="海涛花园", placement="placed")
    street_only = Address(street="沙头角街道", road="海山路", placement="placed")
    assert sla.grade_for("城乡建设", "城市建设和市政管理", "小区管理", "城市管理局", community)[0] == "A"
    grade, why = sla.grade_for("城乡建设", "城市建设和市政管理", "小区管理", "城市管理局", street_only)
    assert grade == "B" and "缺少社区" in why
    assert sla.grade_for("城乡建设", "城市建设和市政管理", "电力供应", "供电公司", community)[0] == "D"
    assert sla.grade_for("科技与信息产业", "电信", None, "通信管理局", community)[0] == "D"
    assert sla.grade_for("环境保护", "环境污染", None, "生态环境局", community)[0] == "C"
    grade, why = sla.grade_for("环境保护", "环境污染", None, "生态环境局", Address(placement="outside"))
    assert grade == "D" and "不在本区域" in why


def test_bad_sla_settings_fail_precisely(tmp_path):
    path = tmp_path / "sla.yml"
    path.write_text("grades: {A: {name: 社区}}\ndefault: C\n", encoding="utf-8")
    with pytest.raises(SlaSettingsError, match=r"grades \['C'\] are used but not defined"):
        load_sla_settings(path)
    path.write_text("grades: {A: {name: 社区}, B: {name: 街道}}\ndefault: A\nplace_needs: {A: village}\n",
                    encoding="utf-8")
    with pytest.raises(SlaSettingsError, match="not location fields"):
        load_sla_settings(path)


def test_a_ticket_is_graded_when_filed_and_regraded_when_its_place_changes(new_db):
    store = TicketStore(new_db(), routing=DispatchSettings())
    ticket, _ = store.file(report(1, category={"level1": "城乡建设", "level2": "城市建设和市政管理",
                                               "level3": "小区管理"},
                                   location={"street": "沙头角街道", "estate": "海涛花园"}))
    assert ticket.grade == "B" and "缺少社区" in ticket.grade_reason
    amended = store.amend(ticket.id, "operator", location=Address(street="沙头角街道", community="海涛社区",
                                                                    estate="海涛花园"))
    assert amended.grade == "A"
    assert store.history(ticket.id)[-1].changes["grade"] == {"from": "B", "to": "A"}


def test_lights_turn_yellow_at_half_time_and_red_when_overdue(new_db):
    store = TicketStore(new_db(), routing=DispatchSettings())
    ticket, _ = store.file(report(2), now=T0)  # 一般: 120 natural hours
    assert ticket.deadline == T0 + timedelta(hours=120)
    clock = SlaClock(store)
    lights = [clock.board(T0 + timedelta(hours=h))["tickets"][0].light for h in (1, 59, 61, 121)]
    assert lights == ["green", "green", "yellow", "red"]
    board = clock.board(T0 + timedelta(hours=61), light_wanted="green")
    assert board["counts"] == {"green": 0, "yellow": 1, "red": 0} and board["tickets"] == []
    store.set_status(ticket.id, "closed", "department")
    assert clock.board(T0 + timedelta(hours=200))["counts"] == {"green": 0, "yellow": 0, "red": 0}


def test_an_overdue_ticket_raises_one_alert_to_the_alert_webhook(new_db, hook):  # noqa: F811
    os.environ["TEST_ALERT_URL"], os.environ["TEST_ALERT_SECRET"] = hook.url, "s3cret"
    routing = DispatchSettings.parse_obj({
        "adapters": {"leaders": {"type": "webhook", "url_env": "TEST_ALERT_URL", "secret_env": "TEST_ALERT_SECRET"}},
        "outbox": {"base_delay_s": 0.05, "poll_s": 0.05}})
    settings = sla_settings().copy(update={"alerts": sla_settings().alerts.copy(update={"adapters": ["leaders"]})})
    store = TicketStore(new_db(), routing=routing, sla=settings)
    late, _ = store.file(report(3), now=T0)
    store.file(report(4), now=T0 + timedelta(hours=100))  # not due yet
    clock = SlaClock(store)
    assert clock.alert_overdue(T0 + timedelta(hours=119)) == []
    assert clock.alert_overdue(T0 + timedelta(hours=121)) == [late.id]
    assert clock.alert_overdue(T0 + timedelta(hours=130)) == []  # once
    outbox = Outbox(store.session, routing.outbox)
    run_worker(DeliveryWorker(store, routing), lambda: outbox.counts()["delivered"] == 1)
    [alert] = hook.received
    assert (alert.ticket_id, alert.event) == (late.id, "ticket.overdue") and hook.bad_signatures == 0
    assert alert.body["grade"] == late.grade and alert.body["deadline"].startswith("2026-11-07T09:00")
    event = store.history(late.id)[-2]
    assert event.kind == "overdue" and event.actor == "sla" and "已超过办结时限" in event.note
    with pytest.raises(SlaSettingsError, match="must be a webhook adapter"):
        SlaClock(TicketStore(new_db(), routing=DispatchSettings(), sla=settings))


def test_the_sla_board_is_served_to_operators_and_full_keys(stack, app_url, people):
    """The board was open to anyone reaching the port: an operator's session or a key with full rights now."""
    assert requests.get(f"{app_url}/api/sla", timeout=10).status_code == 401
    assert sign_in(app_url, people["trainer"]).get(f"{app_url}/api/sla", timeout=10).status_code == 403
    board = sign_in(app_url, people["operator"]).get(f"{app_url}/api/sla", timeout=10)
    assert board.status_code == 200 and set(board.json()["counts"]) == {"green", "yellow", "red"}
    assert board.json()["grades"]["A"]["name"] == "社区"
    assert requests.get(f"{app_url}/api/sla", headers=FULL_KEY, timeout=10).json()["counts"] == board.json()["counts"]
    assert requests.get(f"{app_url}/api/sla", headers=FULL_KEY, params={"light": "blue"}, timeout=10).status_code == 400
    assert requests.get(f"{app_url}/api/sla", headers=FULL_KEY, params={"grade": "Z"}, timeout=10).status_code == 400


def test_a_database_from_the_previous_release_gains_the_new_columns(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # the tickets and deliveries tables as the previous release made them
        db.execute("CREATE TABLE tickets (pk INTEGER PRIMARY KEY, id VARCHAR(32), idempotency_key VARCHAR(200), "
                   "created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, channel VARCHAR(16) NOT NULL, "
                   "reporter VARCHAR(200), contact VARCHAR(100), description TEXT NOT NULL, "
                   "category_level1 VARCHAR(100), category_level2 VARCHAR(100), category_level3 VARCHAR(100), "
                   "category_confidence FLOAT, department VARCHAR(100), location_json TEXT NOT NULL, "
                   "place_key VARCHAR(300), lat FLOAT, lng FLOAT, urgency VARCHAR(8) NOT NULL, "
                   "urgency_reasons_json TEXT NOT NULL, needs_review BOOLEAN NOT NULL, deadline DATETIME NOT NULL, "
                   "respond_by DATETIME NOT NULL, status VARCHAR(16) NOT NULL, status_notes TEXT, "
                   "duplicate_of VARCHAR(32), reporters_count INTEGER NOT NULL)")
        db.execute("INSERT INTO tickets VALUES (1, '20261101000001', NULL, '2026-11-01 09:00:00.000000', "
                   "'2026-11-01 09:00:00.000000', 'web', NULL, NULL, '路灯坏了', '城乡建设', NULL, NULL, NULL, NULL, "
                   "'{}', NULL, NULL, NULL, '一般', '[]', 0, '2026-11-06 09:00:00.000000', "
                   "'2026-11-01 13:00:00.000000', 'open', NULL, NULL, 1)")
    engine = engine_for(f"sqlite:///{path}")
    columns = {c["name"] for c in inspect(engine).get_columns("tickets")}
    assert {"grade", "grade_reason", "overdue_alerted_at"} <= columns
    store = TicketStore(f"sqlite:///{path}", routing=DispatchSettings())
    assert store.get("20261101000001").description == "路灯坏了"
    assert SlaClock(store).alert_overdue(datetime(2026, 11, 7)) == ["20261101000001"]

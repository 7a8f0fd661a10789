"""Delivering tickets to a city's systems: the outbox, the webhook adapter, routing, dead letters,
re-drive, the published schema — against real local HTTP receivers (bench/webhook_receiver.py)
and the test stack's app server."""
from __future__ import annotations

import asyncio
import os
import shutil
import time
import uuid
from pathlib import Path

import jsonschema
import pytest
import requests

from bench.outbox import App, free_port
from bench.webhook_receiver import WebhookReceiver
from tests.conftest import FULL_KEY
from common import clock
from dispatch.delivery_worker import DeliveryWorker
from dispatch.outbox import Outbox, backoff_s
from dispatch.routing import DispatchSettings, DispatchSettingsError, OutboxSettings, load_dispatch_settings
from dispatch.schema import TicketIn
from dispatch.store import TicketStore


def wait_for(check, timeout: float = 20, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"not reached within {timeout} s")


def settings_for(url: str, secret: str = "s3cret", **outbox) -> DispatchSettings:
    os.environ["TEST_HOOK_URL"], os.environ["TEST_HOOK_SECRET"] = url, secret
    return DispatchSettings.parse_obj({
        "adapters": {"city": {"type": "webhook", "url_env": "TEST_HOOK_URL", "secret_env": "TEST_HOOK_SECRET"}},
        "routes": [{"adapters": ["city"]}],
        "outbox": {"base_delay_s": 0.05, "max_delay_s": 0.5, "poll_s": 0.05, "lease_s": 5, **outbox}})


def report(n: int, **extra) -> TicketIn:
    fields = dict(description=f"第{n}号楼下路灯坏了", channel="api", contact="13812345678",
                  category={"level1": "城乡建设", "level2": f"测试类{n}"}, department="城市管理局",
                  location={"community": "海涛社区", "building": str(n)})
    return TicketIn(**{**fields, **extra})


def run_worker(worker: DeliveryWorker, until, timeout: float = 30) -> None:
    """Runs the worker in this thread until ``until()`` holds."""
    async def main() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        deadline = time.monotonic() + timeout
        while not until() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        stop.set()
        await task

    asyncio.run(main())


@pytest.fixture
def hook():
    running = WebhookReceiver(port=free_port(), secret="s3cret").start()
    yield running
    running.stop()


@pytest.fixture
def store(new_db, hook) -> TicketStore:
    return TicketStore(new_db(), routing=settings_for(hook.url))


def test_a_ticket_and_its_delivery_are_written_together_and_arrive_signed_once(store, hook):
    ticket, _ = store.file(report(1))
    outbox = Outbox(store.session, store.routing.outbox)
    assert [(d.ticket_id, d.state, d.kind) for d in outbox.list()] == [(ticket.id, "pending", "filed")]
    run_worker(DeliveryWorker(store, store.routing), lambda: hook.tickets())
    assert hook.raw_filed() == {ticket.id: 1} and hook.bad_signatures == 0
    body = hook.received[0].body
    assert body["contact"] == "13812345678" and body["created_at"].endswith("+08:00")
    delivered = outbox.get(outbox.list()[0].id)
    assert delivered.state == "delivered" and delivered.remote_id == f"R-{ticket.id}"
    assert [a.ok for a in delivered.history] == [True]
    assert any(e.kind == "delivered" for e in store.history(ticket.id))


def test_a_residents_urge_reaches_the_department_where_the_ticket_went(store, hook):
    """A 催办 was only in our history: the department, working in its own system, never heard of it. It is sent
    where the ticket carrying the work went — for a resident whose report is linked to it, too."""
    first, _ = store.file(report(3, channel="web", reporter="web-resident-a"))
    linked, _ = store.file(report(3, channel="web", reporter="web-resident-b", description="三号楼下路灯也不亮"))
    assert linked.duplicate_of == first.id
    run_worker(DeliveryWorker(store, store.routing), lambda: hook.tickets())
    store.urge(linked.id, "催一下")
    again, created = store.file(report(3, channel="web", reporter="web-resident-a", description="三号楼下路灯还是没人修"))
    assert again.id == first.id and not created
    run_worker(DeliveryWorker(store, store.routing), lambda: len(hook.received) >= 3)
    assert [(r.ticket_id, r.event) for r in hook.received] == [(first.id, "ticket.filed"), (first.id, "ticket.urged"),
                                                                 (first.id, "ticket.urged")]


def test_a_linked_duplicate_is_not_sent_again_and_an_amendment_is(store, hook):
    first, _ = store.file(report(2))
    second, _ = store.file(report(2, description="又一个人说二号楼下路灯坏了"))
    assert second.duplicate_of == first.id
    store.amend(first.id, "resident", urgency="紧急", urgency_reasons=["居民说很急"])
    run_worker(DeliveryWorker(store, store.routing), lambda: len(hook.received) >= 2)
    assert [(r.ticket_id, r.event) for r in hook.received] == [(first.id, "ticket.filed"),
                                                                 (first.id, "ticket.amended")]
    assert hook.received[-1].body["urgency"] == "紧急"


def test_a_receiver_down_then_refusing_gets_every_ticket_once_when_it_is_back(store, hook):
    hook.stop()  # down: connections refused
    tickets = [store.file(report(100 + n))[0].id for n in range(60)]
    worker = DeliveryWorker(store, store.routing)

    async def outage() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        await asyncio.sleep(1.0)
        hook.answer_status = 503  # up, but refusing
        await asyncio.to_thread(hook.start)
        await asyncio.sleep(1.0)
        hook.answer_status = 200  # back
        deadline = time.monotonic() + 30
        while len(hook.tickets()) < len(tickets) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        stop.set()
        await task

    asyncio.run(outage())
    assert hook.raw_filed() == {t: 1 for t in tickets}  # 0 lost, 0 doubled
    assert hook.refused > 0
    outbox = Outbox(store.session, store.routing.outbox)
    assert outbox.counts() == {"pending": 0, "delivered": 60, "dead": 0}
    tried = outbox.get(outbox.list(ticket_id=tickets[0])[0].id)
    assert len(tried.history) >= 2 and not tried.history[0].ok and tried.history[0].error


def test_a_rejection_is_dead_lettered_with_its_reason_and_can_be_redriven(store, hook):
    hook.answer_status = 400
    ticket, _ = store.file(report(3))
    outbox = Outbox(store.session, store.routing.outbox)
    run_worker(DeliveryWorker(store, store.routing), lambda: outbox.counts()["dead"] == 1)
    dead = outbox.list(state="dead")[0]
    assert dead.attempts == 1 and dead.last_error.startswith("HTTP 400: refused for the test")
    hook.answer_status = 200
    outbox.redrive(dead.id, clock.now())
    run_worker(DeliveryWorker(store, store.routing), lambda: hook.tickets())
    assert outbox.get(dead.id).state == "delivered" and hook.raw_filed() == {ticket.id: 1}
    assert [e.kind for e in store.history(ticket.id)] == ["dead_letter", "redrive", "delivered"]


def test_timeouts_and_errors_are_retried_then_dead_lettered(new_db, hook):
    hook.delay_s = 1.0
    store = TicketStore(new_db(), routing=settings_for(hook.url, timeout_s=0.2,
                                                                             max_attempts=3))
    store.file(report(4))
    outbox = Outbox(store.session, store.routing.outbox)
    run_worker(DeliveryWorker(store, store.routing), lambda: outbox.counts()["dead"] == 1)
    dead = outbox.get(outbox.list()[0].id)
    assert dead.attempts == 3 and [a.error for a in dead.history] == ["no answer within 0.2 s"] * 3


def test_a_200_with_garbage_is_delivery_and_a_missing_secret_is_reported(new_db, hook):
    hook.answer_body = "<html>ok?</html>"
    store = TicketStore(new_db(), routing=settings_for(hook.url))
    store.file(report(5))
    run_worker(DeliveryWorker(store, store.routing), lambda: hook.tickets())
    assert Outbox(store.session, store.routing.outbox).list()[0].remote_id is None
    del os.environ["TEST_HOOK_SECRET"]
    unsigned = TicketStore(new_db(), routing=store.routing)
    unsigned.file(report(6))
    outbox = Outbox(unsigned.session, unsigned.routing.outbox)
    run_worker(DeliveryWorker(unsigned, unsigned.routing), lambda: outbox.list()[0].attempts >= 1)
    assert outbox.list()[0].last_error == "adapter city: TEST_HOOK_SECRET is not set; deliveries are signed"


def test_two_workers_never_send_one_job_twice(store, hook):
    tickets = [store.file(report(200 + n))[0].id for n in range(40)]

    async def both() -> None:
        workers = [DeliveryWorker(store, store.routing) for _ in range(2)]
        stop = asyncio.Event()
        tasks = [asyncio.create_task(w.run(stop)) for w in workers]
        deadline = time.monotonic() + 30
        while len(hook.tickets()) < len(tickets) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        stop.set()
        await asyncio.gather(*tasks)

    asyncio.run(both())
    assert hook.raw_filed() == {t: 1 for t in tickets}


def test_backoff_grows_with_jitter_and_is_capped():
    settings = OutboxSettings(base_delay_s=2, max_delay_s=60, jitter=0.2)
    assert 1.6 <= backoff_s(1, settings) <= 2.4 and 3.2 <= backoff_s(2, settings) <= 4.8
    assert backoff_s(30, settings) <= 72


def test_routes_choose_adapters_and_bad_settings_fail_precisely(tmp_path):
    settings = DispatchSettings.parse_obj({
        "adapters": {"a": {"type": "webhook", "url": "http://x"}, "b": {"type": "webhook", "url": "http://y"}},
        "routes": [{"adapters": ["a"]}, {"adapters": ["b", "a"], "when": {"level1": ["环境保护"]}}]})
    assert settings.adapters_for({"level1": "环境保护"}) == ["a", "b"]
    assert settings.adapters_for({"level1": "城乡建设"}) == ["a"]
    bad = tmp_path / "dispatch.yml"
    bad.write_text("adapters: {a: {type: fax, url: 'http://x'}}\nroutes: [{adapters: [b]}]\n", encoding="utf-8")
    with pytest.raises(DispatchSettingsError, match="type must be one of"):
        load_dispatch_settings(bad)
    bad.write_text("adapters: {a: {type: webhook, url: 'http://x'}}\nroutes: [{adapters: [b]}]\n", encoding="utf-8")
    with pytest.raises(DispatchSettingsError, match=r"not defined: \['b'\]"):
        load_dispatch_settings(bad)


def test_the_stack_delivers_an_open311_request_once_and_publishes_the_schema(stack, app_url, receiver):
    key = uuid.uuid4().hex
    form = {"service_code": "城乡建设/城市建设和市政管理/城市公共设施", "description": "海涛社区7栋门口路灯不亮",
            "address_string": "海涛社区7栋", "idempotency_key": key}
    answers = [requests.post(f"{app_url}/open311/v2/requests.json", data=form, timeout=10) for _ in range(3)]
    ticket_id = answers[0].json()[0]["service_request_id"]
    assert {a.json()[0]["service_request_id"] for a in answers} == {ticket_id}
    wait_for(lambda: receiver.tickets().get(ticket_id))
    time.sleep(1.0)
    assert receiver.raw_filed()[ticket_id] == 1 and receiver.bad_signatures == 0
    schema = requests.get(f"{app_url}/api/schema/ticket.json", timeout=10).json()
    assert schema["x-georeport-v2"]["lat"] == "location.lat"
    body = next(r.body for r in receiver.received if r.ticket_id == ticket_id)
    jsonschema.validate(body, schema)
    deliveries = requests.get(f"{app_url}/api/deliveries", headers=FULL_KEY, params={"ticket_id": ticket_id}, timeout=10).json()
    assert [d["state"] for d in deliveries["deliveries"]] == ["delivered"]
    assert requests.get(f"{app_url}/api/deliveries", headers=FULL_KEY, params={"state": "lost"}, timeout=10).status_code == 400


def test_the_app_server_killed_mid_delivery_loses_and_doubles_nothing(tmp_path):
    """An app server of its own (own port and database), its receiver refusing, 100 Open311
    requests (the receiver back half-way), the app killed with SIGKILL and started again."""
    hook = WebhookReceiver(port=free_port(), secret="s3cret", answer_status=503).start()
    root = Path(__file__).resolve().parent.parent
    settings = tmp_path / "settings"
    shutil.copytree(root / "settings", settings)
    (settings / "dispatch.yml").write_text(  # a killed worker's leases run out in 3 s, not a minute
        "outbox: {base_delay_s: 0.2, max_delay_s: 1, poll_s: 0.1, lease_s: 3}\n", encoding="utf-8")
    app = App(f"sqlite:///{tmp_path / 'app.db'}", hook.url, "s3cret", INTAKE_SETTINGS_DIR=str(settings))
    app.start()
    try:
        ids = []
        for n in range(100):
            form = {"service_code": "城乡建设/城市建设和市政管理/城市公共设施", "description": f"测试路灯{n}号不亮",
                    "address_string": f"海涛社区{n}栋"}
            ids.append(requests.post(f"http://127.0.0.1:{app.port}/open311/v2/requests.json", data=form,
                                     timeout=10).json()[0]["service_request_id"])
            if n == 50:
                hook.answer_status = 200  # some arrive while the app is still up
        app.kill()
        app.start()
        wait_for(lambda: len(hook.tickets()) == len(set(ids)), timeout=60)
        time.sleep(1.0)
        # every ticket once, by delivery id: a job the receiver answered just before the kill, whose
        # answer the dead app could not record, comes again with the same X-Intake-Delivery id
        assert hook.tickets() == {i: 1 for i in set(ids)}
        assert sum(hook.raw_filed().values()) - len(ids) <= 16  # at most the jobs in flight at the kill
    finally:
        app.stop()
        hook.stop()

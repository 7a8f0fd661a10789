"""The Open311 client adapter against real GeoReport v2 servers: a city's stand-in
(bench/open311_city.py: api keys, its own service codes, tokens, bad answers, statuses the
department changes) and our own app server's Open311 endpoint; statuses read back and applied
to the ticket by the app server's background round."""
from __future__ import annotations

import asyncio
import os
from datetime import timedelta

import aiohttp
import pytest
import requests

from bench.open311_city import Open311City
from bench.outbox import free_port
from common import clock
from dispatch.delivery_worker import DeliveryWorker
from dispatch.outbox import Outbox
from dispatch.routing import DispatchSettings
from dispatch.status_poll import StatusPoller
from dispatch.store import TicketStore
from tests.app_in_process import app_server
from tests.test_conversation_paths import post_status
from tests.test_dispatch_delivery import report, run_worker


def open311_settings(url: str, key: str = "city-key", **adapter) -> DispatchSettings:
    os.environ["TEST_CITY_URL"], os.environ["TEST_CITY_KEY"] = url, key
    conf = {"type": "open311", "url_env": "TEST_CITY_URL", "api_key_env": "TEST_CITY_KEY",
            "jurisdiction_id": "yantian.example", "service_codes": {"城乡建设": "streetlight"}, "poll_s": 1,
            **adapter}
    return DispatchSettings.parse_obj({"adapters": {"city311": conf}, "routes": [{"adapters": ["city311"]}],
                                       "outbox": {"base_delay_s": 0.05, "max_delay_s": 0.3, "poll_s": 0.05,
                                                  "lease_s": 5}})


@pytest.fixture
def city():
    running = Open311City(port=free_port()).start()
    yield running
    running.stop()


@pytest.fixture
def store_for(new_db):
    return lambda settings: TicketStore(new_db(), routing=settings)


def deliver_all(store: TicketStore) -> Outbox:
    outbox = Outbox(store.session, store.routing.outbox)
    run_worker(DeliveryWorker(store, store.routing), lambda: outbox.counts()["pending"] == 0)
    return outbox


def poll(store: TicketStore, later_s: float = 0):
    poller = StatusPoller(store, DeliveryWorker(store, store.routing).adapters)

    async def once():
        async with aiohttp.ClientSession() as http:
            return await poller.run_once(http, clock.now() + timedelta(seconds=later_s))

    return asyncio.run(once())


def test_a_ticket_is_filed_at_the_city_once_and_its_closure_is_read_back(store_for, city):
    store = store_for(open311_settings(city.url))
    ticket, _ = store.file(report(1, location={"community": "海涛社区", "building": "1", "text": "海涛社区1栋"}))
    outbox = deliver_all(store)
    [delivery] = outbox.list()
    assert delivery.state == "delivered" and delivery.remote_id == "C-1"
    [sent] = city.posts
    assert sent["api_key"] == "city-key" and sent["jurisdiction_id"] == "yantian.example"
    assert sent["service_code"] == "streetlight" and sent["description"] == ticket.description
    assert sent["phone"] == "13812345678" and sent["address_string"] == "海涛社区1栋"
    assert sent["attribute[urgency]"] == "一般" and sent["attribute[community]"] == "海涛社区"
    assert sent["attribute[grade]"] == ticket.grade and sent["idempotency_key"] == f"intake-{ticket.id}"
    assert poll(store) == []  # filed, nothing done yet
    city.set_status("C-1", "closed", "已更换灯泡")
    assert poll(store) == []  # read a moment ago: not again before poll_s
    [change] = poll(store, later_s=2)
    assert (change.ticket_id, change.status, change.note, change.remote_id) == (ticket.id, "closed", "已更换灯泡", "C-1")
    assert poll(store, later_s=4) == []  # a change is reported once
    assert outbox.get(delivery.id).remote_status == "closed"


def test_a_city_that_is_down_is_asked_again_after_poll_s_not_every_round(store_for, city):
    store = store_for(open311_settings(city.url))
    store.file(report(8))
    [delivery] = deliver_all(store).list()
    city.stop()
    assert poll(store) == []  # refused connection: logged, nothing changes
    read_at = Outbox(store.session, store.routing.outbox).get(delivery.id).polled_at
    assert read_at is not None
    city.start()
    city.set_status("C-1", "closed", "已修复")
    assert poll(store) == []  # within poll_s of the failed read
    [change] = poll(store, later_s=2)
    assert change.status == "closed"


def test_a_token_is_resolved_to_the_citys_request_id(store_for, city):
    city.tokens, city.token_reads_before_id = True, 1
    store = store_for(open311_settings(city.url))
    store.file(report(2))
    outbox = deliver_all(store)
    [delivery] = outbox.list()
    assert (delivery.remote_id, delivery.remote_token) == (None, "T-C-1")
    poll(store)  # the city has not assigned the id yet
    assert outbox.get(delivery.id).remote_id is None
    city.set_status("C-1", "closed")
    [change] = poll(store, later_s=2)
    assert change.remote_id == "C-1" and outbox.get(delivery.id).remote_id == "C-1"


def test_rejections_are_dead_lettered_with_the_citys_reason(store_for, city):
    store = store_for(open311_settings(city.url, service_codes={}, default_service_code="bogus"))
    store.file(report(3))
    [dead] = deliver_all(store).list(state="dead")
    assert dead.attempts == 1 and dead.last_error == "HTTP 400: service_code 'bogus' is not one of ours"
    wrong_key = store_for(open311_settings(city.url, key="stolen-key"))
    wrong_key.file(report(4, description="另一个路灯坏了"))
    outbox = Outbox(wrong_key.session, wrong_key.routing.outbox)
    run_worker(DeliveryWorker(wrong_key, wrong_key.routing), lambda: outbox.counts()["pending"] == 0)
    assert outbox.list()[0].last_error == "HTTP 403: api_key is missing or not valid", [p["api_key"] for p in city.posts]
    assert city.requests == {}


def test_a_garbage_answer_is_retried_and_the_request_filed_once(store_for, city):
    city.answer_status, city.answer_body = 200, "<html>系统维护中</html>"
    store = store_for(open311_settings(city.url))
    ticket, _ = store.file(report(5))
    outbox = Outbox(store.session, store.routing.outbox)
    worker = DeliveryWorker(store, store.routing)

    async def garbage_then_fixed() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        while len(city.posts) < 3:
            await asyncio.sleep(0.05)
        city.answer_status = None  # the city back to normal
        while outbox.counts()["pending"]:
            await asyncio.sleep(0.05)
        stop.set()
        await task

    asyncio.run(asyncio.wait_for(garbage_then_fixed(), 30))
    delivery = outbox.get(outbox.list()[0].id)
    assert delivery.state == "delivered" and len(city.requests) == 1
    assert not delivery.history[0].ok and "without a service_request_id or token: <html>系统维护中</html>" in \
        delivery.history[0].error
    store.amend(ticket.id, "resident", urgency="紧急", urgency_reasons=["居民补充"])
    run_worker(worker, lambda: outbox.counts()["pending"] == 0)
    amended = outbox.list(state="dead")[0]
    assert amended.kind == "amended" and "GeoReport v2 has no way" in amended.last_error
    store.urge(ticket.id, "还是没人来")  # a 催办 likewise: passed on by hand, with its reason
    run_worker(worker, lambda: outbox.counts()["pending"] == 0)
    urged = next(d for d in outbox.list(state="dead") if d.kind == "urged")
    assert "(催办)" in urged.last_error
    assert len(city.requests) == 1


def test_the_app_server_applies_what_the_city_did_to_the_ticket_and_its_duplicates(store_for, city):
    """Our app server in-process with the city as its Open311 destination: its background round
    reads the closure and closes the ticket and the report linked to it, with their history."""
    from appserver import background

    store = store_for(open311_settings(city.url, poll_s=0.2))
    first, _ = store.file(report(6))
    second, _ = store.file(report(6, description="六号楼下路灯也坏了，好几天了"))
    assert second.duplicate_of == first.id

    async def main() -> None:
        background.POLL_TICK_S = 0.2
        try:
            async with app_server(store):
                while not city.requests:
                    await asyncio.sleep(0.05)
                city.set_status("C-1", "closed", "已修复")
                for _ in range(200):
                    if store.get(second.id).status == "closed":
                        break
                    await asyncio.sleep(0.05)
        finally:
            background.POLL_TICK_S = 5.0

    asyncio.run(asyncio.wait_for(main(), 30))
    assert store.get(first.id).status == "closed" and store.get(first.id).status_notes == "已修复（city311）"
    assert store.get(second.id).status == "closed"
    assert "与工单" in store.get(second.id).status_notes and first.id in store.get(second.id).status_notes
    assert [e.kind for e in store.history(first.id)][-1] == "status"
    assert len(city.requests) == 1  # the duplicate was never sent


def test_our_client_files_at_our_own_open311_server(store_for, stack, app_url):
    """Interoperability: the client adapter and the app server's GeoReport v2 endpoint agree."""
    store = store_for(open311_settings(f"{app_url}/open311/v2", service_codes={}, api_key_env=None,
                                                 jurisdiction_id=None))
    ticket, _ = store.file(report(7, category={"level1": "城乡建设", "level2": "城市建设和市政管理",
                                                "level3": "城市公共设施"}, description="海涛社区7栋门口路灯不亮"))
    [delivery] = deliver_all(store).list()
    assert delivery.state == "delivered" and delivery.remote_id, delivery.last_error
    theirs = requests.get(f"{app_url}/open311/v2/requests/{delivery.remote_id}.json", timeout=10).json()[0]
    assert theirs["description"] == ticket.description and theirs["urgency"] == "一般"
    assert post_status(app_url, delivery.remote_id, {"status": "closed", "note": "已修复"}).status_code == 200
    [change] = poll(store, later_s=2)
    assert (change.ticket_id, change.status, change.note) == (ticket.id, "closed", "已修复")

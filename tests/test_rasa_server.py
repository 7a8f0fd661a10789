"""The Rasa server's pieces that are ours: the event-log tracker store on the test stack's real
Redis, the action-answer validation, the worker count, and the intent model inside Rasa."""
from __future__ import annotations

import asyncio
import time

import pytest
import redis
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from common.paths import PROJECT_ROOT
from intake.services import ServiceError, configured_workers
from rasa_server.action_results import install, validate_action_result
from rasa_server.tracker_store import EventLogTrackerStore

DB = 5  # a database of its own on the test stack's Redis


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "bot" / "domain"))


@pytest.fixture
def store(stack, domain) -> EventLogTrackerStore:
    return EventLogTrackerStore(domain, host="127.0.0.1", port=stack.ports.redis, db=DB, key_prefix="test",
                                record_exp=600, max_events=40)


def run(coroutine):
    return asyncio.run(coroutine)


def report(tracker, text: str, place: str) -> None:
    tracker.update(UserUttered(text, {"name": "report_problem", "confidence": 0.9}))
    tracker.update(SlotSet("location", place))
    tracker.update(BotUttered("已为您登记诉求"))
    tracker.update(ActionExecuted("action_listen"))


def test_a_conversation_reads_back_with_its_slots(store, sender):
    assert run(store.retrieve(sender)) is None
    tracker = run(store.create_tracker(sender))
    report(tracker, "路灯坏了", "海涛社区3栋")
    run(store.save(tracker))
    again = run(store.retrieve(sender))
    assert [e.as_dict()["event"] for e in again.events] == [e.as_dict()["event"] for e in tracker.events]
    assert again.get_slot("location") == "海涛社区3栋" and again.latest_message.text == "路灯坏了"


def test_saving_twice_appends_nothing_twice(store, sender):
    tracker = run(store.create_tracker(sender))
    report(tracker, "路灯坏了", "海涛社区3栋")
    for _ in range(3):
        run(store.save(tracker))
    assert len(run(store.retrieve(sender)).events) == len(tracker.events)


def test_two_workers_saving_in_turn_lose_and_double_nothing(stack, domain, sender):
    """Two store instances stand for two Sanic workers: each turn may land on either."""
    first, second = (EventLogTrackerStore(domain, host="127.0.0.1", port=stack.ports.redis, db=DB,
                                          key_prefix="test", record_exp=600) for _ in range(2))
    tracker = run(first.create_tracker(sender))
    report(tracker, "第一件事", "海涛社区3栋")
    run(first.save(tracker))
    on_second = run(second.retrieve(sender))
    report(on_second, "第二件事", "海山街道")
    run(second.save(on_second))
    # the first worker still believes the conversation ends where it left it
    on_first = run(first.retrieve(sender))
    report(on_first, "第三件事", "沙头角")
    run(first.save(on_first))
    texts = [e.text for e in run(second.retrieve(sender)).events if isinstance(e, UserUttered)]
    assert texts == ["第一件事", "第二件事", "第三件事"]


def test_a_stale_worker_appends_after_what_is_stored(stack, domain, sender):
    first, second = (EventLogTrackerStore(domain, host="127.0.0.1", port=stack.ports.redis, db=DB,
                                          key_prefix="test", record_exp=600) for _ in range(2))
    tracker = run(first.create_tracker(sender))
    run(first.save(tracker))
    moved_on = run(second.retrieve(sender))
    report(moved_on, "另一个工人写的", "海涛社区")
    run(second.save(moved_on))
    report(tracker, "旧的那份追加的", "海山")  # first never re-read: its idea of the end is stale
    run(first.save(tracker))
    texts = [e.text for e in run(first.retrieve(sender)).events if isinstance(e, UserUttered)]
    assert texts == ["另一个工人写的", "旧的那份追加的"]


def test_only_the_latest_session_is_read_and_the_list_is_bounded(store, sender):
    tracker = run(store.create_tracker(sender))
    for i in range(12):
        report(tracker, f"第{i}条", "海涛社区")
        run(store.save(tracker))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    report(tracker, "新的一次会话", "海山")
    run(store.save(tracker))
    latest = run(store.retrieve(sender))
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["新的一次会话"]
    full = run(store.retrieve_full_tracker(sender))
    assert len(full.events) == 40  # max_events: the oldest were dropped
    red = redis.Redis(port=store.red.connection_pool.connection_kwargs["port"], db=DB)
    assert 0 < red.ttl(f"{store.key_prefix}{sender}:events") <= 600
    assert sender in run(store.keys())


def test_action_answers_are_validated_with_rasas_schema():
    install()
    assert RemoteAction._validate_action_result is validate_action_result
    good = {"events": [{"event": "slot", "name": "location", "value": "海涛社区"}], "responses": [{"text": "好"}]}
    assert validate_action_result(None, good)
    with pytest.raises(ValidationError) as error:
        validate_action_result(None, {"events": "not a list", "responses": []})
    assert "Failed to validate Action server response" in error.value.message


@pytest.mark.parametrize("value,expected", [("auto", None), ("3", 3), (" 1 ", 1)])
def test_worker_count_from_settings_or_environment(monkeypatch, value, expected):
    import os

    monkeypatch.setenv("INTAKE_TEST_WORKERS", value)
    assert configured_workers("rasa", "INTAKE_TEST_WORKERS", "1") == (expected or os.cpu_count())


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_worker_count_is_refused_precisely(monkeypatch, value):
    monkeypatch.setenv("INTAKE_TEST_WORKERS", value)
    with pytest.raises(ServiceError, match="workers for rasa"):
        configured_workers("rasa", "INTAKE_TEST_WORKERS", "1")


def test_the_rasa_server_runs_severalconfigured_workers(stack):
    import psutil

    workers = psutil.Process(stack.services["rasa"].process.pid).children()
    expected = configured_workers("rasa", "INTAKE_RASA_WORKERS", "auto")
    assert len(workers) == (expected if expected > 1 else 0)


def test_parse_gives_our_intent_model_and_fallback(rasa_url):
    import requests

    def parse(text):
        return requests.post(f"{rasa_url}/model/parse", json={"text": text}, timeout=30).json()["intent"]

    assert parse("盐田区海山街道海涛社区阳光花园3号楼")["name"] == "inform"
    assert parse("小区门口的路灯坏了好几天了")["name"] == "report_problem"
    # a place and a problem: either intent starts the intake form, whose validation reads both
    assert parse("海涛社区3栋楼下井盖没了")["name"] in ("report_problem", "inform")
    assert parse("查一下我的工单进度")["name"] == "query_status"
    assert parse("😀😀")["name"] == "nlu_fallback"



def test_the_graph_runs_in_order_with_the_same_results_as_dask(stack):
    """Parsing and predicting with our sequential runner gives what Rasa's dask runner gives."""
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.trackers import DialogueStateTracker

    from common.paths import MODELS_DIR
    from rasa_server import graph_runner

    agent = run(load_agent(model_path=str(MODELS_DIR / "dialogue")))
    dask_run = DaskGraphRunner.run

    def both(call):
        results = []
        for impl in (dask_run, graph_runner.run_in_order):
            DaskGraphRunner.run = impl
            try:
                results.append(call())
            finally:
                DaskGraphRunner.run = dask_run
        return results

    tracker = DialogueStateTracker("runner", agent.domain.slots)
    for text in ["你好", "我家楼下天天晚上施工噪音太大了", "不对，是32栋", "转人工",
                 "八角北路社区55栋楼道灯坏了，另外小区门口垃圾没人清理", "😀😀"]:
        by_dask, in_order = both(lambda: run(agent.processor.parse_message(UserMessage(text), tracker)))
        by_dask.pop("message_id", None), in_order.pop("message_id", None)
        assert in_order == by_dask
        tracker.update(UserUttered(text, by_dask["intent"], by_dask["entities"], parse_data=by_dask))
        by_dask, in_order = both(lambda: agent.processor._predict_next_with_tracker(tracker))
        assert (in_order.max_confidence_index, in_order.policy_name) == (by_dask.max_confidence_index,
                                                                          by_dask.policy_name)


def test_slots_copy_as_copy_copy_does(domain):
    import copy

    from rasa_server import slot_copy

    for slot in domain.slots:
        fast, generic = slot_copy.shallow_copy(slot), copy.copy(slot)
        assert type(fast) is type(generic) and fast.__dict__ == generic.__dict__ and fast is not slot


def lock_store(stack, **kwargs):
    from rasa_server.lock_store import TicketLockStore

    return TicketLockStore(host="127.0.0.1", port=stack.ports.redis, db=DB, key_prefix="test", **kwargs)


def test_turns_of_one_conversation_are_served_one_at_a_time_in_order(stack, sender):
    """Two stores stand for two Sanic workers; five turns arrive together and run one after another."""
    stores = [lock_store(stack), lock_store(stack)]
    inside, served = [], []

    async def turn(number: int) -> None:
        # they arrive in this order, all while the first is served (5 ms apart came out of order once under a
        # full test run's load)
        await asyncio.sleep(number * 0.02)
        async with stores[number % 2].lock(sender, lock_lifetime=10):
            inside.append(number)
            assert len(inside) == 1, "two turns of one conversation ran at the same time"
            await asyncio.sleep(0.1)
            served.append(number)
            inside.remove(number)

    async def main() -> None:
        await asyncio.gather(*(turn(n) for n in range(5)))

    run(main())
    assert served == [0, 1, 2, 3, 4]
    red = redis.Redis(port=stack.ports.redis, db=DB)
    assert not red.exists(f"test:lock:{sender}:tickets", f"test:lock:{sender}:next")  # nothing left behind


def test_a_turn_that_fails_returns_its_ticket_and_a_dead_holder_expires(stack, sender):
    from rasa.core.lock_store import LockError

    store = lock_store(stack)

    async def failing() -> None:
        async with store.lock(sender, lock_lifetime=10):
            raise RuntimeError("the turn failed")

    with pytest.raises(RuntimeError):
        run(failing())

    async def after_failure() -> str:
        async with store.lock(sender, lock_lifetime=10):
            return "served"

    assert run(asyncio.wait_for(after_failure(), 2)) == "served"

    # a worker killed while holding the lock: its ticket outlives it only for the lock lifetime
    red = redis.Redis(port=stack.ports.redis, db=DB)
    seconds, micros = red.time()
    red.zadd(f"test:lock:{sender}:tickets", {"1": seconds * 1000 + micros // 1000 + 400})
    red.set(f"test:lock:{sender}:next", 1)
    started = time.monotonic()
    assert run(asyncio.wait_for(after_failure(), 5)) == "served"
    assert 0.2 < time.monotonic() - started < 2

    # a waiter whose own ticket runs out before its turn comes gets Rasa's LockError
    async def stuck() -> None:
        async with store.lock(sender, lock_lifetime=10):
            async with store.lock(sender, lock_lifetime=0.2):
                pass

    with pytest.raises(LockError):
        run(asyncio.wait_for(stuck(), 5))

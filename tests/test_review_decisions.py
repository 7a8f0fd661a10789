"""Review in the ticket store, on SQLite and PostgreSQL: which tickets wait for an operator and
why, a held ticket's delivery written only when it is approved, rejecting, merging, a decision on
a version someone else changed refused, and the queue's counts and filters."""
from __future__ import annotations

import uuid

from datetime import timedelta

import pytest

from common import clock
from console.review_queue import QueueFilter, ReviewQueue
from dispatch.decisions import ReviewDecisions
from dispatch.outbox import Outbox
from dispatch.review import ReviewError, StaleTicket
from dispatch.routing import DispatchSettings
from dispatch.schema import TicketIn

ROUTED = DispatchSettings.parse_obj({"adapters": {"city": {"type": "webhook", "url": "http://127.0.0.1:9/hook"}},
                                     "routes": [{"adapters": ["city"]}]})


def intake(n: int, **extra) -> TicketIn:
    """A report about building ``n`` by a resident of its own (the same resident's again is a 催办)."""
    fields = dict(description=f"第{n}栋门口路灯坏了", channel="web", reporter=f"web-{n}-{uuid.uuid4().hex[:6]}",
                  category={"level1": "城乡建设", "level2": "城市建设和市政管理", "level3": "城市公共设施", "confidence": 0.9},
                  department="城市管理局", location={"street": "海山街道", "estate": "阳光花园", "building": str(n),
                                                    "placement": "placed"})
    return TicketIn(**{**fields, **extra})


@pytest.fixture
def store(new_db):
    from dispatch.store import TicketStore

    return TicketStore(new_db(), routing=ROUTED)


def jobs(store, ticket_id: str) -> list:
    return [d.kind for d in Outbox(store.session, ROUTED.outbox).list(ticket_id=ticket_id)]


def test_unsure_tickets_wait_and_are_sent_when_approved(store):
    sure, _ = store.file(intake(1))
    unsure, _ = store.file(intake(2, category={**intake(2).category.dict(), "confidence": 0.2}, needs_review=True))
    unplaced, _ = store.file(intake(3, location={"estate": "映月湾", "building": "3", "placement": "unknown"}, needs_review=True))
    urgent, _ = store.file(intake(4, urgency="特急", location={"estate": "映月湾", "placement": "unknown"}, needs_review=True))
    assert jobs(store, sure.id) == ["filed"] and jobs(store, unsure.id) == [] and jobs(store, unplaced.id) == []
    assert jobs(store, urgent.id) == ["filed"]  # 特急 is never held

    queue = ReviewQueue(store.engine)
    counts = queue.page(QueueFilter()).counts
    assert (counts["category"], counts["place"], counts["urgent"]) == (1, 2, 1)
    assert queue.review_of(urgent.id)["queues"] == ["place", "urgent"] and not queue.review_of(urgent.id)["held"]

    # an amendment to a held ticket is not sent before the ticket itself
    amended = store.amend(unplaced.id, "operator:a", location=intake(3).location, seen=unplaced.updated_at)
    assert jobs(store, unplaced.id) == []
    with pytest.raises(StaleTicket):
        ReviewDecisions(store).approve(unplaced.id, "operator:b", seen=unplaced.updated_at)
    ReviewDecisions(store).approve(unplaced.id, "operator:a", seen=amended.updated_at)
    assert jobs(store, unplaced.id) == ["filed"]
    assert queue.page(QueueFilter(queue="place")).counts["place"] == 1
    assert [e.kind for e in store.history(unplaced.id)] == ["amended", "reviewed"]


def test_reject_closes_and_merge_links(store):
    original, _ = store.file(intake(5))
    unsure, _ = store.file(intake(6, needs_review=True, category={"level1": "城乡建设", "confidence": 0.1}))
    other, _ = store.file(intake(7, needs_review=True, category={"level1": "城乡建设", "confidence": 0.1}))
    decisions = ReviewDecisions(store)
    with pytest.raises(ReviewError):
        decisions.reject(unsure.id, "operator:a", "  ")
    rejected = decisions.reject(unsure.id, "operator:a", "重复来电，已电话答复")
    assert rejected.status == "closed" and "重复来电" in rejected.status_notes and jobs(store, unsure.id) == []
    with pytest.raises(ReviewError):
        decisions.approve(unsure.id, "operator:a")
    merged = decisions.merge(other.id, original.id, "operator:a")
    assert merged.duplicate_of == original.id and store.get(original.id).reporters_count == 2
    assert jobs(store, other.id) == []
    with pytest.raises(ReviewError):
        decisions.merge(original.id, original.id, "operator:a")
    # into a ticket that is itself linked: to the original that carries the work
    third, _ = store.file(intake(9, needs_review=True, category={"level1": "城乡建设", "confidence": 0.1}))
    assert decisions.merge(third.id, other.id, "operator:a").duplicate_of == original.id
    assert store.get(original.id).reporters_count == 3
    with pytest.raises(ReviewError):
        decisions.merge(original.id, third.id, "operator:a")  # would be the ticket itself


def test_what_is_linked_as_a_duplicate_and_what_is_delivered_on_its_own(store):
    """Same place, same category: a report more urgent than the open ticket, any 特急 report and a
    report at an estate named without a building are filed and delivered on their own, the open
    ticket offered to an operator as a possible duplicate; a report is linked only to a ticket
    at the same building graded at least as urgent."""
    tiles, _ = store.file(intake(10, description="10栋旁边游泳池边的瓷砖掉了几块"))
    pole, _ = store.file(intake(10, description="10栋门口路灯杆被车撞倒了，横在路上", urgency="特急"))
    again, _ = store.file(intake(10, description="10栋门口又有一根路灯杆倒了", urgency="特急"))
    for report in (pole, again):
        assert report.duplicate_of is None and jobs(store, report.id) == ["filed"]
        assert ReviewQueue(store.engine).review_of(report.id)["duplicate_candidate"] == tiles.id
    wires, _ = store.file(intake(10, description="10栋门口路灯杆的电线露出来了", urgency="紧急"))
    assert wires.duplicate_of == pole.id and jobs(store, wires.id) == []  # the 特急 ticket is on its way
    later, _ = store.file(intake(10, description="10栋门口路灯杆的线还露着"))
    assert later.duplicate_of == tiles.id and store.get(tiles.id).reporters_count == 2
    estate = {"street": "海山街道", "estate": "阳光花园", "placement": "placed"}  # no building: many places
    pool, _ = store.file(intake(13, description="泳池边的瓷砖掉了", location=estate))
    lamp, _ = store.file(intake(13, description="小区门口路灯不亮", location=estate))
    assert lamp.duplicate_of is None and jobs(store, lamp.id) == ["filed"]
    assert ReviewQueue(store.engine).review_of(lamp.id)["duplicate_candidate"] == pool.id
    routine, _ = store.file(intake(12, description="12栋门口路灯不亮"))
    serious, _ = store.file(intake(12, description="12栋门口路灯杆的线头露着", urgency="紧急"))
    assert serious.duplicate_of is None and jobs(store, serious.id) == ["filed"]
    assert ReviewQueue(store.engine).review_of(serious.id)["duplicate_candidate"] == routine.id


def test_grey_zone_duplicates_and_filters(store):
    first, _ = store.file(intake(8))
    # same place, same field, another category: perhaps the same problem told differently
    second, _ = store.file(intake(8, description="8栋门口路面塌了个坑",
                                  category={"level1": "城乡建设", "level2": "城市建设和市政管理", "level3": "基础设施",
                                            "confidence": 0.9}))
    queue = ReviewQueue(store.engine)
    assert queue.review_of(second.id)["duplicate_candidate"] == first.id
    assert first.id in queue.duplicate_candidates(second.id)
    assert [i.id for i in queue.page(QueueFilter(queue="duplicate")).items] == [second.id]
    assert queue.page(QueueFilter(street="海山街道")).total == 1
    assert queue.page(QueueFilter(street="沙头角街道")).total == 0
    assert queue.page(QueueFilter(category="城乡建设/城市建设和市政管理")).total == 1
    assert queue.page(QueueFilter(urgency="特急")).total == 0
    assert queue.page(QueueFilter(older_than_h=1)).total == 0
    assert queue.page(QueueFilter(newer_than_h=1), now=clock.now() + timedelta(hours=2)).total == 0


def test_a_ticket_that_may_be_top_urgency_is_queued_for_a_person_and_still_sent(store):
    """Graded 紧急 with the model unsure it was not 特急: the urgent queue shows it, delivery does not wait,
    and the ticket says so when read back; a 特急 ticket is in that queue as 特急, not as a doubt."""
    doubted, _ = store.file(TicketIn.from_analysis(
        "小区里那棵大树有点歪了", intake(5).category.dict(), intake(5).location.dict(), "紧急",
        ["结构开裂变形（模型：紧急 0.61）", "可能特急，请人工核实（模型：特急 0.13）"], True, channel="web"))
    top, _ = store.file(TicketIn.from_analysis("电梯里困了人", intake(6).category.dict(), intake(6).location.dict(),
                                               "特急", ["有人被困或受伤"], True, channel="web"))
    assert jobs(store, doubted.id) == ["filed"]
    queue = ReviewQueue(store.engine)
    assert queue.review_of(doubted.id)["queues"] == ["urgent"] and not queue.review_of(doubted.id)["held"]
    assert store.get(doubted.id).urgency_review is True and store.get(doubted.id).urgency == "紧急"
    assert top.urgency_review is False and queue.review_of(top.id)["queues"] == ["urgent"]

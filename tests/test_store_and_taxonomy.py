"""Ticket store guarantees (idempotent filing, duplicate links, deadlines) and taxonomy checks."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from classifiers.taxonomy import Taxonomy, TaxonomyError, default_taxonomy
from dispatch.schema import TicketIn, part_key
from dispatch.store import TicketStore, is_repeat


@pytest.fixture
def store(new_db) -> TicketStore:
    return TicketStore(new_db())


def _ticket(**kw) -> TicketIn:
    """A report by a resident of its own unless ``reporter`` is given (the same resident's again is a 催办)."""
    base = dict(description="垃圾好几天没人清运了", reporter=f"wx-{uuid.uuid4().hex[:8]}",
                category={"level1": "城乡建设", "level2": "城市建设和市政管理", "level3": "环境卫生"},
                location={"community": "阳光小区", "building": "3"})
    base.update(kw)
    return TicketIn(**base)


def test_same_intake_is_filed_once(store):
    first, created = store.file(_ticket(idempotency_key="k1"))
    again, created_again = store.file(_ticket(idempotency_key="k1"))
    assert created and not created_again and again.id == first.id
    assert len(store.list()) == 1


def test_duplicate_is_linked_and_counted(store):
    first, _ = store.file(_ticket(idempotency_key="a"))
    second, _ = store.file(_ticket(idempotency_key="b", description="阳光小区3号楼下垃圾堆成山"))
    assert second.duplicate_of == first.id
    assert store.get(first.id).reporters_count == 2
    other_place, _ = store.file(_ticket(idempotency_key="c", location={"community": "海景花园"}))
    assert other_place.duplicate_of is None


def test_the_same_resident_telling_their_open_problem_again_urges_it(store):
    """「我已经打过三次电话了，…垃圾还是没人清」 from the resident whose ticket is open was filed as a second
    ticket linked to their own, counting them twice as reporters: it is a 催办 on their ticket, recorded
    once when the same report is sent again; a hotline caller is the same resident by their number."""
    first, _ = store.file(_ticket(idempotency_key="a", reporter="wx-me"))
    pressing = _ticket(idempotency_key="b", reporter="wx-me", description="我已经打过三次电话了，阳光小区3栋垃圾还是没人清")
    again, created = store.file(pressing)
    assert again.id == first.id and not created and is_repeat(pressing, again, created)
    assert len(store.list()) == 1 and store.get(first.id).reporters_count == 1
    store.file(pressing)  # the same report sent again
    assert [(e.actor, e.note) for e in store.history(first.id) if e.kind == "urged"] == [("resident", pressing.description)]
    retried, created = store.file(_ticket(idempotency_key="a", reporter="wx-me"))
    assert retried.id == first.id and not is_repeat(_ticket(idempotency_key="a"), retried, created)
    other, _ = store.file(_ticket(idempotency_key="c", reporter="wx-someone-else"))
    assert other.duplicate_of == first.id and store.get(first.id).reporters_count == 2
    # their report linked to the first (合并办理) told again: theirs is urged, and the first, which carries the work
    pressed, created = store.file(_ticket(idempotency_key="d", reporter="wx-someone-else", description="还是没人清"))
    assert pressed.id == other.id and not created and store.get(first.id).reporters_count == 2
    assert [e.note for e in store.history(other.id) if e.kind == "urged"] == ["还是没人清"]
    assert [e.note for e in store.history(first.id) if e.kind == "urged"] == [pressing.description, "还是没人清"]
    store.urge(other.id, "催一下")  # 「催一下」 on a linked ticket reaches the department's too
    assert [e.note for e in store.history(first.id) if e.kind == "urged"][-1] == "催一下"
    call = dict(channel="voice", contact="13812345678", location={"community": "海景花园", "building": "5"})
    called, _ = store.file(_ticket(idempotency_key="voice:call-1#1", reporter="call-1", **call))
    recalled, created = store.file(_ticket(idempotency_key="voice:call-2#1", reporter="call-2", **call))
    assert recalled.id == called.id and not created and len(store.list()) == 3


def test_problems_told_together_are_not_each_others_duplicates(store, new_db):
    """Two problems of one submission at one place under one category (「…占用消防通道停车，还有楼道灯也
    坏了」, both read 物业服务) were linked, the second never delivered; a later report by anyone
    (another submission, 「a_b#1」 whose key shares no prefix with 「a%b」's parts) still links."""
    first, _ = store.file(_ticket(idempotency_key=part_key("a%b", 1)))
    second, _ = store.file(_ticket(idempotency_key=part_key("a%b", 2), description="楼道灯也坏了"))
    assert second.duplicate_of is None
    later, _ = store.file(_ticket(idempotency_key=part_key("a_b", 1)))
    assert later.duplicate_of == first.id


def test_two_problems_of_one_category_at_one_building_are_not_linked(store):
    """「海景花园3栋电梯坏了」 then 「…3栋楼道灯坏了」 by another resident: both 物业服务 at one building, and
    the second was linked to the first and never delivered. Tickets whose subjects (nlu/subject.py)
    do not meet are filed apart, the first offered to an operator as a possible duplicate; a
    ticket whose subject is unknown (an API client's) links as before."""
    from console.review_queue import ReviewQueue
    from nlu.subject import subject_of

    lift, _ = store.file(_ticket(idempotency_key="a", description="3栋电梯坏了", subject=subject_of("3栋电梯坏了")))
    light, _ = store.file(_ticket(idempotency_key="b", description="3栋楼道灯坏了", subject=subject_of("3栋楼道灯坏了")))
    assert light.duplicate_of is None and store.get(lift.id).reporters_count == 1
    assert light.subject == "楼道 灯" and ReviewQueue(store.engine).review_of(light.id)["duplicate_candidate"] == lift.id
    again, _ = store.file(_ticket(idempotency_key="c", description="3号楼楼道的灯不亮", subject=subject_of("3号楼楼道的灯不亮")))
    assert again.duplicate_of == light.id  # the light's report, not the lift's
    unknown, _ = store.file(_ticket(idempotency_key="d", description="电梯又坏了"))
    assert unknown.duplicate_of == lift.id


def test_old_ticket_is_not_a_duplicate(store):
    old, _ = store.file(_ticket(idempotency_key="a"), now=datetime.now() - timedelta(days=30))
    new, _ = store.file(_ticket(idempotency_key="b"))
    assert new.duplicate_of is None


def test_deadlines_follow_urgency(store):
    now = datetime(2026, 11, 23, 9, 0)
    urgent, _ = store.file(_ticket(urgency="特急", idempotency_key="u"), sla_days=5, now=now)
    normal, _ = store.file(_ticket(urgency="一般", idempotency_key="n", location={}), sla_days=5, now=now)
    assert urgent.deadline - now == timedelta(hours=2)
    assert normal.deadline - now == timedelta(days=5)
    assert normal.respond_by - now == timedelta(hours=4)


def test_reporter_is_masked():
    assert _ticket(reporter="13812345678").reporter == "138****5678"
    assert _ticket(reporter="张三 13812345678").reporter == "张三 138****5678"
    # a channel's user id is how the conversation is found again, even when digits in it look like a number
    assert _ticket(reporter="test-b00308260360").reporter == "test-b00308260360"
    assert _ticket(reporter="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o").reporter == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


def test_shipped_taxonomy_loads():
    taxonomy = default_taxonomy()
    cat = taxonomy.get("城乡建设/城市建设和市政管理/燃气供应")
    assert cat.department == "住房和城乡建设局" and cat.default_urgency == "紧急"


@pytest.mark.parametrize("text,message", [
    ("categories: []", "no categories"),
    ("categories:\n  - name: 城乡建设\n    children:\n      - name: 市政\n", "no 'department'"),
    ("categories:\n  - name: 城乡建设\n    children:\n      - name: 市政\n        department: 城管\n"
     "        sla_days: 5\n        default_urgency: 很急\n", "default_urgency"),
    ("categories:\n  - name: A\n    children:\n      - name: B\n        department: D\n        sla_days: 5\n"
     "      - name: B\n        department: D\n        sla_days: 5\n", "defined twice"),
    ("categories: [", "cannot read"),
])
def test_inconsistent_taxonomy_fails_precisely(tmp_path, text, message):
    path = tmp_path / "taxonomy.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message):
        Taxonomy.load(path)


def test_a_number_in_a_changed_description_is_masked_in_the_history(store):
    """The history shows what a ticket once said; a phone number written into a description change is
    shown masked there, as in notes and as public answers show descriptions."""
    ticket, _ = store.file(_ticket(idempotency_key="h"))
    store.amend(ticket.id, "resident", description="垃圾好几天没人清运了，有事打13812345678")
    [event] = [e for e in store.history(ticket.id) if "description" in e.changes]
    assert event.changes["description"]["to"].endswith("有事打138****5678")
    assert event.changes["description"]["from"] == "垃圾好几天没人清运了"

"""The operator console through real HTTP against the test stack (Redis sessions, the stack's
database, the city's webhook): accounts made with `intake users`, sign-in and its limits, CSRF,
roles, the review queue, correcting and dispatching a held intake, rejecting, merging, two
operators on one ticket, and the corrections arriving in the NLU inbox."""
from __future__ import annotations

import re
import time
import uuid

import requests

from common.privacy import mask_id
from tests.conftest import say
from tests.console_people import HELD_OUT, PASSWORD, file_open311, sign_in, users

def test_nothing_without_signing_in(stack, app_url):
    assert requests.get(f"{app_url}/api/console/queue", timeout=10).status_code == 401
    assert requests.post(f"{app_url}/api/console/tickets/x/approve", json={}, timeout=10).status_code == 401
    page = requests.get(f"{app_url}/console/inbox", allow_redirects=False, timeout=10)
    assert page.status_code == 302 and page.headers["Location"] == "/console/login?next=/console/inbox"
    assert requests.get(f"{app_url}/console/login", timeout=10).status_code == 200
    # the operators' lists that came before the console: a session, or a key with full rights
    assert requests.get(f"{app_url}/api/deliveries", timeout=10).status_code == 401
    assert requests.get(f"{app_url}/api/handoffs", headers={"X-Api-Key": "department-test-key"}, timeout=10).status_code == 200
    forged = requests.get(f"{app_url}/api/console/queue", cookies={"intake_console": "made-up"}, timeout=10)
    assert forged.status_code == 401


def test_wrong_passwords_lock_the_account_until_reset(stack, app_url, people):
    name = f"locked-{uuid.uuid4().hex[:6]}"
    assert users(stack, "add", name, "--role", "operator", "--password-stdin", password=PASSWORD + "\n").returncode == 0
    for _ in range(5):
        wrong = requests.post(f"{app_url}/console/login", data={"username": name, "password": "not-it-at-all"},
                              allow_redirects=False, timeout=30)
        assert wrong.status_code == 303 and "error=" in wrong.headers["Location"]
    assert "锁定" in requests.utils.unquote(wrong.headers["Location"])
    right = requests.post(f"{app_url}/console/login", data={"username": name, "password": PASSWORD},
                          allow_redirects=False, timeout=30)
    assert "锁定" in requests.utils.unquote(right.headers["Location"]) and "intake_console" not in right.cookies
    assert users(stack, "reset-password", name, "--password-stdin", password=PASSWORD + "-new\n").returncode == 0
    sign_in(app_url, name, PASSWORD + "-new")
    # an unknown name is told the same as a wrong password
    unknown = requests.post(f"{app_url}/console/login", data={"username": "nobody-" + name, "password": "x"},
                            allow_redirects=False, timeout=30)
    assert "用户名或密码错误" in requests.utils.unquote(unknown.headers["Location"])
    # and the admin sees all of it in the audit log
    audit = sign_in(app_url, people["admin"]).get(f"{app_url}/api/console/audit", params={"actor": name}, timeout=10)
    actions = [entry["action"] for entry in audit.json()]
    assert actions.count("login_refused") == 6 and actions[0] == "login", actions


def test_disabled_account_loses_its_session(stack, app_url):
    name = f"leaver-{uuid.uuid4().hex[:6]}"
    assert users(stack, "add", name, "--role", "operator", "--password-stdin", password=PASSWORD + "\n").returncode == 0
    session = sign_in(app_url, name)
    assert session.get(f"{app_url}/api/console/queue", timeout=10).status_code == 200
    assert users(stack, "disable", name).returncode == 0
    assert session.get(f"{app_url}/api/console/queue", timeout=10).status_code == 401
    listed = users(stack, "list").stdout
    assert f"{name}\toperator\tdisabled" in listed, listed


def test_roles_and_csrf(stack, app_url, people):
    operator = sign_in(app_url, people["operator"])
    trainer = sign_in(app_url, people["trainer"])
    assert operator.get(f"{app_url}/api/console/inbox", timeout=10).status_code == 403
    assert operator.get(f"{app_url}/api/console/audit", timeout=10).status_code == 403
    assert operator.get(f"{app_url}/console/inbox", timeout=10).status_code == 403
    assert trainer.get(f"{app_url}/api/console/inbox", timeout=10).status_code == 200
    assert trainer.get(f"{app_url}/api/console/queue", timeout=10).status_code == 403
    assert requests.post(f"{app_url}/console/login", data={"username": people["trainer"], "password": PASSWORD},
                         allow_redirects=False, timeout=30).headers["Location"] == "/console/inbox"
    ticket_id = file_open311(app_url, "路灯不亮了", "盐田区海山街道海涛社区阳光花园3号楼")
    version = operator.get(f"{app_url}/api/console/tickets/{ticket_id}", timeout=10).json()["ticket"]["version"]
    token = operator.headers.pop("X-CSRF-Token")
    missing = operator.post(f"{app_url}/api/console/tickets/{ticket_id}/edit", json={"version": version, "urgency": "紧急"}, timeout=10)
    wrong = operator.post(f"{app_url}/api/console/tickets/{ticket_id}/edit", json={"version": version, "urgency": "紧急"},
                          headers={"X-CSRF-Token": token[:-2] + "xx"}, timeout=10)
    assert missing.status_code == wrong.status_code == 403 and "CSRF" in missing.json()["error"]
    assert requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]["urgency"] == "一般"
    out = operator.post(f"{app_url}/api/console/logout", headers={"X-CSRF-Token": token}, timeout=10)
    assert out.status_code == 200
    assert operator.get(f"{app_url}/api/console/queue", timeout=10).status_code == 401


def test_a_category_the_operator_settles_sets_its_least_grade(stack, app_url, people):
    """A category the agent guessed with little confidence set no least grade; the one an operator
    settles is certain, so its default raises the grade — unless the operator sets the grade too."""
    operator = sign_in(app_url, people["operator"])
    fire = "政法/社会治安/消防安全"  # default 紧急
    for urgency, expected in ((None, "紧急"), ("一般", "一般")):
        ticket_id = file_open311(app_url, "楼道里堆着好多纸箱子", "盐田区海山街道海涛社区阳光花园5栋")
        opened = operator.get(f"{app_url}/api/console/tickets/{ticket_id}", timeout=10).json()["ticket"]
        assert opened["urgency"] == "一般"
        edit = {"version": opened["version"], "category": fire, **({"urgency": urgency} if urgency else {})}
        changed = operator.post(f"{app_url}/api/console/tickets/{ticket_id}/edit", json=edit, timeout=30)
        assert changed.status_code == 200, changed.text
        assert changed.json()["ticket"]["urgency"] == expected
        if not urgency:
            assert changed.json()["ticket"]["urgency_reasons"][0] == "类别默认紧急"


def test_held_intake_is_corrected_and_dispatched(stack, app_url, receiver, people):
    ticket_id = file_open311(app_url, "小区门口的路灯坏了好几天，晚上<script>alert(1)</script>很黑",
                             "映月湾花园5栋", code="城乡建设/城市建设和市政管理/城市公共设施")
    operator = sign_in(app_url, people["operator"])
    queue = operator.get(f"{app_url}/api/console/queue", params={"queue": "place"}, timeout=10).json()
    item = next(i for i in queue["items"] if i["id"] == ticket_id)
    assert item["held"] is True and item["queues"] == ["place"] and queue["counts"]["place"] >= 1
    time.sleep(1.5)  # the delivery worker polls every 0.2 s: a held ticket is not sent
    assert receiver.tickets()[ticket_id] == 0

    opened = operator.get(f"{app_url}/api/console/tickets/{ticket_id}", timeout=10).json()
    assert opened["review"]["held"] is True and opened["understood"]["placement"] == "unknown"
    version = opened["ticket"]["version"]
    corrected = operator.post(f"{app_url}/api/console/tickets/{ticket_id}/edit", timeout=30, json={
        "version": version, "place": "盐田区海山街道海涛社区阳光花园5栋", "category": "城乡建设/城市建设和市政管理/城市公共设施",
        "urgency": "紧急", "note": "居民电话核实地点"})
    assert corrected.status_code == 200, corrected.text
    location = corrected.json()["ticket"]["location"]
    assert (location["community"], location["estate"], location["building"], location["placement"]) == \
        ("海涛社区", "阳光花园", "5", "placed")
    # a second operator still holding the first version is told, and changes nothing
    stale = sign_in(app_url, people["admin"]).post(f"{app_url}/api/console/tickets/{ticket_id}/approve",
                                                    json={"version": version}, timeout=10)
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["error"]
    assert receiver.tickets()[ticket_id] == 0

    approved = operator.post(f"{app_url}/api/console/tickets/{ticket_id}/approve",
                             json={"version": corrected.json()["ticket"]["version"]}, timeout=10)
    assert approved.status_code == 200, approved.text
    deadline = time.time() + 20
    while receiver.tickets()[ticket_id] == 0 and time.time() < deadline:
        time.sleep(0.2)
    assert receiver.tickets()[ticket_id] == 1
    sent = next(r.body for r in receiver.received if r.ticket_id == ticket_id)
    assert sent["location"]["estate"] == "阳光花园" and sent["urgency"] == "紧急"
    left = operator.get(f"{app_url}/api/console/queue", params={"queue": "place"}, timeout=10).json()
    assert ticket_id not in [i["id"] for i in left["items"]]
    history = operator.get(f"{app_url}/api/console/tickets/{ticket_id}", timeout=10).json()["history"]
    assert [e["kind"] for e in history][:2] == ["amended", "reviewed"]
    assert history[0]["actor"] == f"operator:{people['operator']}"

    # each correction is a candidate training example for the trainers
    inbox = sign_in(app_url, people["trainer"]).get(f"{app_url}/api/console/inbox", timeout=10).json()
    mine = {e["field"]: e for e in inbox["examples"] if e["ticket_id"] == ticket_id}
    assert set(mine) == {"place", "urgency"}  # the category it was filed under was right: no correction
    assert mine["urgency"]["predicted"] == "一般" and mine["urgency"]["corrected"] == "紧急"
    assert mine["place"]["author"] == people["operator"]
    # a trainer accepts the urgency correction: a training report for the urgency model; a place is not trained on
    trainer = sign_in(app_url, people["trainer"])
    decided = trainer.post(f"{app_url}/api/console/inbox/decide", timeout=30,
                           json={"ids": [mine["urgency"]["id"], mine["place"]["id"]], "decision": "accept"}).json()
    assert {o["id"]: o["result"] for o in decided["outcomes"]} == {mine["urgency"]["id"]: "added",
                                                                  mine["place"]["id"]: "not_trainable"}, decided
    from classifiers.corrections import URGENCY_CORRECTIONS_FILE
    from classifiers.urgency_model import read_reports

    assert (mine["urgency"]["text"], "紧急") in [(t, g) for t, g, _ in read_reports([URGENCY_CORRECTIONS_FILE])]


def test_reject_needs_a_reason_and_merge_links(stack, app_url, people):
    operator = sign_in(app_url, people["operator"])
    first = file_open311(app_url, "路灯杆倒了横在人行道上", "盐田区海山街道海涛社区阳光花园8栋")
    second = file_open311(app_url, "阳光花园8栋旁边那根路灯杆倒了", "星河湾花园8栋")
    version = operator.get(f"{app_url}/api/console/tickets/{second}", timeout=10).json()["ticket"]["version"]
    no_reason = operator.post(f"{app_url}/api/console/tickets/{second}/reject", json={"version": version}, timeout=10)
    assert no_reason.status_code == 409 and "原因" in no_reason.json()["error"]
    merged = operator.post(f"{app_url}/api/console/tickets/{second}/merge", json={"version": version, "into": first}, timeout=10)
    assert merged.status_code == 200, merged.text
    assert merged.json()["ticket"]["duplicate_of"] == first
    assert requests.get(f"{app_url}/open311/v2/requests/{first}.json", timeout=10).json()[0]["reporters_count"] == 2

    third = file_open311(app_url, "广告推销电话太多了", "火星基地1栋")
    version = operator.get(f"{app_url}/api/console/tickets/{third}", timeout=10).json()["ticket"]["version"]
    rejected = operator.post(f"{app_url}/api/console/tickets/{third}/reject",
                             json={"version": version, "reason": "不属于本平台受理范围"}, timeout=10)
    assert rejected.status_code == 200
    closed = requests.get(f"{app_url}/open311/v2/requests/{third}.json", timeout=10).json()[0]
    assert closed["status"] == "closed" and "不属于本平台受理范围" in closed["status_notes"]
    again = operator.post(f"{app_url}/api/console/tickets/{third}/approve",
                          json={"version": rejected.json()["ticket"]["version"]}, timeout=10)
    assert again.status_code == 409


def test_bad_requests_are_told_precisely(stack, app_url, people):
    operator = sign_in(app_url, people["operator"])
    assert operator.get(f"{app_url}/api/console/queue", params={"queue": "nope"}, timeout=10).status_code == 400
    assert operator.get(f"{app_url}/api/console/queue", params={"limit": "0"}, timeout=10).status_code == 400
    assert operator.get(f"{app_url}/api/console/tickets/209901010000001", timeout=10).status_code == 404
    ticket_id = file_open311(app_url, "路灯一闪一闪的", "盐田区海山街道海涛社区阳光花园2栋")
    version = operator.get(f"{app_url}/api/console/tickets/{ticket_id}", timeout=10).json()["ticket"]["version"]
    for body, status in (({"version": version, "category": "没有/这个/分类"}, 422), ({"version": version, "place": "随便"}, 422),
                         ({"category": "城乡建设"}, 400), ({"version": version}, 400),
                         ({"version": version, "urgency": "很急"}, 400)):
        answer = operator.post(f"{app_url}/api/console/tickets/{ticket_id}/edit", json=body, timeout=10)
        assert answer.status_code == status, (body, answer.text)
        assert answer.json()["error"]
    bad_json = operator.post(f"{app_url}/api/console/tickets/{ticket_id}/edit", data="{", timeout=10)
    assert bad_json.status_code == 400


def test_operator_replies_to_a_web_resident(stack, app_url, rasa_url, people, sender):
    said = say(rasa_url, sender, "幸福里小区5栋楼道里有很大的煤气味")
    ticket_id = next(t.split("工单号：")[1][:14] for t in said if "工单号：" in t)
    operator = sign_in(app_url, people["operator"])
    queue = operator.get(f"{app_url}/api/console/queue", params={"queue": "urgent"}, timeout=10).json()
    assert ticket_id in [i["id"] for i in queue["items"]]
    opened = operator.get(f"{app_url}/api/console/tickets/{ticket_id}", timeout=10).json()
    assert any(s["who"] == "resident" and "煤气味" in s["text"] for s in opened["transcript"])
    assert opened["review"]["held"] is False  # 特急 is never held
    sent = operator.post(f"{app_url}/api/console/tickets/{ticket_id}/reply", json={"text": "已通知燃气公司，请先开窗通风"}, timeout=10)
    assert sent.status_code == 200, sent.text
    updates = requests.get(f"{app_url}/api/chat/updates", params={"sender": sender}, timeout=10).json()
    assert any("已通知燃气公司" in m.get("text", "") for m in updates), updates


def test_a_misread_message_becomes_an_intent_example(stack, app_url, rasa_url, people, sender):
    say(rasa_url, sender, "锦绣家园3栋楼下的垃圾桶满了好几天了，臭得很")
    say(rasa_url, sender, "快点处理")
    ticket_id = next(t.split("工单号：")[1][:14] for t in say(rasa_url, sender, "确认") if "工单号：" in t)
    operator = sign_in(app_url, people["operator"])
    opened = operator.get(f"{app_url}/api/console/tickets/{ticket_id}", timeout=10).json()
    assert "cancel" in opened["intents"] and not any(i.startswith("EXTERNAL_") for i in opened["intents"])
    hurry = next(s for s in opened["transcript"] if s["who"] == "resident" and s["text"] == "快点处理")
    right = "affirm" if hurry["intent"] != "affirm" else "query_status"
    url = f"{app_url}/api/console/tickets/{ticket_id}/intent"
    same = operator.post(url, json={"text": "快点处理", "intent": hurry["intent"]}, timeout=10)
    assert same.status_code == (422 if hurry["intent"] == "nlu_fallback" else 409)  # the same, or no intent at all
    assert operator.post(url, json={"text": "没说过的话", "intent": right}, timeout=10).status_code == 422
    assert operator.post(url, json={"text": "快点处理", "intent": "EXTERNAL_ticket_closed"}, timeout=10).status_code == 422
    made = operator.post(url, json={"text": "快点处理", "intent": right}, timeout=10)
    assert made.status_code == 200, made.text
    example = made.json()["example"]
    assert (example["field"], example["predicted"], example["corrected"]) == ("intent", hurry["intent"], right)
    trainer = sign_in(app_url, people["trainer"])
    assert trainer.post(url, json={"text": "快点处理", "intent": right}, timeout=10).status_code == 403
    accepted = trainer.post(f"{app_url}/api/console/inbox/decide", json={"ids": [example["id"]], "decision": "accept"},
                            timeout=30).json()
    assert accepted["outcomes"] == [{"id": example["id"], "result": "added", "detail": None}], accepted
    from classifiers.corrections import INTENT_CORRECTIONS_FILE
    from classifiers.examples import intent_examples

    assert ("快点处理", f"intent:{right}") in [(e.text, e.label) for e in intent_examples(extra=[INTENT_CORRECTIONS_FILE])]


def test_operator_takes_a_handed_off_conversation_over(stack, app_url, rasa_url, people, sender):
    asked = say(rasa_url, sender, "转人工")
    assert asked, asked
    operator = sign_in(app_url, people["operator"])
    queue = operator.get(f"{app_url}/api/console/queue", params={"queue": "handoff"}, timeout=10).json()
    # this resident's entry (other tests' residents may have asked for a person too)
    entry = next(i for i in queue["items"] if i["summary"] == "转人工" and i["detail"]["sender"] == mask_id(sender))
    base = f"{app_url}/api/console/handoffs/{entry['id']}"

    taken = operator.post(f"{base}/take", json={}, timeout=10)
    assert taken.status_code == 200 and taken.json()["handoff"]["taken_by"] == people["operator"]
    updates = requests.get(f"{app_url}/api/chat/updates", params={"sender": sender}, timeout=10).json()
    assert any("人工坐席已接入" in m["text"] for m in updates), updates
    # the agent is quiet now; what the resident writes reaches the operator
    assert say(rasa_url, sender, "我家楼上漏水，水都滴到床上了") == []
    live = operator.get(base, timeout=10).json()
    assert live["paused"] is True
    assert {k: live["transcript"][-1][k] for k in ("who", "text")} == {"who": "resident", "text": "我家楼上漏水，水都滴到床上了"}

    other_name = f"operator2-{uuid.uuid4().hex[:6]}"
    assert users(stack, "add", other_name, "--role", "operator", "--password-stdin", password=PASSWORD + "\n").returncode == 0
    other = sign_in(app_url, other_name)
    assert other.post(f"{base}/take", json={}, timeout=10).status_code == 409
    assert other.post(f"{base}/say", json={"text": "我来"}, timeout=10).status_code == 409

    assert operator.post(f"{base}/say", json={"text": "请告诉我您家的小区和楼栋"}, timeout=10).status_code == 200
    updates = requests.get(f"{app_url}/api/chat/updates", params={"sender": sender}, timeout=10).json()
    assert [m["text"] for m in updates] == ["【人工坐席】请告诉我您家的小区和楼栋"]
    assert operator.get(base, timeout=10).json()["transcript"][-1]["text"] == "【人工坐席】请告诉我您家的小区和楼栋"

    closed = operator.post(f"{base}/close", json={}, timeout=10)
    assert closed.status_code == 200 and closed.json()["handoff"]["status"] == "closed"
    assert operator.post(f"{base}/say", json={"text": "还在吗"}, timeout=10).status_code == 409
    assert say(rasa_url, sender, "你好")  # the agent answers again
    actions = [e["action"] for e in sign_in(app_url, people["admin"]).get(
        f"{app_url}/api/console/audit", params={"target": str(entry["id"])}, timeout=10).json()]
    assert actions == ["handoff_close", "handoff_say", "handoff_take"]


def test_operator_files_the_ticket_for_a_handed_off_resident(stack, app_url, rasa_url, people, sender, receiver):
    """A console probe: a resident handed to a person told the operator where, and the operator could only talk and hand
    them back — the resident had to tell the agent the whole report again. The operator files it: the resident gets the
    number on their channel, the ticket is theirs (「查询进度」 finds it) and goes out at once; a double click files one."""
    say(rasa_url, sender, "楼道里的灯坏了一个星期了，电话13812345678")
    say(rasa_url, sender, "转人工")
    operator = sign_in(app_url, people["operator"])
    queue = operator.get(f"{app_url}/api/console/queue", params={"queue": "handoff"}, timeout=10).json()
    entry = next(i for i in queue["items"] if i["detail"]["sender"] == mask_id(sender))
    base = f"{app_url}/api/console/handoffs/{entry['id']}"
    pending = operator.get(base, timeout=10).json()["handoff"]["pending"]
    assert pending["problem_description"] == "楼道里的灯坏了一个星期了" and pending["category"].count("/") == 2, pending
    body = {"description": pending["problem_description"], "place": "海景花园3栋2单元"}
    assert operator.post(f"{base}/file", json=body, timeout=30).status_code == 409  # not taken yet
    assert operator.post(f"{base}/take", json={}, timeout=10).status_code == 200
    for bad, status in (({**body, "category": "没有/这个/分类"}, 422), ({**body, "urgency": "很急"}, 400),
                        ({"description": "", "place": "海景花园3栋"}, 400), ({"description": "灯坏了", "place": ""}, 400)):
        answer = operator.post(f"{base}/file", json=bad, timeout=30)
        assert answer.status_code == status and answer.json()["error"], (bad, answer.text)
    filed = operator.post(f"{base}/file", json=body, timeout=30)
    assert filed.status_code == 201, filed.text
    ticket_id = filed.json()["ticket"]["id"]
    again = operator.post(f"{base}/file", json=body, timeout=30)
    assert again.status_code == 200 and again.json()["ticket"]["id"] == ticket_id and not again.json()["created"]
    told = [m["text"] for m in requests.get(f"{app_url}/api/chat/updates", params={"sender": sender}, timeout=10).json()]
    assert any(f"工单号：{ticket_id}" in t and "海景花园3栋2单元" in t for t in told), told
    ticket = requests.get(f"{app_url}/open311/v2/requests/{ticket_id}.json", timeout=10).json()[0]
    assert ticket["address"] == "海景花园3栋2单元" and ticket["description"] == "楼道里的灯坏了一个星期了", ticket
    deadline = time.time() + 20
    while receiver.tickets()[ticket_id] == 0 and time.time() < deadline:
        time.sleep(0.2)
    assert receiver.tickets()[ticket_id] == 1  # the operator reviewed it: delivered at once, once
    assert operator.get(base, timeout=10).json()["handoff"]["pending"]["filed"] == [ticket_id]
    assert operator.post(f"{base}/close", json={}, timeout=10).status_code == 200
    status = "\n".join(say(rasa_url, sender, "查询进度"))
    assert ticket_id in status, status


def test_failed_sign_ins_from_one_address_are_throttled(stack):
    import asyncio

    import redis.asyncio

    from console.login_limits import count_failure, may_try

    if time.time() % 60 > 55:  # all of it within one minute
        time.sleep(6)

    async def run() -> None:
        client = redis.asyncio.Redis(port=stack.ports.redis, decode_responses=True)
        address = f"203.0.113.{uuid.uuid4().int % 250}"
        for _ in range(3):
            assert await may_try(client, address, per_minute=3)
            await count_failure(client, address)
        assert not await may_try(client, address, per_minute=3)
        assert await may_try(client, "198.51.100.7", per_minute=3)  # another address is not slowed
        await client.close()

    asyncio.run(run())


def test_model_routes_refuse_what_they_cannot_do(stack, app_url, people, tmp_path):
    """The happy path (train, compare, activate, roll back) runs in the browser test."""
    trainer = sign_in(app_url, people["trainer"])
    operator = sign_in(app_url, people["operator"])
    assert operator.get(f"{app_url}/api/console/models", timeout=10).status_code == 403
    assert operator.post(f"{app_url}/api/console/models/validate", json={}, timeout=10).status_code == 403
    models = trainer.get(f"{app_url}/api/console/models", timeout=10).json()
    assert models["active"] and models["active"] in [v["version"] for v in models["versions"]]
    assert trainer.post(f"{app_url}/api/console/models/no-such-version/activate", json={}, timeout=10).status_code == 404
    test = tmp_path / "held_out.csv"
    test.write_text(HELD_OUT, encoding="utf-8")
    with test.open("rb") as handle:
        wrong = trainer.post(f"{app_url}/api/console/models/compare", timeout=30,
                             files={"test": ("held_out.txt", handle, "text/plain")})
    assert wrong.status_code == 415
    assert trainer.post(f"{app_url}/api/console/models/compare", json={}, timeout=10).status_code == 400
    unlabelled = tmp_path / "unlabelled.csv"
    unlabelled.write_text("title,text\n,路灯坏了\n", encoding="utf-8")
    with unlabelled.open("rb") as handle:
        refused = trainer.post(f"{app_url}/api/console/models/compare", timeout=30,
                               files={"test": ("unlabelled.csv", handle, "text/csv")})
    assert refused.status_code == 422 and "label" in refused.json()["error"]


def test_sessions_expire_when_idle_and_after_a_shift(stack):
    import asyncio

    import redis.asyncio

    from console.sessions import SessionStore
    from console.settings import SessionSettings

    async def run() -> None:
        client = redis.asyncio.Redis(port=stack.ports.redis, decode_responses=True)
        idle = SessionStore(client, SessionSettings(idle_minutes=1 / 60, max_hours=1))  # 1 s idle
        started = await idle.start("someone")
        assert (await idle.get(started.token)).username == "someone"
        await asyncio.sleep(2.2)
        assert await idle.get(started.token) is None
        shift = SessionStore(client, SessionSettings(idle_minutes=10, max_hours=1 / 3600))  # 1 s in all
        kept = await shift.start("someone")
        for _ in range(3):  # in use all along, and still ended when the shift is over
            await asyncio.sleep(0.5)
            await shift.get(kept.token)
        await asyncio.sleep(0.2)
        assert await shift.get(kept.token) is None
        await client.close()

    asyncio.run(run())


def test_open_consoles_hear_when_the_queues_change(stack, app_url, people):
    """GET /api/console/events: the counts at once, then the new counts after a new intake; two
    consoles open at once get the same counts (counted once a round for both)."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    def counts_events(session: requests.Session, wanted: int) -> list:
        got = []
        with session.get(f"{app_url}/api/console/events", stream=True, timeout=30) as stream:
            assert stream.headers["Content-Type"].startswith("text/event-stream")
            for line in stream.iter_lines(decode_unicode=True):
                if line.startswith("data: "):
                    got.append(json.loads(line[6:]))
                    if len(got) == wanted:
                        return got
        return got

    consoles = [sign_in(app_url, people["operator"]), sign_in(app_url, people["admin"])]
    with ThreadPoolExecutor(2) as pool:
        heard = [pool.submit(counts_events, c, 2) for c in consoles]
        time.sleep(1.0)  # both streams open and have the counts as they are
        file_open311(app_url, "路边的垃圾桶倒了，垃圾撒了一地", "映月湾花园东门")
        first, second = (h.result(timeout=30) for h in heard)
    assert first == second and len(first) == 2
    assert set(first[0]) >= {"category", "place", "duplicate", "urgent", "handoff", "dead"}
    assert sum(first[1].values()) > sum(first[0].values())  # the new intake is waiting for review


def test_a_ticket_its_resident_pressed_on_shows_how_often(stack, app_url, rasa_url, people, sender):
    """A 催办 was only in the ticket's history: the review queue and the SLA board count them, so a ticket the
    resident keeps pressing on is seen without opening it."""
    from tests.conftest import say

    say(rasa_url, sender, "锦绣家园4栋电梯坏了")
    filed = "\n".join(say(rasa_url, sender, "确认"))
    ticket_id = re.search(r"工单号：(\d{14})", filed).group(1)
    say(rasa_url, sender, "催一下")
    say(rasa_url, sender, "能不能快点处理")
    console = sign_in(app_url, people["operator"])
    items = console.get(f"{app_url}/api/console/queue", params={"limit": 200}, timeout=10).json()["items"]
    assert [i["urged"] for i in items if i["id"] == ticket_id] == [2], items
    board = console.get(f"{app_url}/api/sla", params={"limit": 1000}, timeout=10).json()["tickets"]
    assert [t["urged"] for t in board if t["id"] == ticket_id] == [2]

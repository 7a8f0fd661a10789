"""Rasa's dialogue model as versions (issue 15): a trainer activates another version in the
console, every Rasa worker of the running stack loads it within seconds (GET /status names the
archive each worker has), a conversation begun before goes on after, and a rollback brings the
first one back. The second version is a copy of the trained archive under another name, made
and removed by the test."""
from __future__ import annotations

import os
import shutil
import time

import requests

from classifiers.dialogue_versions import DIALOGUE_DIR, DialogueVersions
from tests.conftest import say
from tests.console_people import sign_in


INTENTS = """version: "3.1"
nlu:
- intent: cancel
  examples: |
    - 算了不用登记了
    - 这个单子撤销吧
- intent: greet
  examples: |
    - 哈喽在吗
    - 你好呀
- intent: query_status
  examples: |
    - 我上周报的那个修好了没
    - 帮我查一下处理进度
"""


def every_worker_has(rasa_url: str, archive: str, timeout_s: float = 60) -> bool:
    """Ten answers in a row (new connections, so both workers answer) name ``archive``."""
    deadline, streak = time.monotonic() + timeout_s, 0
    while time.monotonic() < deadline and streak < 10:
        status = requests.get(f"{rasa_url}/status", timeout=10, headers={"Connection": "close"}).json()
        streak = streak + 1 if status.get("model_file") == archive else 0
        time.sleep(0.1)
    return streak >= 10


def test_an_activated_dialogue_version_reaches_every_worker_without_dropping_conversations(
        stack, rasa_url, app_url, people, sender):
    first = DialogueVersions().active()
    assert first and every_worker_has(rasa_url, first)
    copy = DIALOGUE_DIR / "20991231-000000-test-copy.tar.gz"
    shutil.copyfile(DIALOGUE_DIR / first, copy)
    os.utime(copy, (time.time() - 10**6, time.time() - 10**6))  # older: not what a training would make newest
    trainer = sign_in(app_url, people["trainer"])
    try:
        listed = trainer.get(f"{app_url}/api/console/models", timeout=10).json()["dialogue"]
        assert listed["active"] == first and copy.name in [v["version"] for v in listed["versions"]]
        asked = "\n".join(say(rasa_url, sender, "楼道的灯坏了，晚上上楼黑乎乎的"))
        assert "在哪里" in asked, asked

        made = trainer.post(f"{app_url}/api/console/models/dialogue/{copy.name}/activate", json={}, timeout=10)
        assert made.status_code == 200 and made.json()["active"] == copy.name
        assert every_worker_has(rasa_url, copy.name)
        summary = "\n".join(say(rasa_url, sender, "锦绣家园9栋"))  # the conversation goes on
        assert "请核对" in summary and "楼道的灯坏了" in summary, summary

        # compared on a labelled intent file, as the problem-type versions are
        # (one version here, to keep CI short: each is loaded in the comparing process)
        compared = trainer.post(f"{app_url}/api/console/models/dialogue/compare", timeout=300,
                                data={"versions": copy.name},
                                files={"test": ("intents.yml", INTENTS.encode(), "application/x-yaml")})
        assert compared.status_code == 200, compared.text
        results = compared.json()["results"]
        assert [r["model"] for r in results] == [copy.name] and compared.json()["messages"] == 6
        assert results[0]["macro_f1"] > 0.5 and "cancel" in results[0]["per_class"]
        assert all(trainer.get(app_url + src, timeout=10).status_code == 200 for src in compared.json()["pictures"])
        kept = DialogueVersions().get(copy.name).evaluations
        assert [(e.messages, e.macro_f1) for e in kept] == [(6, results[0]["macro_f1"])]  # in the version's record
        wrong = trainer.post(f"{app_url}/api/console/models/dialogue/compare", timeout=30,
                             files={"test": ("intents.txt", b"x", "text/plain")})
        empty = trainer.post(f"{app_url}/api/console/models/dialogue/compare", timeout=120,
                             files={"test": ("empty.yml", b"version: '3.1'\nnlu: []\n", "application/x-yaml")})
        assert wrong.status_code == 415 and empty.status_code == 422 and "intent" in empty.json()["error"]

        back = trainer.post(f"{app_url}/api/console/models/dialogue/rollback", json={}, timeout=10)
        assert back.status_code == 200 and back.json()["active"] == first
        assert every_worker_has(rasa_url, first)
        assert any("工单号" in t for t in say(rasa_url, sender, "确认"))
        refused = trainer.post(f"{app_url}/api/console/models/dialogue/no-such.tar.gz/activate", json={}, timeout=10)
        assert refused.status_code == 404
        operator = sign_in(app_url, people["operator"])
        assert operator.post(f"{app_url}/api/console/models/dialogue/rollback", json={}, timeout=10).status_code == 403
    finally:
        versions = DialogueVersions()
        if versions.active() != first:
            versions.activate(first, "test clean-up")
        copy.unlink(missing_ok=True)
        DialogueVersions()  # forget the copy

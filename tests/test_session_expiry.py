"""A resident who stops answering (issue 13): after `session_expires_after_minutes` the next
message starts a new Rasa session, and the half-told report is neither lost nor filed unasked.

A second Rasa server runs beside the test stack (same Redis, action server and ticket store)
with settings in which a session expires after three seconds, so the expiry itself happens in
a running server instead of being simulated."""
from __future__ import annotations

import re
import shutil
import socket
import time
from pathlib import Path

import pytest
import requests

from common.paths import SETTINGS_DIR
from intake.services import Ports, Stack
from tests.conftest import say
from tests.test_conversation import TICKET, filed_ticket

EXPIRES_S = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def short_sessions_url(stack: Stack, tmp_path_factory) -> str:
    settings = tmp_path_factory.mktemp("settings") / "settings"
    shutil.copytree(SETTINGS_DIR, settings)
    conversation = settings / "conversation.yml"
    text = conversation.read_text(encoding="utf-8")
    conversation.write_text(re.sub(r"(?m)^session_expires_after_minutes:.*$",
                                   f"session_expires_after_minutes: {EXPIRES_S / 60:.4f}", text), encoding="utf-8")
    ports = Ports(redis=stack.ports.redis, actions=stack.ports.actions, rasa=free_port(), app=stack.ports.app)
    beside = Stack(ports=ports, var_dir=stack.var_dir, db_url=stack.db_url)
    service = beside._service("rasa")
    service.name, service.log_path = "rasa-short-sessions", Path(stack.var_dir) / "log" / "rasa-short-sessions.log"
    service.extra_env.update(INTAKE_SETTINGS_DIR=str(settings), SANIC_WORKERS="1")
    beside.launch(service)
    try:
        yield f"http://127.0.0.1:{ports.rasa}"
    finally:
        beside.stop_all()


def wait_past_expiry() -> None:
    time.sleep(EXPIRES_S + 1.5)


def test_a_resident_who_stops_before_the_place_is_asked_to_go_on(short_sessions_url, app_url, sender):
    asked = "\n".join(say(short_sessions_url, sender, "楼道里的灯坏了一个星期了，晚上上楼黑漆漆的"))
    assert "在哪里" in asked, asked
    wait_past_expiry()
    back = "\n".join(say(short_sessions_url, sender, "在吗"))
    assert "还没有登记完" in back and "楼道里的灯坏了" in back and "工单号" not in back, back
    summary = "\n".join(say(short_sessions_url, sender, "锦绣家园7栋"))
    assert "请核对" in summary and "楼道里的灯坏了" in summary and "锦绣家园7栋" in summary, summary
    ticket = filed_ticket(app_url, say(short_sessions_url, sender, "确认"))
    assert ticket["description"].startswith("楼道里的灯坏了") and ticket["location"]["building"] == "7"


def test_a_resident_who_never_confirms_gets_the_summary_again_and_nothing_is_filed(short_sessions_url, app_url,
                                                                                   sender):
    summary = "\n".join(say(short_sessions_url, sender, "海景花园9栋门口的下水道堵了，污水往外冒"))
    assert "请核对" in summary, summary
    wait_past_expiry()
    back = "\n".join(say(short_sessions_url, sender, "你好"))
    assert "还没有提交" in back and "海景花园9栋" in back and not TICKET.search(back), back
    listed = requests.get(f"{app_url}/open311/v2/requests.json", timeout=10).json()
    assert not any("海景花园9栋门口的下水道堵了" in t["description"] for t in listed)
    wait_past_expiry()  # silent again; a yes after the silence is a yes to the summary shown with it
    again = say(short_sessions_url, sender, "确认")
    assert "还没有提交" in again[0] and "海景花园9栋" in again[0], again
    ticket = filed_ticket(app_url, again)
    assert ticket["location"]["estate"] == "海景花园" and ticket["location"]["building"] == "9"

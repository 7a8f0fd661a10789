"""Fixtures that start the real stack (Redis, action server, app server, Rasa) once per session,
on their own ports and with their own ticket database, through the same code `intake run` uses."""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from typing import List

import pytest
import requests

from intake.services import Ports, Stack

# the WeChat channel's secrets for the test stack (a deployment sets its own in the environment)
WECHAT = {"WECHAT_TOKEN": "intake-test-token", "WECHAT_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
          "WECHAT_APP_ID": "wx0123456789abcdef"}
os.environ.update(WECHAT)
# the secret a dispatch system signs status updates with (POST /api/tickets/{id}/status)
STATUS_SECRET = "intake-test-status-secret"
os.environ["INTAKE_STATUS_SECRET"] = STATUS_SECRET
# the city's dispatch system the test stack delivers every ticket to (bench/webhook_receiver.py),
# and an Open311 key with the right to see who reported
WEBHOOK_PORT = int(os.environ.get("INTAKE_TEST_WEBHOOK_PORT", "18099"))
WEBHOOK_SECRET = "intake-test-webhook-secret"
os.environ.update({"INTAKE_WEBHOOK_URL": f"http://127.0.0.1:{WEBHOOK_PORT}/hook",
                   "INTAKE_WEBHOOK_SECRET": WEBHOOK_SECRET, "INTAKE_OPEN311_FULL_KEYS": "department-test-key"})
FULL_KEY = {"X-Api-Key": "department-test-key"}
# where trainers' accepted corrections go (not the project's training_data/ during tests)
_corrections = tempfile.mkdtemp(prefix="intake-test-corrections-")
os.environ["INTAKE_CORRECTIONS_FILE"] = os.path.join(_corrections, "corrections.yml")
os.environ["INTAKE_INTENT_CORRECTIONS_FILE"] = os.path.join(_corrections, "nlu_corrections.yml")
os.environ["INTAKE_URGENCY_CORRECTIONS_FILE"] = os.path.join(_corrections, "urgency_corrections.yml")

# WeChat's API as the test stack reaches it (bench/wechat_api.py): customer-service messages for
# answers slower than WeChat waits and for notifications (a closed ticket's rating question)
WECHAT_API_PORT = int(os.environ.get("INTAKE_TEST_WECHAT_API_PORT", "18098"))
WECHAT_API_SECRET = "intake-test-app-secret"
os.environ.update({"WECHAT_APP_SECRET": WECHAT_API_SECRET, "WECHAT_API_BASE": f"http://127.0.0.1:{WECHAT_API_PORT}",
                   # the stack's WeChat tests read passive replies even on a loaded machine; the late path
                   # has its own test (test_wechat_customer_service.py)
                   "INTAKE_WECHAT_REPLY_WAIT_S": "20"})

TEST_PORTS = Ports(redis=int(os.environ.get("INTAKE_TEST_REDIS_PORT", "16379")),
                   actions=int(os.environ.get("INTAKE_TEST_ACTIONS_PORT", "15055")),
                   rasa=int(os.environ.get("INTAKE_TEST_RASA_PORT", "15005")),
                   app=int(os.environ.get("INTAKE_TEST_APP_PORT", "18080")))


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by playwright, for the pages (chat page, console); per module,
    because playwright's sync API keeps an event loop running while it is open."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium"):
        pytest.fail("Debian chromium is not installed; ./test.sh installs it")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def postgres():
    from tests.postgres import Postgres

    server = Postgres(port=int(os.environ.get("INTAKE_TEST_PG_PORT", "15432"))).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_db(request, tmp_path):
    """A factory of empty ticket databases: each test that uses it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return lambda: f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
    server = request.getfixturevalue("postgres")
    if not server.server_url:
        pytest.skip(server.why_not)
    return server.new_database


@pytest.fixture(scope="session")
def receiver():
    from bench.webhook_receiver import WebhookReceiver

    running = WebhookReceiver(port=WEBHOOK_PORT, secret=WEBHOOK_SECRET).start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def wechat_api():
    from bench.wechat_api import WeChatApi

    running = WeChatApi(port=WECHAT_API_PORT, app_id=WECHAT["WECHAT_APP_ID"], secret=WECHAT_API_SECRET).start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, receiver, wechat_api) -> Stack:
    from intake.training import dialogue_model_exists, train_all
    from classifiers.freshness import problem_model_up_to_date

    if not dialogue_model_exists() or not problem_model_up_to_date():
        train_all()
    var_dir = tmp_path_factory.mktemp("intake-var")
    stack = Stack(ports=TEST_PORTS, var_dir=var_dir, db_url=f"sqlite:///{var_dir / 'tickets.db'}")
    try:
        stack.start_all()
        yield stack
    finally:
        stack.stop_all()
        shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def app_url(stack: Stack) -> str:
    return f"http://127.0.0.1:{stack.ports.app}"


@pytest.fixture(scope="session")
def rasa_url(stack: Stack) -> str:
    return f"http://127.0.0.1:{stack.ports.rasa}"


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def say(rasa_url: str, sender: str, text: str) -> List[str]:
    """One resident turn through Rasa's REST webhook; returns the bot's texts."""
    resp = requests.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
    assert resp.status_code == 200, resp.text
    return [m.get("text", "") for m in resp.json()]


@pytest.fixture(scope="session")
def people(stack):
    """An operator, a trainer and an admin of the console (tests/console_people.py)."""
    from tests.console_people import make_people

    return make_people(stack)

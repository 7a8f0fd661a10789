"""Console accounts for the tests, made the way a deployment makes them (`intake users add`), and
the calls the console tests share: signing in through the login form, filing an intake by Open311."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from typing import Dict, Optional

import requests

PASSWORD = "console-test-password"
#: a labelled file no model version trained on (our own words), for comparing versions
HELD_OUT = ("title,text,label\n,小区门口的路灯坏了一个星期，晚上出门很危险,城乡建设\n,楼下饭店油烟直排，家里窗户都不敢开,环境保护\n"
            ",公司拖欠了三个月工资不发,劳动和社会保障\n,孩子学校附近有人卖三无零食,卫生计生\n")


def users(stack, *args: str, password: Optional[str] = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "INTAKE_DB_URL": stack.db_url}
    return subprocess.run([sys.executable, "-m", "intake.cli", "users", *args], input=password, text=True,
                          capture_output=True, env=env, timeout=120)


def make_people(stack) -> Dict[str, str]:
    """One account per role, named for this run: role → user name."""
    suffix = uuid.uuid4().hex[:6]
    names = {role: f"{role}-{suffix}" for role in ("operator", "trainer", "admin")}
    for role, name in names.items():
        made = users(stack, "add", name, "--role", role, "--password-stdin", password=PASSWORD + "\n")
        assert made.returncode == 0, made.stdout + made.stderr
    return names


def sign_in(app_url: str, name: str, password: str = PASSWORD) -> requests.Session:
    """A browser-like session signed in through the login form, with its CSRF token as a header."""
    session = requests.Session()
    answer = session.post(f"{app_url}/console/login", data={"username": name, "password": password,
                                                            "next": "/console"}, allow_redirects=False, timeout=30)
    assert answer.status_code == 303, answer.text
    assert answer.headers["Location"].startswith("/console") and "/login" not in answer.headers["Location"], \
        requests.utils.unquote(answer.headers["Location"])
    me = session.get(f"{app_url}/api/console/me", timeout=10)
    assert me.status_code == 200, me.text
    session.headers["X-CSRF-Token"] = me.json()["csrf_token"]
    return session


def file_open311(app_url: str, description: str, address: str, code: str = "城乡建设/城市建设和市政管理/城市公共设施") -> str:
    answer = requests.post(f"{app_url}/open311/v2/requests.json", timeout=30,
                           data={"service_code": code, "description": description, "address_string": address})
    assert answer.status_code == 201, answer.text
    return answer.json()[0]["service_request_id"]

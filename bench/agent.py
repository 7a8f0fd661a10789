"""The agent a benchmark talks to: a running one (--rasa-url and --app-url), else a stack of its
own on the bench ports with a fresh ticket database, stopped afterwards."""
from __future__ import annotations

import os
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

from intake.services import Ports, Stack

BENCH_PORTS = Ports(26379, 25055, 25005, 28080)


def operator_key() -> Dict[str, str]:
    """The header a benchmark reads the operators' lists (/api/handoffs) with: a key with full
    rights from INTAKE_OPEN311_FULL_KEYS; a bench's own stack is given one for the run."""
    keys = [k.strip() for k in os.environ.get("INTAKE_OPEN311_FULL_KEYS", "").split(",") if k.strip()]
    if not keys:
        keys = [secrets.token_hex(16)]
        os.environ["INTAKE_OPEN311_FULL_KEYS"] = keys[0]
    return {"X-Api-Key": keys[0]}


@contextmanager
def agent_urls(rasa_url: Optional[str], app_url: Optional[str], name: str) -> Iterator[Tuple[str, str]]:
    if rasa_url and app_url:
        yield rasa_url, app_url
        return
    operator_key()  # before the stack starts, so that its app server knows the key
    var = Path(tempfile.mkdtemp(prefix=f"intake-{name}-"))
    stack = Stack(ports=BENCH_PORTS, var_dir=var, db_url=f"sqlite:///{var / 'tickets.db'}")
    stack.start_all()
    try:
        yield f"http://127.0.0.1:{stack.ports.rasa}", f"http://127.0.0.1:{stack.ports.app}"
    finally:
        stack.stop_all()

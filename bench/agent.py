"""The agent a benchmark talks to: a running one (--rasa-url and --app-url), else a stack of its
own on the bench ports with a fresh ticket database, stopped afterwards."""
from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional, Tuple

from intake.services import Ports, Stack

BENCH_PORTS = Ports(26379, 25055, 25005, 28080)


@contextmanager
def agent_urls(rasa_url: Optional[str], app_url: Optional[str], name: str) -> Iterator[Tuple[str, str]]:
    if rasa_url and app_url:
        yield rasa_url, app_url
        return
    var = Path(tempfile.mkdtemp(prefix=f"intake-{name}-"))
    stack = Stack(ports=BENCH_PORTS, var_dir=var, db_url=f"sqlite:///{var / 'tickets.db'}")
    stack.start_all()
    try:
        yield f"http://127.0.0.1:{stack.ports.rasa}", f"http://127.0.0.1:{stack.ports.app}"
    finally:
        stack.stop_all()

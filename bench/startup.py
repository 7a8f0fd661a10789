"""Benchmark: how long a trainer and an operator wait — training from scratch, and `intake run`
from the command to the first answer — and the memory of all services at rest.

    python -m bench.startup [--train]

--train first runs `intake train --force` (both models from scratch) and times it. Then it
starts `intake run` on its own ports exactly as a deployment does, sends 「你好」 to the REST
channel every 0.2 s until an answer comes back, and reads the resident memory of every service
process (Sanic workers included). Prints and writes bench/reports/startup.md.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, Optional

import psutil
import requests

from common.paths import PROJECT_ROOT, venv_bin

REPORTS = Path(__file__).with_name("reports")
PORTS = {"INTAKE_REDIS_PORT": "36379", "INTAKE_ACTIONS_PORT": "35055", "INTAKE_RASA_PORT": "35005",
         "INTAKE_APP_PORT": "38080"}


def time_training() -> float:
    started = time.perf_counter()
    subprocess.run([venv_bin("intake"), "train", "--force"], cwd=PROJECT_ROOT, check=True)
    return time.perf_counter() - started


def wait_for_answer(url: str, deadline_s: float = 180) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < deadline_s:
        try:
            resp = requests.post(url, json={"sender": f"startup-{uuid.uuid4().hex}", "message": "你好"}, timeout=5)
            if resp.status_code == 200 and resp.json():
                return
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no answer within {deadline_s:.0f} s")


def service_memory(root: psutil.Process) -> Dict[str, float]:
    """RSS in MB per service: every process under `intake run`, grouped by what it runs."""
    groups: Dict[str, float] = {}
    for proc in root.children(recursive=True):
        try:
            line = " ".join(proc.cmdline())
            rss = proc.memory_info().rss / 2 ** 20
        except psutil.NoSuchProcess:
            continue
        name = ("redis" if "redis-server" in line else "action server" if "run actions" in line else
                "app server" if "appserver" in line else "Rasa (all workers)" if "rasa_server" in line else None)
        if name:
            groups[name] = groups.get(name, 0.0) + rss
    return groups


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", action="store_true", help="time `intake train --force` first")
    args = parser.parse_args(argv)
    train_s = time_training() if args.train else None
    var = tempfile.mkdtemp(prefix="intake-startup-")
    env = {**os.environ, **PORTS, "INTAKE_VAR_DIR": var}
    started = time.perf_counter()
    process = subprocess.Popen([venv_bin("intake"), "run"], cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_answer(f"http://127.0.0.1:{PORTS['INTAKE_RASA_PORT']}/webhooks/rest/webhook")
        answer_s = time.perf_counter() - started
        time.sleep(2)
        memory = service_memory(psutil.Process(process.pid))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(60)
    lines = ["# Start-up: training, first answer, memory", "",
             f"`python -m bench.startup{' --train' if args.train else ''}` — {os.cpu_count()} CPU cores.", ""]
    if train_s is not None:
        lines.append(f"- `intake train --force` (problem-type model + Rasa model, from scratch): **{train_s:.0f} s**")
    lines += [f"- `intake run` (models trained) → first answer to 「你好」: **{answer_s:.1f} s**",
              f"- memory of all services at rest: **{sum(memory.values()):.0f} MB** ("
              + ", ".join(f"{k} {v:.0f}" for k, v in sorted(memory.items())) + ")", ""]
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "startup.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

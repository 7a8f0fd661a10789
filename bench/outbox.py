"""Benchmark: the outbox delivering tickets to a city's webhook, healthy and through an outage.

    python -m bench.outbox [--tickets 1000] [--outage 60] [--rate 50]

Starts an app server of its own (own port and SQLite database, the delivery worker inside it, the
settings/dispatch.yml retry policy) and a webhook receiver (bench/webhook_receiver.py). Tickets are
written into the app's database as the action server writes them (TicketStore.file: the ticket and
its delivery job in one transaction), at --rate per second.

1. healthy: --tickets tickets; throughput (tickets delivered per second, first filed → last
   received) and delivery latency (filed → received) p50/p95/p99;
2. outage: the receiver down (connections refused) for --outage seconds while --tickets tickets
   arrive, the app server killed with SIGKILL half-way through the outage and started again; then
   the receiver back. Reports lost and doubled tickets (by delivery id, and raw repeats), and how
   long the backlog took to drain after the receiver came back.

Writes bench/reports/outbox.md and outbox_latency.png.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import requests  # noqa: E402

from bench.webhook_receiver import WebhookReceiver  # noqa: E402
from common.paths import PROJECT_ROOT  # noqa: E402
from dispatch.routing import load_dispatch_settings  # noqa: E402
from dispatch.schema import TicketIn  # noqa: E402
from dispatch.store import TicketStore  # noqa: E402

REPORTS = PROJECT_ROOT / "bench" / "reports"
SECRET = "bench-outbox-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """The app server under test, as `intake run` starts it, with the webhook shortcut set."""

    def __init__(self, db_url: str, hook_url: str, secret: str = SECRET, **extra_env: str) -> None:
        self.port = free_port()
        self.env = {**os.environ, "INTAKE_DB_URL": db_url, "INTAKE_WEBHOOK_URL": hook_url,
                    "INTAKE_WEBHOOK_SECRET": secret, "PYTHONUNBUFFERED": "1", **extra_env}
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "appserver.app", "--port", str(self.port)],
                                        cwd=PROJECT_ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("the app server did not start")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(20)


def file_tickets(store: TicketStore, count: int, rate: float, tag: str, during=None) -> Dict[str, float]:
    """Files ``count`` tickets at ``rate`` per second; returns ticket id → wall time filed.
    ``during(i)`` runs before the i-th ticket (to kill the app half-way)."""
    filed: Dict[str, float] = {}
    started = time.monotonic()
    for i in range(count):
        if during:
            during(i)
        wait = started + i / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        ticket, _ = store.file(TicketIn(
            description=f"{tag}第{i}号路灯不亮", channel="api", department="城市管理局",
            category={"level1": "城乡建设", "level2": f"{tag}{i}"}, location={"community": "海涛社区", "building": str(i)}))
        filed[ticket.id] = time.time()
    return filed


def wait_all(hook: WebhookReceiver, ids, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(hook.tickets().get(i) for i in ids):
            return time.monotonic()
        time.sleep(0.1)
    return float("nan")


def pct(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--outage", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=50.0, help="tickets filed per second")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    hook = WebhookReceiver(port=free_port(), secret=SECRET).start()
    db_url = f"sqlite:///{tmp / 'tickets.db'}"
    os.environ.update({"INTAKE_WEBHOOK_URL": hook.url, "INTAKE_WEBHOOK_SECRET": SECRET})
    store = TicketStore(db_url, routing=load_dispatch_settings())  # the environment shortcut, as in the app
    app = App(db_url, hook.url)
    app.start()
    try:
        # 1. healthy
        t0 = time.time()
        healthy = file_tickets(store, args.tickets, args.rate, "健康")
        wait_all(hook, healthy, 120)
        arrived = hook.latencies()
        latencies = [(arrived[i] - at) * 1000 for i, at in healthy.items() if i in arrived]
        throughput = len(latencies) / (max(arrived[i] for i in healthy if i in arrived) - t0)
        print(f"healthy: {len(latencies)}/{len(healthy)} delivered, {throughput:.1f} tickets/s, "
              f"latency p50 {pct(latencies, .5):.0f} ms p95 {pct(latencies, .95):.0f} ms p99 {pct(latencies, .99):.0f} ms")

        # 2. outage with a kill half-way
        hook.stop()
        outage_started = time.monotonic()
        killed = []

        def kill_half_way(i: int) -> None:
            if not killed and time.monotonic() - outage_started >= args.outage / 2:
                app.kill()
                app.start()
                killed.append(time.monotonic() - outage_started)

        rate = min(args.rate, args.tickets / max(args.outage * 0.8, 1))
        during = file_tickets(store, args.tickets, rate, "停机", during=kill_half_way)
        if not killed:
            kill_half_way(0)
        remaining = args.outage - (time.monotonic() - outage_started)
        if remaining > 0:
            time.sleep(remaining)
        hook.start()
        back = time.monotonic()
        done = wait_all(hook, during, 1800)
        unique, raw = hook.tickets(), hook.raw_filed()
        lost = [i for i in during if not unique.get(i)]
        doubled = [i for i in during if unique.get(i, 0) > 1]
        repeats = sum(raw[i] for i in during) - sum(unique[i] for i in during if i in unique)
        drain = done - back
        print(f"outage {args.outage:.0f} s, app killed at {killed[0]:.0f} s: {len(during) - len(lost)}/{len(during)} "
              f"delivered, lost {len(lost)}, doubled {len(doubled)}, repeated delivery ids {repeats}, "
              f"drained {drain:.1f} s after the receiver came back")
    finally:
        app.stop()
        hook.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    command = "python -m bench.outbox " + " ".join(argv if argv is not None else sys.argv[1:])
    REPORTS.mkdir(exist_ok=True)
    lines = ["# Outbox: delivering tickets to a city's webhook", "",
             f"`{command.strip()}` — {os.cpu_count()} CPU cores; the app server's delivery worker (one process, "
             "settings/dispatch.yml retry policy), a local webhook receiver checking signatures; tickets written "
             f"into the app's SQLite database as the action server writes them, at up to {args.rate:g}/s.", "",
             "| phase | tickets | delivered | throughput (tickets/s) | latency p50 ms | p95 ms | p99 ms |",
             "|---|---|---|---|---|---|---|",
             f"| healthy receiver | {len(healthy)} | {len(latencies)} | {throughput:.1f} | {pct(latencies, .5):.0f} | "
             f"{pct(latencies, .95):.0f} | {pct(latencies, .99):.0f} |", "",
             f"Outage: receiver refusing connections for {args.outage:.0f} s while {len(during)} tickets arrived; "
             f"the app server killed (SIGKILL) and restarted {killed[0]:.0f} s into it.", "",
             "| delivered | lost | doubled (same ticket, new delivery id) | repeated delivery ids | drained after the receiver returned |",
             "|---|---|---|---|---|",
             f"| {len(during) - len(lost)}/{len(during)} | {len(lost)} | {len(doubled)} | {repeats} | {drain:.1f} s |", "",
             "Latency includes the worker's poll interval (tickets written by another process do not wake it). "
             "Repeated delivery ids are jobs the receiver answered just before the kill, whose answer the dead "
             "process could not record; they carry the same `X-Intake-Delivery` id for the receiver to drop. "
             "The drain time follows the backoff: a job that failed k times waits about base·2^(k-1) s.", "",
             "![latency](outbox_latency.png)", ""]
    (REPORTS / "outbox.md").write_text("\n".join(lines), encoding="utf-8")
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist(latencies, bins=40)
    ax.set_xlabel("filed → received (ms), healthy receiver")
    ax.set_ylabel("tickets")
    fig.tight_layout()
    fig.savefig(REPORTS / "outbox_latency.png", dpi=110)
    print(f"wrote {REPORTS / 'outbox.md'}")


if __name__ == "__main__":
    main()

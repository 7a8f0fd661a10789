"""How fast the operators' review queue opens and filters with many waiting items.

Fills a fresh ticket database with --items intakes waiting for review (unconfirmed places, unsure
problem types, 特急, spread over a week, four streets, thirty categories) through the ticket
store, then starts the app server on it with its own Redis, signs in as an operator and times
GET /api/console/queue: the default page, each queue, and filters by street, category, urgency
and age. Targets (issue 15): the queue opens in ≤ 1 s and filters in ≤ 200 ms with 10,000 items.

    python -m bench.console_queue [--items 10000] [--db-url postgresql://…]

Writes bench/reports/console_queue.md and console_queue.png.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Dict, List

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import requests  # noqa: E402
from tqdm import tqdm  # noqa: E402

from bench.outbox import REPORTS, free_port  # noqa: E402
from bench.stats import percentile  # noqa: E402
from classifiers.taxonomy import default_taxonomy  # noqa: E402
from common import clock  # noqa: E402
from console.accounts import Accounts  # noqa: E402
from dispatch.routing import DispatchSettings  # noqa: E402
from dispatch.schema import TicketIn  # noqa: E402
from dispatch.store import TicketStore  # noqa: E402

STREETS = ["海山街道", "沙头角街道", "梅沙街道", "盐田街道"]
OPEN_TARGET_MS, FILTER_TARGET_MS = 1000.0, 200.0
PASSWORD = "bench-console-password"


def fill(store: TicketStore, items: int, seed: int = 7) -> List[str]:
    """``items`` intakes that wait for review; returns the categories used."""
    rng = random.Random(seed)
    paths = rng.sample(default_taxonomy().paths(), 30)
    now = clock.now()
    for number in tqdm(range(items), desc="filing intakes that wait for review", unit="ticket"):
        path = rng.choice(paths).split("/")
        kind = rng.random()
        urgency = "特急" if kind < 0.05 else rng.choice(["紧急", "一般", "一般"])
        location = {"district": "盐田区", "street": rng.choice(STREETS), "estate": f"第{rng.randint(1, 400)}花园",
                    "building": str(rng.randint(1, 30)), "placement": "unknown" if kind < 0.65 else "placed"}
        confidence = rng.uniform(0.1, 0.44) if kind >= 0.6 else rng.uniform(0.5, 0.99)
        ticket = TicketIn(description=f"第{number}件诉求：{'/'.join(path)}的问题，已经好几天了", channel="web",
                          category={"level1": path[0], "level2": path[1], "level3": path[2] if len(path) > 2 else None,
                                    "confidence": confidence},
                          location=location, urgency=urgency, needs_review=True)
        store.file(ticket, now=now - timedelta(minutes=rng.randint(0, 7 * 24 * 60)))
    return paths


def timed(session: requests.Session, url: str, params: Dict[str, str], runs: int) -> List[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = session.get(url, params=params, timeout=30)
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    return times


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db-url", help="default: a fresh SQLite file")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="intake-console-bench-"))
    db_url = args.db_url or f"sqlite:///{folder / 'tickets.db'}"
    store = TicketStore(db_url, routing=DispatchSettings())  # no adapters: nothing is delivered
    paths = fill(store, args.items)
    Accounts(store.engine).add("bench-operator", "operator", PASSWORD)

    redis_port, app_port = free_port(), free_port()
    env = {**os.environ, "INTAKE_DB_URL": db_url, "INTAKE_REDIS_PORT": str(redis_port), "INTAKE_REDIS_HOST": "127.0.0.1",
           "INTAKE_DELIVERY_WORKER": "0", "INTAKE_WEBHOOK_URL": ""}
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                             stdout=subprocess.DEVNULL)
    app = subprocess.Popen([sys.executable, "-m", "appserver.app", "--port", str(app_port)], env=env,
                           stdout=subprocess.DEVNULL, stderr=open(folder / "app.log", "w"))
    base = f"http://127.0.0.1:{app_port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                if requests.get(base + "/healthz", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.time() > deadline:
                raise SystemExit(f"the app server did not start; see {folder / 'app.log'}")
            time.sleep(0.3)
        session = requests.Session()
        session.post(base + "/console/login", data={"username": "bench-operator", "password": PASSWORD}, timeout=30)
        url = base + "/api/console/queue"
        first = session.get(url, timeout=30).json()
        cases = {"open (all waiting)": {}, **{f"queue={q}": {"queue": q} for q in first["counts"]},
                 "street": {"street": STREETS[1]}, "category": {"category": "/".join(paths[0].split("/")[:2])},
                 "urgency": {"urgency": "紧急"}, "older than 24 h": {"older_than_h": "24"},
                 "street+urgency+age": {"street": STREETS[2], "urgency": "一般", "older_than_h": "4"},
                 "page 20 (offset 950)": {"offset": "950"}}
        results = {name: timed(session, url, params, args.runs) for name, params in cases.items()}
    finally:
        app.terminate()
        redis.terminate()
        app.wait(10)
        redis.wait(10)
    write_report(results, first["counts"], args, db_url)


def write_report(results: Dict[str, List[float]], counts: Dict[str, int], args, db_url: str) -> None:
    REPORTS.mkdir(exist_ok=True)
    rows = []
    for name, times in results.items():
        target = OPEN_TARGET_MS if name.startswith("open") else FILTER_TARGET_MS
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        rows.append(f"| {name} | {p50:.1f} | {p95:.1f} | {target:.0f} | {'yes' if p95 <= target else 'NO'} |")
        print(f"{name:28s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (target {target:.0f} ms)")
    lines = ["# Console review queue", "",
             f"`python -m bench.console_queue --items {args.items}` — {args.items} intakes waiting for review in "
             f"{db_url.split(':')[0]}, timed through HTTP (GET /api/console/queue with an operator's session: "
             f"sign-in check, counts of all six queues, one page of 50), {args.runs} runs each.", "",
             f"Waiting: {', '.join(f'{k} {v}' for k, v in counts.items())}.", "",
             "| request | p50 ms | p95 ms | target ms | met |", "|---|---|---|---|---|", *rows, "",
             "![latency](console_queue.png)", ""]
    (REPORTS / "console_queue.md").write_text("\n".join(lines), encoding="utf-8")
    fig, ax = plt.subplots(figsize=(9, 4.5))
    names = list(results)
    ax.barh(names, [percentile(results[n], 0.95) for n in names], color="#1565c0")
    ax.axvline(FILTER_TARGET_MS, color="#c62828", linestyle="--", label="filter target 200 ms")
    ax.set_xlabel("p95 ms")
    ax.set_title(f"review queue with {args.items} waiting items")
    ax.legend()
    fig.tight_layout()
    fig.savefig(REPORTS / "console_queue.png", dpi=110)
    print(f"wrote {REPORTS / 'console_queue.md'}")


if __name__ == "__main__":
    main()

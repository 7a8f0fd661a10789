"""Benchmark: service start-up times and resident-turn latency through the real stack.

    python -m bench.conversation_latency [--conversations 30]

Starts Redis, actions, app server and Rasa on bench ports, measures how long each takes to be
ready, the first answer after start-up, then runs N intake conversations (report →
location → summary → ticket) through the REST webhook. Prints the figures and writes
bench/reports/conversation_latency.md with a latency histogram PNG.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import requests  # noqa: E402
from rich.progress import track  # noqa: E402

from bench.stats import percentile  # noqa: E402
from intake.services import Ports, Stack  # noqa: E402

REPORTS = Path(__file__).with_name("reports")
TURNS = [("我们小区的路灯坏了好几天了", "在哪里"), ("盐田区海山街道海涛社区阳光花园3号楼", "请核对"), ("确认", "工单号")]


def turn(url: str, sender: str, text: str, expect: str) -> float:
    started = time.perf_counter()
    resp = requests.post(url, json={"sender": sender, "message": text}, timeout=120)
    elapsed = time.perf_counter() - started
    answer = " ".join(m.get("text", "") for m in resp.json())
    if expect not in answer:
        raise AssertionError(f"unexpected answer to {text!r}: {answer!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=30)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    stack = Stack(ports=Ports(26379, 25055, 25005, 28080), var_dir=var, db_url=f"sqlite:///{var / 'tickets.db'}")
    startup = {}
    try:
        for name in ("redis", "actions", "app", "rasa"):
            t = time.perf_counter()
            stack.start(name)
            startup[name] = time.perf_counter() - t
        url = f"http://127.0.0.1:{stack.ports.rasa}/webhooks/rest/webhook"
        first = turn(url, f"bench-{uuid.uuid4().hex}", "你好", "12345")
        latencies = []
        for _ in track(range(args.conversations), description="conversations"):
            sender = f"bench-{uuid.uuid4().hex}"
            for text, expect in TURNS:
                latencies.append(turn(url, sender, text, expect) * 1000)
    finally:
        stack.stop_all()
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = percentile(latencies, 0.95)
    REPORTS.mkdir(exist_ok=True)
    plt.figure(figsize=(7, 4))
    plt.hist(latencies, bins=30)
    plt.xlabel("turn latency (ms), one resident at a time")
    plt.ylabel("turns")
    plt.title(f"intake turns: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    plt.tight_layout()
    plt.savefig(REPORTS / "conversation_latency.png")
    lines = ["# Conversation latency", "",
             "| service | ready after (s) |", "|---|---|",
             *(f"| {k} | {v:.1f} |" for k, v in startup.items()), "",
             f"First answer after start-up: {first * 1000:.0f} ms", "",
             f"{len(latencies)} turns ({args.conversations} report→location→ticket conversations): "
             f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms", "",
             "![latency](conversation_latency.png)", ""]
    (REPORTS / "conversation_latency.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

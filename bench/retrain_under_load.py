"""Benchmark: a trainer retrains and activates the problem-type model while residents talk.

    python -m bench.retrain_under_load [--residents 32] [--seconds 40]

Starts our agent on the bench ports and drives --residents concurrent residents (the six-turn
report conversation of bench.load) in three measured phases: (1) no training, (2) while a new
version trains in its own process — what the console's 训练新版本 starts —, (3) while that version
is activated and, half-way, rolled back, so that every process switches versions twice under
load. Each phase reports turns/s, p50/p95 and errors (a wrong or missing answer is an error: a
conversation interrupted); the training's own time is reported beside its time on an idle
machine (its registry entry). Writes bench/reports/retrain_under_load.md and .png.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import List, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bench.load import OURS, Phase, drive, first_answer  # noqa: E402
from bench.stats import percentile  # noqa: E402
from classifiers.registry import Registry  # noqa: E402
from intake.services import Ports, Stack  # noqa: E402

REPORTS = Path(__file__).with_name("reports")


def measured(url: str, residents: int, seconds: float, name: str) -> Phase:
    phase = Phase(name, residents)
    asyncio.run(drive(url, OURS, phase, seconds, 0))
    print(f"{name:32s} {len(phase.latencies_ms) / phase.seconds:6.1f} turns/s  p50 {percentile(phase.latencies_ms, 0.5):5.0f} ms  "
          f"p95 {percentile(phase.latencies_ms, 0.95):5.0f} ms  errors {phase.errors}")
    return phase


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=40.0)
    args = parser.parse_args(argv)
    var = Path(tempfile.mkdtemp(prefix="intake-retrain-"))
    stack = Stack(ports=Ports(26379, 25055, 25005, 28080), var_dir=var, db_url=f"sqlite:///{var / 'tickets.db'}")
    registry = Registry()
    before = registry.active()
    url = f"http://127.0.0.1:{stack.ports.rasa}/webhooks/rest/webhook"
    phases: List[Phase] = []
    training = {}
    try:
        stack.start_all()
        first_answer(url, OURS[0])
        asyncio.run(drive(url, OURS, Phase("warm-up", 8), 5, 0))
        phases.append(measured(url, args.residents, args.seconds, "no training"))

        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "classifiers.train_version", "--by", "bench"],
                                   stdout=subprocess.PIPE, text=True, preexec_fn=lambda: os.nice(10))  # as the console
        done = threading.Event()

        def wait_for_training() -> None:
            for line in process.stdout:
                if line.startswith("{"):
                    training.update(json.loads(line))
            process.wait()
            training["seconds_under_load"] = time.perf_counter() - started
            done.set()

        threading.Thread(target=wait_for_training, daemon=True).start()
        phase = Phase("while a version trains", args.residents)
        while not done.is_set():  # load for as long as the training runs
            part = Phase(phase.bot, args.residents)
            asyncio.run(drive(url, OURS, part, min(args.seconds, 20), 0))
            phase.latencies_ms += part.latencies_ms
            phase.errors += part.errors
            phase.seconds += part.seconds
        print(f"{phase.bot:32s} {len(phase.latencies_ms) / phase.seconds:6.1f} turns/s  "
              f"p95 {percentile(phase.latencies_ms, 0.95):5.0f} ms  errors {phase.errors}")
        phases.append(phase)
        if process.returncode != 0 or "version" not in training:
            raise SystemExit("the training failed")

        def switch() -> None:
            registry.activate(training["version"], "bench")
            time.sleep(args.seconds / 2)
            registry.rollback("bench")

        switcher = threading.Thread(target=switch)
        switcher.start()
        phases.append(measured(url, args.residents, args.seconds, "activated, then rolled back"))
        switcher.join()
    finally:
        stack.stop_all()
        if registry.active() != before and before:
            registry.activate(before, "bench")
    write_report(phases, training, registry, args)


def write_report(phases: List[Phase], training: dict, registry: Registry, args) -> None:
    idle = [v.train_seconds for v in registry.versions() if v.trained_by != "bench"]
    lines = ["# Retraining under load", "",
             f"`python -m bench.retrain_under_load --residents {args.residents} --seconds {args.seconds:.0f}` — "
             f"{args.residents} residents running the six-turn report conversation of bench.load.", "",
             "| phase | turns/s | p50 ms | p95 ms | errors |", "|---|---|---|---|---|"]
    for p in phases:
        lines.append(f"| {p.bot} | {len(p.latencies_ms) / p.seconds:.1f} | {percentile(p.latencies_ms, 0.5):.0f} | "
                     f"{percentile(p.latencies_ms, 0.95):.0f} | {p.errors} |")
    lines += ["", f"Training under load: {training.get('seconds_under_load', float('nan')):.0f} s wall "
                  f"({training.get('seconds', float('nan')):.0f} s fitting; {training.get('examples')} examples); "
                  f"the last training on an idle machine: {idle[0] if idle else float('nan'):.0f} s.", "",
              "![latency](retrain_under_load.png)", ""]
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "retrain_under_load.md").write_text("\n".join(lines), encoding="utf-8")
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.boxplot([p.latencies_ms for p in phases], labels=[p.bot for p in phases], showfliers=False)
    ax.set_ylabel("turn latency ms")
    ax.set_title(f"{args.residents} residents: before, during training, across activation and rollback")
    fig.tight_layout()
    fig.savefig(REPORTS / "retrain_under_load.png", dpi=110)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

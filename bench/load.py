"""Benchmark: throughput and latency under concurrent residents, ours beside a bare Rasa bot.

    python -m bench.load [--residents 32,128] [--seconds 40] [--rounds 2] [--malformed-every 0]

Starts our agent (Redis, action server, app server, Rasa — the path `intake run` uses) and the
reference bare bot in bench/reference_bot/ (Rasa 3.6's default DIET + TED pipeline, a two-slot
form with from_text slots, the same Redis stores, the same number of Sanic workers), training the
reference bot once if needed. Then, for each resident count, it drives the two alternately
(ours, bare, ours, bare …) for --seconds each: every resident runs a scripted six-turn report
conversation with a fresh sender id, again and again, and checks each answer. It prints and
writes bench/reports/load.md (+ load.json, load_latency.png): turns/s, p50/p95/p99, errors, CPU
and RSS per process, and the ratio ours/bare.

--malformed-every K sends a malformed request in place of every K-th turn (they must get a 400
and must not disturb anybody else); --kill-worker kills one Rasa worker of ours in the middle of
each of our phases (the other workers must keep serving; the killed worker's in-flight turns are
counted apart as `cut`). With either, each of our phases ends with a check through Rasa's tracker
API and the ticket store: no answered turn lost, no turn taken twice, no conversation filed twice.

--profile records our Rasa server (all its workers) with py-spy in an extra, unmeasured phase
(sampling costs CPU, so profiled turns never count in the figures) and writes
bench/reports/load_profile.svg (a flame graph) and load_profile.md (where the CPU goes: share of
samples per part of the turn path), so that the turn path is changed from a profile, not a guess.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import psutil  # noqa: E402
import requests  # noqa: E402

from bench.stats import percentile  # noqa: E402
from common.paths import venv_bin  # noqa: E402
from intake.services import Ports, Service, Stack, rasa_workers  # noqa: E402

REPORTS = Path(__file__).with_name("reports")
REFERENCE = Path(__file__).with_name("reference_bot")
REFERENCE_MODELS = REFERENCE / "models"
REFERENCE_PORT = 25006
REFERENCE_REDIS_DB = 1

#: (what the resident says, a piece the answer must contain); the place differs per resident
OURS = [("你好", "12345"),
        ("我们小区的路灯坏了好几天了，晚上很黑", "在哪里"),
        ("盐田区海山街道海涛社区阳光花园{n}号楼", "请核对"),
        ("确认", "工单号"),
        ("查询进度", "工单"),
        ("谢谢，再见", "感谢")]
BARE = [("你好", "市民热线"),
        ("我要反映问题", "什么问题"),
        ("小区的路灯坏了好几天了，晚上很黑", "在哪里"),
        ("阳光花园{n}号楼", "已登记"),
        ("好的", "其他需要"),
        ("谢谢，再见", "再见")]
MALFORMED = [b"{not json", b'{"sender": 5, "message": "hi"}', b'["a list"]', b'{"sender": "x"}']


@dataclass
class Phase:
    bot: str
    residents: int
    seconds: float = 0.0
    latencies_ms: List[float] = field(default_factory=list)
    by_step: Dict[int, List[float]] = field(default_factory=dict)
    errors: int = 0
    error_samples: List[str] = field(default_factory=list)
    malformed_sent: int = 0
    malformed_mishandled: int = 0
    cut: int = 0
    #: set when a worker was killed: a request on its connections is cut, not mishandled
    worker_killed: bool = False
    conversations: int = 0
    #: sender → (turns sent, turns answered) — to check afterwards that nothing was lost or doubled
    sent: Dict[str, List[int]] = field(default_factory=dict)
    cpu_percent: Dict[str, float] = field(default_factory=dict)
    rss_mb: Dict[str, float] = field(default_factory=dict)


class ProcessMeter:
    """CPU seconds and RSS of a service's process tree (Sanic workers are children)."""

    def __init__(self, pids: Dict[str, int]) -> None:
        self.roots = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.start: Dict[str, float] = {}

    def _tree(self, name: str) -> List[psutil.Process]:
        root = self.roots[name]
        try:
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def _cpu(self, name: str) -> float:
        total = 0.0
        for proc in self._tree(name):
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def rss_mb(self) -> Dict[str, float]:
        out = {}
        for name in self.roots:
            rss = 0
            for proc in self._tree(name):
                try:
                    rss += proc.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            out[name] = rss / 2 ** 20
        return out

    def begin(self) -> None:
        self.start = {name: self._cpu(name) for name in self.roots}

    def cpu_percent(self, seconds: float) -> Dict[str, float]:
        return {name: 100 * (self._cpu(name) - self.start[name]) / seconds for name in self.roots}


async def _resident(session: aiohttp.ClientSession, url: str, script: Sequence[Tuple[str, str]], phase: Phase,
                    stop_at: float, malformed_every: int, counter: List[int]) -> None:
    while time.monotonic() < stop_at:
        sender = f"load-{uuid.uuid4().hex[:16]}"
        phase.sent[sender] = counts = [0, 0]
        n = random.randint(1, 60)
        for step, (text, expect) in enumerate(script):
            if time.monotonic() >= stop_at:
                return
            counter[0] += 1
            if malformed_every and counter[0] % malformed_every == 0:
                await _malformed(session, url, phase)
            started = time.perf_counter()
            counts[0] += 1
            try:
                async with session.post(url, json={"sender": sender, "message": text.format(n=n)}) as resp:
                    body = await resp.text()
                    status = resp.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                phase.cut += 1
                _sample(phase, f"{type(exc).__name__}: {exc}")
                break
            elapsed = (time.perf_counter() - started) * 1000
            answer = " ".join(m.get("text", "") for m in json.loads(body)) if status == 200 else body
            phase.latencies_ms.append(elapsed)
            phase.by_step.setdefault(step, []).append(elapsed)
            counts[1] += status == 200
            if status != 200 or expect not in answer:
                phase.errors += 1
                _sample(phase, f"{status} to {text!r}: {answer[:120]!r}")
                break
        else:
            phase.conversations += 1


async def _malformed(session: aiohttp.ClientSession, url: str, phase: Phase) -> None:
    phase.malformed_sent += 1
    body = random.choice(MALFORMED)
    try:
        async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as resp:
            await resp.read()
            if resp.status not in (400, 422):
                phase.malformed_mishandled += 1
    except aiohttp.ClientError as exc:
        if not phase.worker_killed:
            phase.malformed_mishandled += 1
            return
        phase.cut += 1
        _sample(phase, f"{type(exc).__name__} (malformed request): {exc}")


def _sample(phase: Phase, text: str) -> None:
    if len(phase.error_samples) < 5:
        phase.error_samples.append(text)


async def drive(url: str, script: Sequence[Tuple[str, str]], phase: Phase, seconds: float,
                malformed_every: int, kill: Optional[int] = None) -> None:
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=phase.residents + 8)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.monotonic()
        counter = [0]
        tasks = [asyncio.create_task(_resident(session, url, script, phase, started + seconds, malformed_every,
                                               counter)) for _ in range(phase.residents)]
        if kill:
            await asyncio.sleep(seconds / 2)
            phase.worker_killed = True
            os.kill(kill, signal.SIGKILL)
        await asyncio.gather(*tasks)
        phase.seconds = time.monotonic() - started


#: parts of the turn path, recognised by the frames in a sampled stack (first match wins)
PROFILE_PARTS = [("TensorFlow models (DIET, TED)", ("tensorflow", "keras")),
                 ("validating action-server answers (jsonschema)", ("jsonschema",)),
                 ("tracker store (Redis, event (de)serialisation)", ("tracker_store", "redis/", "jsonpickle")),
                 ("lock store", ("lock_store",)),
                 ("action server calls (HTTP, events)", ("rasa/core/actions/action.py", "rasa/utils/endpoints.py")),
                 ("dialogue policies (featurising the tracker)", ("rasa/core/policies", "featurizers")),
                 ("our NLU components and classifiers", ("(nlu/", "(classifiers/")),
                 ("Rasa NLU graph", ("rasa/engine", "rasa/nlu")),
                 ("HTTP server (Sanic, channels)", ("sanic", "(channels/"))]


def profile_rasa(pid: int, seconds: float) -> subprocess.Popen:
    """py-spy on the Rasa server and its Sanic workers, collapsed stacks to a file."""
    REPORTS.mkdir(exist_ok=True)
    return subprocess.Popen([venv_bin("py-spy"), "record", "--pid", str(pid), "--subprocesses", "--duration",
                             str(int(seconds)), "--rate", "50", "--format", "raw", "--output",
                             str(REPORTS / "load_profile.txt"), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarise_profile(label: str) -> List[str]:
    """Share of on-CPU samples per part of the turn path, from py-spy's collapsed stacks."""
    counts: Dict[str, int] = {}
    total = 0
    for line in (REPORTS / "load_profile.txt").read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit() or "select" in stack.rsplit(";", 1)[-1] or "epoll" in stack.rsplit(";", 1)[-1]:
            continue
        total += int(n)
        part = next((name for name, marks in PROFILE_PARTS if any(m in stack for m in marks)), "other")
        counts[part] = counts.get(part, 0) + int(n)
    lines = [f"# Where our Rasa server spends its CPU under load ({label})", "",
             "`python -m bench.load --profile` (py-spy, 50 samples/s over every Sanic worker; idle waits "
             "dropped); a sample counts for the first part of the turn path its stack passes through.", "",
             "| part | share of samples |", "|---|---|"]
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {100 * n / max(total, 1):.1f} % |")
    lines += ["", f"{total} samples.", ""]
    (REPORTS / "load_profile.md").write_text("\n".join(lines), encoding="utf-8")
    return lines


def check_consistency(phase: Phase, rasa: str, db_url: str, sample: int = 300) -> Dict[str, int]:
    """After a phase of ours: every sampled conversation's tracker holds each answered turn once
    (a turn cut by a killed worker may or may not have been taken, never twice) and no
    conversation filed more than one ticket."""
    from dispatch.store import TicketStore
    from common.privacy import mask_pii

    store = TicketStore(db_url)
    found = {"conversations checked": 0, "turns lost": 0, "turns doubled": 0, "tickets filed twice": 0}
    for sender, (sent, answered) in random.sample(sorted(phase.sent.items()), min(sample, len(phase.sent))):
        events = requests.get(f"{rasa}/conversations/{sender}/tracker", timeout=30).json().get("events", [])
        taken = sum(e.get("event") == "user" for e in events)
        found["conversations checked"] += 1
        found["turns lost"] += taken < answered
        found["turns doubled"] += taken > sent
        found["tickets filed twice"] += len(store.list(reporter=mask_pii(sender), limit=5)) > 1
    return found


def first_answer(url: str, turn: Tuple[str, str]) -> None:
    resp = requests.post(url, json={"sender": f"first-{uuid.uuid4().hex}", "message": turn[0]}, timeout=120)
    answer = " ".join(m.get("text", "") for m in resp.json())
    if turn[1] not in answer:
        raise RuntimeError(f"unexpected first answer {answer!r}")


def reference_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(REFERENCE.rglob("*.yml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train_reference() -> None:
    stamp = REFERENCE_MODELS / "inputs.sha256"
    if stamp.exists() and stamp.read_text() == reference_fingerprint() and any(REFERENCE_MODELS.glob("*.tar.gz")):
        return
    print("training the reference bare bot (DIET + TED, once) …")
    subprocess.run([venv_bin("rasa"), "train", "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
                    "--out", str(REFERENCE_MODELS), "--force"], cwd=REFERENCE, check=True)
    stamp.write_text(reference_fingerprint())


def reference_service(stack: Stack) -> Service:
    return Service("reference", [venv_bin("rasa"), "run", "--port", str(REFERENCE_PORT), "--model",
                                 str(REFERENCE_MODELS), "--endpoints", "endpoints.yml", "--credentials",
                                 "credentials.yml"],
                   f"http://127.0.0.1:{REFERENCE_PORT}/", REFERENCE_PORT, stack.var_dir / "log" / "reference.log",
                   cwd=REFERENCE, extra_env={"REFERENCE_REDIS_DB": str(REFERENCE_REDIS_DB),
                                             "SANIC_WORKERS": str(rasa_workers())})


def summary(phases: List[Phase]) -> Dict[str, object]:
    latencies = [x for p in phases for x in p.latencies_ms]
    seconds = sum(p.seconds for p in phases)
    return {"turns": len(latencies), "turns_per_s": len(latencies) / seconds if seconds else 0.0,
            "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95),
            "p99_ms": percentile(latencies, 0.99), "errors": sum(p.errors for p in phases),
            "cut": sum(p.cut for p in phases), "conversations": sum(p.conversations for p in phases),
            "malformed_sent": sum(p.malformed_sent for p in phases),
            "malformed_mishandled": sum(p.malformed_mishandled for p in phases),
            "error_samples": [s for p in phases for s in p.error_samples][:5],
            "p95_ms_by_turn": {step + 1: percentile([x for p in phases for x in p.by_step.get(step, [])], 0.95)
                               for step in range(max((len(p.by_step) for p in phases), default=0))},
            "cpu_percent": {k: statistics.mean(p.cpu_percent[k] for p in phases) for k in phases[0].cpu_percent},
            "rss_mb": {k: max(p.rss_mb[k] for p in phases) for k in phases[0].rss_mb}}


def write_report(results: Dict[int, Dict[str, Dict[str, object]]], phases: List[Phase], args: argparse.Namespace,
                 startup: Dict[str, float], idle_rss: Dict[str, float]) -> List[str]:
    REPORTS.mkdir(exist_ok=True)
    counts = sorted(results)
    fig, axes = plt.subplots(1, len(counts), figsize=(6 * len(counts), 4), squeeze=False)
    for ax, n in zip(axes[0], counts):
        for bot, colour in (("ours", "tab:blue"), ("bare", "tab:orange")):
            values = [x for p in phases if p.residents == n and p.bot == bot for x in p.latencies_ms]
            if values:
                ax.hist(values, bins=60, range=(0, percentile(values, 0.995) * 1.1 or 1), alpha=0.6,
                        label=f"{bot} p95 {percentile(values, 0.95):.0f} ms", color=colour)
        ax.set_xlabel("turn latency (ms)")
        ax.set_ylabel("turns")
        ax.set_title(f"{n} concurrent residents")
        ax.legend()
    fig.tight_layout()
    fig.savefig(REPORTS / "load_latency.png")
    lines = ["# Load: ours beside the reference bare Rasa bot", "",
             f"`python -m bench.load {' '.join(args.argv)}` — {os.cpu_count()} CPU cores, "
             f"{args.workers} Sanic worker(s) each, {args.seconds:.0f} s per phase, {args.rounds} alternating "
             f"round(s) ({args.pause:.0f} s apart), six-turn conversations with fresh sender ids.", "",
             "| residents | bot | turns/s | p50 ms | p95 ms | p99 ms | errors | cut by a killed worker | "
             "malformed sent / mishandled | CPU % per process | RSS MB per process |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for n in counts:
        for bot in ("ours", "bare"):
            r = results[n][bot]
            cpu = ", ".join(f"{k} {v:.0f}" for k, v in r["cpu_percent"].items())
            rss = ", ".join(f"{k} {v:.0f}" for k, v in r["rss_mb"].items())
            lines.append(f"| {n} | {bot} | {r['turns_per_s']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | "
                         f"{r['p99_ms']:.0f} | {r['errors']} | {r['cut']} | {r['malformed_sent']} / "
                         f"{r['malformed_mishandled']} | {cpu} | {rss} |")
        ratio = results[n]["ours"]["turns_per_s"] / max(results[n]["bare"]["turns_per_s"], 1e-9)
        lines.append(f"| {n} | **ours/bare** | **{ratio:.2f}×** | | | | | | | | |")
    lines += ["", "p95 ms by turn of the conversation (1 = greeting): " + "; ".join(
        f"{n} {bot}: " + ", ".join(f"{k} {v:.0f}" for k, v in results[n][bot]["p95_ms_by_turn"].items())
        for n in counts for bot in ("ours", "bare"))]
    lines += ["", "Ready after start (s): " + ", ".join(f"{k} {v:.1f}" for k, v in startup.items()),
              "", "Memory at rest after start, all our services together: "
              f"{sum(v for k, v in idle_rss.items() if k != 'reference'):.0f} MB ("
              + ", ".join(f"{k} {v:.0f}" for k, v in idle_rss.items()) + ")", ""]
    samples = [(n, bot, s) for n in counts for bot in ("ours", "bare") for s in results[n][bot]["error_samples"]]
    if samples:
        lines += ["Error samples:", *(f"- {n} {bot}: {s}" for n, bot, s in samples), ""]
    lines += ["![latency](load_latency.png)", ""]
    (REPORTS / "load.md").write_text("\n".join(lines), encoding="utf-8")
    (REPORTS / "load.json").write_text(json.dumps({"results": results, "startup_s": startup, "idle_rss_mb": idle_rss},
                                                  ensure_ascii=False, indent=1), encoding="utf-8")
    return lines


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", default="32,128", help="comma-separated concurrent resident counts")
    parser.add_argument("--seconds", type=float, default=40.0, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=2, help="ours/bare alternations per resident count")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds before each bot's first phase")
    parser.add_argument("--malformed-every", type=int, default=0)
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument("--only", choices=["ours", "bare"], help="drive one bot only")
    parser.add_argument("--profile", action="store_true", help="py-spy our Rasa server in an unmeasured phase")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between phases (the last phase's "
                                                                 "queued turns finish first)")
    parser.add_argument("--profile-label", default="this commit", help="what the profile is of (in its report)")
    args = parser.parse_args(argv)
    args.argv = argv if argv is not None else sys.argv[1:]
    args.workers = rasa_workers()
    counts = [int(x) for x in args.residents.split(",") if x.strip()]
    bots = [args.only] if args.only else ["ours", "bare"]
    if "bare" in bots:
        train_reference()
    var = Path(tempfile.mkdtemp(prefix="intake-load-"))
    stack = Stack(ports=Ports(26379, 25055, 25005, 28080), var_dir=var, db_url=f"sqlite:///{var / 'tickets.db'}")
    startup: Dict[str, float] = {}
    phases: List[Phase] = []
    try:
        urls = {"ours": f"http://127.0.0.1:{stack.ports.rasa}/webhooks/rest/webhook",
                "bare": f"http://127.0.0.1:{REFERENCE_PORT}/webhooks/rest/webhook"}
        scripts = {"ours": OURS, "bare": BARE}
        names = ["redis", *(["actions", "app", "rasa"] if "ours" in bots else [])]
        for name in names:
            t = time.perf_counter()
            stack.start(name)
            startup[name] = time.perf_counter() - t
            if name == "rasa":
                first_answer(urls["ours"], OURS[0])
                startup["first answer (Rasa start → first reply)"] = time.perf_counter() - t
        if "bare" in bots:
            t = time.perf_counter()
            stack.launch(reference_service(stack))
            startup["reference"] = time.perf_counter() - t
        pids = {name: s.process.pid for name, s in stack.services.items() if s.process}
        meter = ProcessMeter(pids)
        idle_rss = meter.rss_mb()
        for bot in bots:
            asyncio.run(drive(urls[bot], scripts[bot], Phase(bot, 8), args.warmup, 0))
        if args.profile and "ours" in bots:
            profiler = profile_rasa(pids["rasa"], args.seconds)
            asyncio.run(drive(urls["ours"], OURS, Phase("ours", counts[0]), args.seconds, 0))
            profiler.wait(timeout=60)
            print("\n".join(summarise_profile(args.profile_label)))
        for n in counts:
            for _ in range(args.rounds):
                for bot in bots:
                    phase = Phase(bot, n)
                    kill = None
                    if args.kill_worker and bot == "ours":
                        workers = meter.roots["rasa"].children()
                        kill = workers[-1].pid if len(workers) > 1 else None
                    time.sleep(args.pause)
                    meter.begin()
                    asyncio.run(drive(urls[bot], scripts[bot], phase, args.seconds, args.malformed_every, kill))
                    phase.cpu_percent = meter.cpu_percent(phase.seconds)
                    phase.rss_mb = meter.rss_mb()
                    phases.append(phase)
                    if bot == "ours" and (args.kill_worker or args.malformed_every):
                        print(check_consistency(phase, f"http://127.0.0.1:{stack.ports.rasa}", stack.db_url))
                    print(f"{n:4d} residents  {bot:4s}  {len(phase.latencies_ms) / phase.seconds:6.1f} turns/s  "
                          f"p95 {percentile(phase.latencies_ms, 0.95):6.0f} ms  errors {phase.errors}  cut {phase.cut}")
    finally:
        stack.stop_all()
    results = {n: {bot: summary([p for p in phases if p.residents == n and p.bot == bot]) for bot in bots}
               for n in counts}
    if len(bots) == 2:
        print("\n".join(write_report(results, phases, args, startup, idle_rss)))
    else:
        print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

"""Benchmark: scripted resident conversations through the real stack, judged by the tickets
they leave (or the handoff they must cause).

    python -m bench.conversations [--sets tune,holdout,holdout2] [--rasa-url URL --app-url URL]

Each conversation in bench/data/conversations.yml (written before tuning),
bench/data/conversations_holdout.yml (kept aside, written after; its failures were read once) and
bench/data/conversations_holdout2.yml (kept aside, written last by another method: the headline) is played
turn by turn through Rasa's REST channel with a fresh sender; the tickets it produced are read
back through the Open311 API (after any amendment) and compared with what it must produce.
Prints the pass rate per set and style and every failure, and writes
bench/reports/conversations.md, .json and a bar chart.
"""
from __future__ import annotations

import argparse
import json
import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import requests  # noqa: E402
import yaml  # noqa: E402

from bench.agent import agent_urls, operator_key  # noqa: E402

DATA = Path(__file__).with_name("data")
REPORTS = Path(__file__).with_name("reports")
SETS = {"tune": DATA / "conversations.yml", "holdout": DATA / "conversations_holdout.yml",
        "holdout2": DATA / "conversations_holdout2.yml"}
FILED = re.compile(r"(?:工单号：|已更新工单 )(20\d{12})")
PLACE_FIELDS = ("estate", "building", "unit", "room", "road", "community", "street", "poi")


@dataclass
class Outcome:
    name: str
    style: str
    passed: bool
    problems: List[str] = field(default_factory=list)
    transcript: List[str] = field(default_factory=list)


def play(rasa_url: str, turns: List[str]) -> tuple[str, List[str], List[str]]:
    """Say each turn; return the sender, the transcript and the ticket ids in filing order."""
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    transcript: List[str] = []
    ids: List[str] = []
    for text in turns:
        reply = requests.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                              timeout=120).json()
        transcript.append(f"居民：{text}")
        for message in reply:
            answer = message.get("text") or ""
            transcript.append(f"机器人：{answer}")
            ids += [i for i in FILED.findall(answer) if i not in ids]
    return sender, transcript, ids


def compare(expected: Dict[str, Any], ticket: Dict[str, Any], number: int) -> List[str]:
    problems = []
    category = ticket.get("category") or {}
    for level in ("level2", "level3"):
        if level in expected and category.get(level) not in expected[level]:
            problems.append(f"ticket {number}: {level} {category.get(level)!r}, expected one of {expected[level]}")
    for name in PLACE_FIELDS:
        if name in expected and (ticket.get("location") or {}).get(name) != expected[name]:
            problems.append(f"ticket {number}: {name} {(ticket.get('location') or {}).get(name)!r}, "
                            f"expected {expected[name]!r}")
    allowed = expected.get("urgency")
    if allowed and ticket.get("urgency") not in (allowed if isinstance(allowed, list) else [allowed]):
        problems.append(f"ticket {number}: urgency {ticket.get('urgency')!r}, expected {allowed!r}")
    return problems


def judge(conversation: Dict[str, Any], rasa_url: str, app_url: str) -> Outcome:
    turns = [str(t) for t in conversation["turns"]]
    _sender, transcript, ids = play(rasa_url, turns)
    expect = conversation.get("expect") or {}
    tickets = [requests.get(f"{app_url}/open311/v2/requests/{i}.json", timeout=10).json()[0] for i in ids]
    wanted = expect.get("tickets") or []
    problems = []
    if len(tickets) != len(wanted):
        problems.append(f"{len(tickets)} tickets, expected {len(wanted)}")
    for number, (want, ticket) in enumerate(zip(wanted, tickets), start=1):
        problems += compare(want, ticket, number)
    if expect.get("handoff"):
        queue = requests.get(f"{app_url}/api/handoffs", headers=operator_key(), params={"status": "all", "limit": 500}, timeout=10).json()
        if not any(entry["transcript"] and entry["transcript"][0]["text"] == turns[0] for entry in queue):
            problems.append("no handoff to a person")
    return Outcome(conversation["name"], conversation["style"], not problems, problems, transcript)


def rates(outcomes: List[Outcome]) -> Dict[str, Any]:
    by_style: Dict[str, List[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_style[outcome.style].append(outcome)
    return {"passed": sum(o.passed for o in outcomes), "total": len(outcomes),
            "styles": {s: {"passed": sum(o.passed for o in group), "total": len(group)}
                       for s, group in sorted(by_style.items())}}


#: what the kept-aside sets said at their first runs: the report keeps it whatever the run shows
HISTORY = (
    "**Kept-aside history.** holdout (20, written after the tune set): first run 14/20 (70 %); its failures "
    "were read, so it is no longer unseen. holdout2 (22, written 2026-11-29 by another method — one resident "
    "persona per conversation — before that session changed anything): **first run 16/22 (73 %), the "
    "headline**. Its failures then: a self-contradicting correction, two numbered problems at two places, a "
    "phone number offered at the summary and 「提交」 read as cancel, a building repaired mid-sentence, 「重新说」 "
    "with the new place read as cancel, dust read as 危险化学品污染; each led to a general fix, so the figure "
    "below is no longer unseen. The holdout's four failures (2026-11-30): three scripts stop a turn early for "
    "today's flow (a follow-up question — since when, a phone number — or a summary left to confirm) and one "
    "answers the summary with 「快点处理」, which is not read as a yes.")


def write_report(results: Dict[str, List[Outcome]], command: str, note: str = HISTORY) -> None:
    REPORTS.mkdir(exist_ok=True)
    summary = {name: rates(outcomes) for name, outcomes in results.items()}
    lines = ["# Conversation benchmark", "", f"Command: `{command}`", "",
             "Scripted conversations through the real stack (REST channel, Redis, Rasa, action server); "
             "a conversation passes when it leaves exactly the expected tickets (category, place fields, "
             "urgency) or the expected handoff. The kept-aside set is the headline.", "",
             *([note, ""] if note else []),
             "| set | passed | by style |", "|---|---|---|"]
    for name, figures in summary.items():
        styles = ", ".join(f"{s} {v['passed']}/{v['total']}" for s, v in figures["styles"].items())
        lines.append(f"| {name} | {figures['passed']}/{figures['total']} "
                     f"({figures['passed'] / max(figures['total'], 1):.0%}) | {styles} |")
    lines += ["", "![pass rate](conversations.png)", "", "## Failures", ""]
    for name, outcomes in results.items():
        for outcome in (o for o in outcomes if not o.passed):
            lines += [f"### {name}: {outcome.name} ({outcome.style})", "",
                      *[f"- {p}" for p in outcome.problems], "", "```", *outcome.transcript, "```", ""]
    (REPORTS / "conversations.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (REPORTS / "conversations.json").write_text(json.dumps(
        {"command": command, "summary": summary,
         "outcomes": {n: [o.__dict__ for o in outs] for n, outs in results.items()}},
        ensure_ascii=False, indent=1), encoding="utf-8")
    styles = sorted({s for figures in summary.values() for s in figures["styles"]})
    fig, ax = plt.subplots(figsize=(7, 3.5))
    width = 0.8 / max(len(summary), 1)
    for offset, (name, figures) in enumerate(summary.items()):
        values = [figures["styles"].get(s, {}).get("passed", 0) / max(figures["styles"].get(s, {}).get("total", 0), 1)
                  for s in styles]
        ax.bar([i + offset * width for i in range(len(styles))], values, width, label=name)
    ax.set_xticks([i + width * (len(summary) - 1) / 2 for i in range(len(styles))], styles)
    ax.set_ylim(0, 1)
    ax.set_ylabel("conversations passed")
    ax.legend()
    fig.tight_layout()
    fig.savefig(REPORTS / "conversations.png", dpi=120)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="tune,holdout,holdout2")
    parser.add_argument("--rasa-url", help="a running agent's Rasa server (else one is started on bench ports)")
    parser.add_argument("--app-url", help="a running agent's app server")
    parser.add_argument("--note", default=HISTORY, help="a line for the report (default: the kept-aside sets' history)")
    args = parser.parse_args(argv)
    with agent_urls(args.rasa_url, args.app_url, "conversations") as (rasa_url, app_url):
        results: Dict[str, List[Outcome]] = {}
        started = time.perf_counter()
        for name in [s.strip() for s in args.sets.split(",") if s.strip()]:
            conversations = yaml.safe_load(SETS[name].read_text(encoding="utf-8"))["conversations"]
            results[name] = [judge(c, rasa_url, app_url) for c in conversations]
            figures = rates(results[name])
            print(f"{name}: {figures['passed']}/{figures['total']} conversations passed "
                  + ", ".join(f"{s} {v['passed']}/{v['total']}" for s, v in figures["styles"].items()))
            for outcome in (o for o in results[name] if not o.passed):
                print(f"  ✗ {outcome.name}: {'; '.join(outcome.problems)}")
        print(f"{time.perf_counter() - started:.0f} s")
        write_report(results, "python -m bench.conversations", args.note)

if __name__ == "__main__":
    main()

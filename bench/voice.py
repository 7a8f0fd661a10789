"""Benchmark: hotline calls as ASR transcripts against the same reports typed, through the real
stack — is the voice channel's category and place as good as typed text's?

    python -m bench.voice [--sets tune,holdout] [--rasa-url URL --app-url URL]

Each call of bench/data/voice_calls.yml (written before the voice channel was tuned) and
voice_calls_holdout.yml (kept aside, written after, the headline) is posted whole to
/webhooks/voice/webhook with `final: false` (read, nothing filed); its typed twin goes to
/api/analyze. Every expected problem is matched to the issue with an acceptable category (else the
issue in the same position) and scored on category (level 2) and place (every expected field).
Prints both, per set, and writes bench/reports/voice.md, .json and a bar chart.
"""
from __future__ import annotations

import argparse
import json
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import requests  # noqa: E402
import yaml  # noqa: E402

from bench.agent import agent_urls  # noqa: E402

DATA = Path(__file__).with_name("data")
REPORTS = Path(__file__).with_name("reports")
#: what the kept-aside calls said before anything was changed after reading them
KEPT_ASIDE_HISTORY = ("**Kept-aside history.** First run (issue 16): category voice 0.818 / typed 0.727, place voice "
                      "0.909 / typed 0.955, both 0.727 / 0.682 — the headline. A caller repairing a building inside "
                      "a place answer (「六栋 不对 是七栋」), seen there, was fixed later with the chat's repair "
                      "(issue 13), so the place figure below is no longer unseen.")
SETS = {"tune": DATA / "voice_calls.yml", "holdout": DATA / "voice_calls_holdout.yml"}
METRICS = ("category", "place", "both")


def segments_of(turns: List[str]) -> List[Dict[str, Any]]:
    out = []
    for n, turn in enumerate(turns):
        speaker, _, text = turn.partition(":")
        out.append({"speaker": {"C": "caller", "A": "agent"}[speaker.strip()], "text": text.strip(),
                    "start": n * 3.0, "end": n * 3.0 + 2.5})
    return out


def voice_issues(rasa_url: str, turns: List[str]) -> List[Dict[str, Any]]:
    body = {"call_id": f"bench-{uuid.uuid4().hex[:12]}", "caller": "13800000000", "segments": segments_of(turns),
            "final": False}
    answer = requests.post(f"{rasa_url}/webhooks/voice/webhook", json=body, timeout=120)
    answer.raise_for_status()
    return [{"level2": i["category"].get("level2"), "location": i["location"]} for i in answer.json()["issues"]]


def typed_issues(app_url: str, text: str) -> List[Dict[str, Any]]:
    answer = requests.post(f"{app_url}/api/analyze", json={"text": text}, timeout=120)
    answer.raise_for_status()
    return [{"level2": i["category"].get("level2"), "location": i["location"]} for i in answer.json()["issues"]]


def score(expected: List[Dict[str, Any]], issues: List[Dict[str, Any]]) -> List[Dict[str, bool]]:
    """Per expected problem: category right, place right, both."""
    unused = list(range(len(issues)))
    results = []
    for position, want in enumerate(expected):
        match = next((i for i in unused if issues[i]["level2"] in want["level2"]), None)
        if match is None and unused:
            match = position if position in unused else unused[0]
        if match is None:
            results.append({"category": False, "place": False, "both": False})
            continue
        unused.remove(match)
        got = issues[match]
        category = got["level2"] in want["level2"]
        place = all(str(got["location"].get(k) or "") == str(v) for k, v in want.items() if k != "level2")
        results.append({"category": category, "place": place, "both": category and place})
    return results


def rates(rows: List[Dict[str, bool]]) -> Dict[str, float]:
    return {m: sum(r[m] for r in rows) / max(len(rows), 1) for m in METRICS}


def run_set(name: str, rasa_url: str, app_url: str) -> Dict[str, Any]:
    calls = yaml.safe_load(SETS[name].read_text(encoding="utf-8"))["calls"]
    voice_rows, typed_rows, misses = [], [], []
    for call in calls:
        voice = score(call["expect"], voice_issues(rasa_url, call["turns"]))
        typed = score(call["expect"], typed_issues(app_url, call["typed"]))
        voice_rows += voice
        typed_rows += typed
        if not all(r["both"] for r in voice):
            misses.append({"call": call["name"], "voice": voice, "typed": typed})
    return {"calls": len(calls), "problems": len(voice_rows), "voice": rates(voice_rows),
            "typed": rates(typed_rows), "voice_misses": misses}


def write_report(results: Dict[str, Dict[str, Any]], command: str) -> None:
    REPORTS.mkdir(exist_ok=True)
    lines = ["# Voice benchmark: hotline transcripts against the same reports typed", "", f"Command: `{command}`", "",
             "Calls posted whole to the voice channel (`final: false`, nothing filed); the typed twins to "
             "/api/analyze. A problem's category is right when its level 2 is one of the acceptable ones, its "
             "place when every expected field matches. The kept-aside set is the headline.", "",
             KEPT_ASIDE_HISTORY, "",
             "| set | calls | problems | voice category | typed category | voice place | typed place | "
             "voice both | typed both |", "|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        lines.append(f"| {name} | {r['calls']} | {r['problems']} | " + " | ".join(
            f"{r[side][m]:.3f}" for m in METRICS for side in ("voice", "typed")) + " |")
    lines += ["", "![voice against typed](voice.png)", "", "## Calls the voice channel got wrong", ""]
    for name, r in results.items():
        for miss in r["voice_misses"]:
            lines.append(f"- {name}: {miss['call']} — voice {miss['voice']}, typed {miss['typed']}")
    (REPORTS / "voice.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (REPORTS / "voice.json").write_text(json.dumps({"command": command, "results": results}, ensure_ascii=False,
                                                   indent=1), encoding="utf-8")
    fig, ax = plt.subplots(figsize=(8, 3.5))
    labels = [f"{name} {m}" for name in results for m in METRICS]
    x = range(len(labels))
    ax.bar([i - 0.2 for i in x], [results[n]["voice"][m] for n in results for m in METRICS], 0.4, label="voice")
    ax.bar([i + 0.2 for i in x], [results[n]["typed"][m] for n in results for m in METRICS], 0.4, label="typed")
    ax.set_xticks(list(x), labels, rotation=20, fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of problems right")
    ax.legend()
    fig.tight_layout()
    fig.savefig(REPORTS / "voice.png", dpi=120)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="tune,holdout")
    parser.add_argument("--rasa-url", help="a running agent's Rasa server (else one is started on bench ports)")
    parser.add_argument("--app-url", help="a running agent's app server")
    args = parser.parse_args(argv)
    with agent_urls(args.rasa_url, args.app_url, "voice") as (rasa_url, app_url):
        started = time.perf_counter()
        results = {}
        for name in [s.strip() for s in args.sets.split(",") if s.strip()]:
            results[name] = r = run_set(name, rasa_url, app_url)
            print(f"{name}: {r['calls']} calls, {r['problems']} problems — " + ", ".join(
                f"{m} voice {r['voice'][m]:.3f} / typed {r['typed'][m]:.3f}" for m in METRICS))
            for miss in r["voice_misses"]:
                print(f"  ✗ {miss['call']}: voice {miss['voice']} typed {miss['typed']}")
        print(f"{time.perf_counter() - started:.0f} s")
        write_report(results, "python -m bench.voice")

if __name__ == "__main__":
    main()

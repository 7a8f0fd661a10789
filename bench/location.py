"""Benchmark: location extraction and placement on the team's labelled messages.

    python -m bench.location [--data tests/data/locations.yml] [--runs 20]

Field-level precision/recall/F1 (a field counts when it equals the label; an extra field is a
false positive, a missing one a false negative), placement status accuracy, extraction time per
message; the address library jionlp (`parse_location`) is measured beside on the same messages
for the fields it fills. Writes bench/reports/location.md, location.json and a per-field chart.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import yaml
from rich.progress import track

from bench.stats import percentile
from nlu.locate import locate
from nlu.normalize import normalize_text

REPORTS = Path(__file__).with_name("reports")
DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "locations.yml"
FIELDS = ("province", "city", "district", "street", "community", "estate", "road", "house_number", "poi",
          "building", "unit", "room")
AREA = {"province": "广东省", "city": "深圳市", "district": "盐田区"}


@dataclass
class Case:
    style: str
    text: str
    status: str
    expected: Dict[str, str]


def load_cases(path: Path = DATA) -> List[Case]:
    cases = []
    for i, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["items"]):
        style, text, status, fields = item
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise ValueError(f"{path}: item {i} ({text}): unknown fields {sorted(unknown)}")
        expected = {k: str(v) for k, v in fields.items()}
        if status in ("placed", "choose", "unknown"):
            expected = {**AREA, **expected}
        cases.append(Case(style, str(text), status, expected))
    return cases


def ours(text: str) -> Tuple[Dict[str, str], str]:
    located = locate(normalize_text(text))
    found = {k: v for k, v in located.address.to_dict().items() if k in FIELDS and v}
    status = located.placement.status if located.found else "none"
    return found, status


def jionlp_parser() -> Optional[Callable[[str], Tuple[Dict[str, str], str]]]:
    try:
        import jionlp
    except ImportError:
        return None

    def parse(text: str) -> Tuple[Dict[str, str], str]:
        result = jionlp.parse_location(normalize_text(text))
        found = {"province": result.get("province"), "city": result.get("city"), "district": result.get("county")}
        return {k: v for k, v in found.items() if v}, ""
    return parse


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: Optional[str], got: Optional[str]) -> None:
        if got and got == expected:
            self.tp += 1
            return
        if got:
            self.fp += 1
        if expected:
            self.fn += 1

    def prf(self) -> Tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(cases: List[Case], parser: Callable[[str], Tuple[Dict[str, str], str]], name: str,
             fields=FIELDS) -> Dict[str, object]:
    per_field = {f: Score() for f in fields}
    total = Score()
    statuses, errors, times = 0, [], []
    for case in track(cases, description=f"{name}: {len(cases)} messages"):
        started = time.perf_counter()
        found, status = parser(case.text)
        times.append((time.perf_counter() - started) * 1000)
        for f in fields:
            per_field[f].add(case.expected.get(f), found.get(f))
            total.add(case.expected.get(f), found.get(f))
        statuses += status == case.status
        wrong = {f: (case.expected.get(f), found.get(f)) for f in fields if case.expected.get(f) != found.get(f)}
        if wrong or status != case.status:
            errors.append({"text": case.text, "status": [case.status, status], "fields": wrong})
    p, r, f1 = total.prf()
    has_status = any(status for _, status in [parser(cases[0].text)])
    return {"name": name, "precision": p, "recall": r, "f1": f1,
            "status_accuracy": statuses / len(cases) if has_status else None,
            "per_field": {f: dict(zip(("precision", "recall", "f1"), s.prf())) for f, s in per_field.items()},
            "ms_mean": statistics.mean(times), "ms_p95": percentile(times, 0.95),
            "errors": errors}


def timing(cases: List[Case], runs: int) -> Dict[str, float]:
    """Extraction time per message after warm-up, over ``runs`` passes."""
    texts = [normalize_text(c.text) for c in cases]
    for t in texts:
        locate(t)
    samples = []
    for _ in range(runs):
        for t in texts:
            started = time.perf_counter()
            locate(t)
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"ms_mean": statistics.mean(samples), "ms_p50": samples[len(samples) // 2],
            "ms_p95": percentile(samples, 0.95), "ms_max": samples[-1]}


def chart(results: List[Dict[str, object]], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(10, 4))
    width = 0.8 / len(results)
    for i, result in enumerate(results):
        values = [result["per_field"].get(f, {}).get("f1", 0.0) for f in FIELDS]
        ax.bar([x + i * width for x in range(len(FIELDS))], values, width, label=result["name"])
    ax.set_xticks([x + width * (len(results) - 1) / 2 for x in range(len(FIELDS))], FIELDS, rotation=30)
    ax.set_ylabel("F1")
    ax.set_ylim(0, 1.05)
    ax.legend()
    ax.set_title("Location fields: F1 per field")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--report", default="location", help="report file name under bench/reports/")
    args = parser.parse_args()
    cases = load_cases(args.data)
    results = [evaluate(cases, ours, "ours (extractor + gazetteer)")]
    library = jionlp_parser()
    if library:
        results.append(evaluate(cases, library, "jionlp.parse_location alone"))
    speed = timing(cases, args.runs)
    REPORTS.mkdir(exist_ok=True)
    chart(results, REPORTS / f"{args.report}_fields.png")
    (REPORTS / f"{args.report}.json").write_text(json.dumps({"results": results, "timing": speed}, ensure_ascii=False,
                                                      indent=1), encoding="utf-8")
    by_style = {s: sum(c.style == s for c in cases) for s in ("typed", "wechat", "asr")}
    lines = [f"# Location extraction on {len(cases)} labelled messages of {args.data.name} ({by_style})", "",
             "| parser | precision | recall | field F1 | placement status accuracy | ms/message |",
             "|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['name']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
                     f"{'n/a' if r['status_accuracy'] is None else format(r['status_accuracy'], '.3f')} | "
                     f"{r['ms_mean']:.2f} |")
    lines += ["", "Per field F1: " + ", ".join(f"{f} {results[0]['per_field'][f]['f1']:.2f}" for f in FIELDS),
              "", f"Extraction time (ours, {args.runs} passes, warm): mean {speed['ms_mean']:.3f} ms, "
                  f"p50 {speed['ms_p50']:.3f} ms, p95 {speed['ms_p95']:.3f} ms, max {speed['ms_max']:.2f} ms",
              "", f"Errors of ours: {len(results[0]['errors'])} messages (listed in {args.report}.json)",
              "", f"![per-field F1]({args.report}_fields.png)"]
    (REPORTS / f"{args.report}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

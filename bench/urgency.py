"""Benchmark: urgency grading on the team's labelled messages.

    python -m bench.urgency [--data tests/data/urgency.yml]

Accuracy, per-grade precision/recall (特急 recall must be 1.0: a fire never waits in a queue),
whether the expected reason was named, time per message; graded from the text alone (the rules
in settings/urgency.yml) and combined with the category default the shipped classifier gives,
when a trained model is present. Writes bench/reports/urgency.md, urgency.json and a confusion
matrix PNG.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import yaml

from classifiers.evaluate import ModelResult, confusion_png
from nlu.normalize import normalize_text
from nlu.urgency import Urgency, assess_urgency

REPORTS = Path(__file__).with_name("reports")
DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "urgency.yml"


def load_cases(path: Path = DATA) -> List[Tuple[str, str, str, Optional[str]]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    for i, item in enumerate(items):
        if len(item) != 4 or item[2] not in ("特急", "紧急", "一般"):
            raise ValueError(f"{path}: item {i} must be [style, text, 特急|紧急|一般, reason or null]: {item}")
    return [tuple(item) for item in items]


def run(cases, grade: Callable[[str], Urgency], name: str) -> Tuple[ModelResult, Dict[str, object]]:
    result = ModelResult(name)
    reasons_named, errors = 0, []
    started = time.perf_counter()
    for style, text, level, reason in cases:
        urgency = grade(normalize_text(text))
        result.gold.append(level)
        result.predicted.append(urgency.level)
        named = reason is None or reason in urgency.reasons
        reasons_named += named
        if urgency.level != level or not named:
            errors.append({"text": text, "expected": [level, reason], "got": urgency.to_dict()})
    result.infer_seconds = time.perf_counter() - started
    summary = result.summary()
    top = summary["per_class"].get("特急", {})
    summary.update(top_recall=top.get("recall", 0.0), reason_named=reasons_named / len(cases), errors=errors)
    return result, summary


def with_category_default() -> Optional[Callable[[str], Urgency]]:
    """Text rules raised to the default grade of the category the shipped model predicts."""
    try:
        from classifiers.problem_type import default_classifier
        classifier = default_classifier()
        classifier.classify("路灯坏了")
    except (OSError, FileNotFoundError, RuntimeError, ValueError):
        return None
    return lambda text: assess_urgency(text, classifier.classify(text).category.default_urgency)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    cases = load_cases(args.data)
    runs = [run(cases, assess_urgency, "text rules (settings/urgency.yml)")]
    combined = with_category_default()
    if combined:
        runs.append(run(cases, combined, "rules + category default (shipped classifier)"))
    REPORTS.mkdir(exist_ok=True)
    confusion_png(runs[0][0], REPORTS / "urgency_confusion.png", "urgency: text rules")
    summaries = [s for _, s in runs]
    (REPORTS / "urgency.json").write_text(json.dumps(summaries, ensure_ascii=False, indent=1), encoding="utf-8")
    counts = {lv: sum(c[2] == lv for c in cases) for lv in ("特急", "紧急", "一般")}
    lines = [f"# Urgency on {len(cases)} labelled messages {counts}", "",
             "| grader | accuracy | 特急 recall | 紧急 recall | 一般 recall | reason named | ms/message |",
             "|---|---|---|---|---|---|---|"]
    for s in summaries:
        rec = {lv: s["per_class"].get(lv, {}).get("recall", 0.0) for lv in ("特急", "紧急", "一般")}
        lines.append(f"| {s['model']} | {s['accuracy']:.3f} | {rec['特急']:.3f} | {rec['紧急']:.3f} | "
                     f"{rec['一般']:.3f} | {s['reason_named']:.3f} | {s['inference_ms_per_message']:.3f} |")
    for s in summaries:
        lines += ["", f"Errors of {s['model']}:"] + [f"- {e['text']}: expected {e['expected'][0]}, got "
                                                      f"{e['got']['level']} {e['got']['reasons']}" for e in s["errors"]]
    lines += ["", "![confusion matrix](urgency_confusion.png)"]
    (REPORTS / "urgency.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

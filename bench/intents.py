"""Benchmark: intent classification of whole Rasa models on sets they were not trained on.

    python -m bench.intents [--model models/dialogue/X.tar.gz --name ours] [--model B.tar.gz --name before]

Each model is loaded as the Rasa server loads it (every pipeline component, FallbackClassifier
included) and parses tests/data/intents_eval.yml (written by us before the turn path changed; its
errors may be read), tests/data/intents_holdout.yml (written after it, in hotline-transcript style;
errors read once, issue 13) and tests/data/intents_holdout2.yml (chat/WeChat style, all twelve
intents of the conversation, written last and never tuned on: the headline). An `nlu_fallback`
answer counts as wrong. Prints and writes bench/reports/intents.md (+ intents.json,
intents_holdout_f1.png): macro-F1, accuracy, fallback rate and time per message for each model,
per-intent F1 on the headline set.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from common.paths import PROJECT_ROOT  # noqa: E402
from classifiers.dialogue_versions import DIALOGUE_DIR as DIALOGUE_MODELS  # noqa: E402
from classifiers.intent_eval import parse_all, read_intent_set  # noqa: E402

REPORTS = Path(__file__).with_name("reports")
SETS = {"eval": PROJECT_ROOT / "tests/data/intents_eval.yml",
        "holdout2 (headline)": PROJECT_ROOT / "tests/data/intents_holdout2.yml",
        "holdout": PROJECT_ROOT / "tests/data/intents_holdout.yml"}


def latest_model() -> Path:
    archives = sorted(DIALOGUE_MODELS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not archives:
        raise SystemExit(f"no Rasa model in {DIALOGUE_MODELS}; run `intake train`")
    return archives[-1]


def evaluate(model: Path) -> Dict[str, object]:
    sets = {name: read_intent_set(path) for name, path in SETS.items()}
    texts = [t for rows in sets.values() for t, _ in rows]
    predicted, times, load_s = asyncio.run(parse_all(model, texts))
    out: Dict[str, object] = {"model": str(model), "load_s": round(load_s, 1),
                              "ms_per_message": round(statistics.median(times), 2)}
    offset = 0
    for name, rows in sets.items():
        truth = [intent for _, intent in rows]
        guess = predicted[offset:offset + len(rows)]
        offset += len(rows)
        labels = sorted(set(truth))
        out[name] = {"n": len(rows), "macro_f1": round(f1_score(truth, guess, labels=labels, average="macro"), 3),
                     "accuracy": round(accuracy_score(truth, guess), 3),
                     "fallback_rate": round(sum(g == "nlu_fallback" for g in guess) / len(guess), 3),
                     "per_intent_f1": dict(zip(labels, (round(x, 3) for x in f1_score(truth, guess, labels=labels,
                                                                                        average=None)))),
                     "errors": [f"{t} → {g} (is {y})" for (t, y), g in zip(rows, guess) if g != y]}
    return out


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", type=Path, help="a Rasa model archive (repeatable)")
    parser.add_argument("--name", action="append", help="a name for each --model")
    args = parser.parse_args(argv)
    models = args.model or [latest_model()]
    names = args.name or [m.name for m in models]
    if len(names) != len(models):
        raise SystemExit("give one --name per --model")
    results = {name: evaluate(model) for name, model in zip(names, models)}
    REPORTS.mkdir(exist_ok=True)
    lines = ["# Intent classification on sets the models were not trained on", "",
             f"`python -m bench.intents {' '.join(argv or sys.argv[1:])}`; every pipeline "
             "component runs as in the server (FallbackClassifier included; a fallback counts as wrong).", "",
             "| model | set | n | macro-F1 | accuracy | fallback rate | ms/message (median, whole pipeline) | "
             "model load s |", "|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        for set_name in SETS:
            s = r[set_name]
            lines.append(f"| {name} | {set_name} | {s['n']} | **{s['macro_f1']:.3f}** | {s['accuracy']:.3f} | "
                         f"{s['fallback_rate']:.3f} | {r['ms_per_message']:.1f} | {r['load_s']:.0f} |")
    holdout = list(SETS)[1]
    intents = sorted(next(iter(results.values()))[holdout]["per_intent_f1"])
    lines += ["", f"Per-intent F1 on the {holdout} set:", "",
              "| intent | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
    for intent in intents:
        lines.append(f"| {intent} | " + " | ".join(f"{r[holdout]['per_intent_f1'][intent]:.3f}"
                                                    for r in results.values()) + " |")
    lines += ["", "![per-intent F1](intents_holdout_f1.png)", ""]
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / len(results)
    for k, (name, r) in enumerate(results.items()):
        ax.bar([i + k * width for i in range(len(intents))], [r[holdout]["per_intent_f1"][x] for x in intents],
               width, label=f"{name} (macro {r[holdout]['macro_f1']:.3f})")
    ax.set_xticks([i + width * (len(results) - 1) / 2 for i in range(len(intents))], intents, rotation=20)
    ax.set_ylabel("F1, kept-aside set")
    ax.set_ylim(0, 1.05)
    ax.legend()
    fig.tight_layout()
    fig.savefig(REPORTS / "intents_holdout_f1.png")
    (REPORTS / "intents.md").write_text("\n".join(lines), encoding="utf-8")
    (REPORTS / "intents.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

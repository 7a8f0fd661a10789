"""Two (or more) versions of the problem-type model on the same labelled test file, side by side:
accuracy and macro-F1, F1 per class, a confusion matrix per version — what a trainer reads before
activating a version. The figures are kept in the registry with the test file's fingerprint."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Dict, List

from classifiers.datasets import read_labelled
from classifiers.evaluate import ModelResult, confusion_png, evaluate_shipped
from classifiers.problem_type import ProblemTypeClassifier
from classifiers.registry import Registry
from classifiers.versions import Evaluation
from common import clock


def compare_versions(registry: Registry, versions: List[str], test_file: Path, out_dir: Path) -> Dict[str, object]:
    rows = read_labelled(test_file)
    fingerprint = hashlib.sha256(test_file.read_bytes()).hexdigest()
    depth = max(len(r.label.split("/")) for r in rows)
    results: List[ModelResult] = []
    for version in versions:
        registry.get(version)  # a clear error for an unknown version
        classifier = ProblemTypeClassifier.load(registry.directory(version))
        results += evaluate_shipped(rows, test_file, classifier, name=version)
    out_dir.mkdir(parents=True, exist_ok=True)
    summaries = [r.summary() for r in results]
    for result, summary in zip(results, summaries):
        confusion_png(result, out_dir / f"confusion_{result.name}.png", f"{test_file.name}: {result.name}")
        registry.record_evaluation(result.name, Evaluation(
            test_file=str(test_file), test_fingerprint=fingerprint, depth=depth, messages=len(rows),
            accuracy=summary["accuracy"], macro_f1=summary["macro_f1"], at=clock.now()))
    active = registry.active()
    lines = [f"# Model versions on {test_file.name} ({len(rows)} messages, level {depth})", "",
             "| version | active | accuracy | macro-F1 | ms/message |", "|---|---|---|---|---|"]
    lines += [f"| {s['model']} | {'yes' if s['model'] == active else ''} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} | "
              f"{s['inference_ms_per_message']:.2f} |" for s in summaries]
    labels = sorted({label for s in summaries for label in s["per_class"]})
    lines += ["", "F1 per class:", "", "| class | support | " + " | ".join(versions) + " |",
              "|---|---|" + "---|" * len(versions)]
    for label in labels:
        support = max(s["per_class"].get(label, {}).get("support", 0) for s in summaries)
        f1s = [f"{s['per_class'][label]['f1']:.3f}" if label in s["per_class"] else "–" for s in summaries]
        lines.append(f"| {label} | {support} | " + " | ".join(f1s) + " |")
    lines += [""] + [f"![{v}](confusion_{v}.png)" for v in versions] + [""]
    (out_dir / "report.md").write_text("\n".join(lines), encoding="utf-8")
    (out_dir / "report.json").write_text(json.dumps({"test_file": str(test_file), "results": summaries},
                                                    ensure_ascii=False, indent=1, default=float), encoding="utf-8")
    return {"results": summaries, "markdown": "\n".join(lines)}

"""Benchmark: the problem-type classifier on real citizen messages.

    python -m bench.classifier [--data ../shared/data/teddy/train.csv] [--folds 5]

1. k-fold cross-validation on the labelled file: our torch model beside the TF-IDF + linear SVM
   baseline (macro-F1, accuracy, ECE, training time per fold, inference ms per message);
2. the shipped model, trained only on our own examples, on the same real messages at level 1;
3. training time on 1,000 messages with torch limited to 2 threads.
Reports go to bench/reports/classifier_*/ (report.md, report.json, confusion_matrix.png).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch
from rich.progress import Progress

from classifiers.datasets import read_labelled
from classifiers.evaluate import cross_validate, evaluate_shipped, write_report
from classifiers.linear_model import LinearTextClassifier

REPORTS = Path(__file__).with_name("reports")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/teddy/train.csv")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(2)
    rows = read_labelled(args.data)
    with Progress() as bar:
        task = bar.add_task(f"{args.folds}-fold cross-validation", total=args.folds)
        results = cross_validate(rows, args.folds, progress=lambda fold: bar.update(task, completed=fold))
    cv = write_report(results, REPORTS / "classifier_cv", f"{args.folds}-fold CV on {args.data.name}", folds=args.folds)
    shipped = write_report(evaluate_shipped(rows, args.data), REPORTS / "classifier_shipped",
                           f"shipped model (our examples only) on {args.data.name}")
    sample = rows[:1000]
    started = time.perf_counter()
    LinearTextClassifier.train([r.text for r in sample], [r.label for r in sample])
    train_1000 = time.perf_counter() - started
    summary = [cv["markdown"], shipped["markdown"],
               f"Training our model on {len(sample)} real messages (2 torch threads, temperature calibration included): {train_1000:.1f} s"]
    (REPORTS / "classifier.md").write_text("\n\n".join(summary) + "\n", encoding="utf-8")
    print("\n\n".join(summary))


if __name__ == "__main__":
    main()

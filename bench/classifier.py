"""Benchmark: the problem-type classifier on real citizen messages.

    python -m bench.classifier [--data ../shared/data/teddy/train.csv] [--folds 5]
    python -m bench.classifier --heldout bench/data/teddy_heldout_ids.yml

With --heldout: train on the rows whose ids are not listed, report on those that are (a quarter fixed
before any tuning, the figure issue 17 asks for) — ours with and without our examples beside the
baseline, in bench/reports/classifier_heldout/; nothing else runs.

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

import csv

import yaml

from classifiers.datasets import read_labelled
from classifiers.evaluate import cross_validate, evaluate_shipped, evaluate_split, write_report
from classifiers.linear_model import LinearTextClassifier

REPORTS = Path(__file__).with_name("reports")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/teddy/train.csv")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--heldout", type=Path, help="YAML with the ids of --data to test on (the rest trains)")
    args = parser.parse_args()
    torch.set_num_threads(2)
    rows = read_labelled(args.data)
    if args.heldout:
        held_out(rows, args.data, args.heldout)
        return
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


def held_out(rows, data: Path, ids_file: Path) -> None:
    """Train on the rows not listed in ``ids_file``, test on the listed ones."""
    wanted = {str(i) for i in yaml.safe_load(ids_file.read_text(encoding="utf-8"))["ids"]}
    with data.open(encoding="utf-8-sig", newline="") as handle:
        id_of_row = {number: row.get("id") for number, row in enumerate(csv.DictReader(handle), start=2)}
    test = [r for r in rows if id_of_row.get(r.row) in wanted]
    train = [r for r in rows if id_of_row.get(r.row) not in wanted]
    if len(test) != len(wanted):
        raise SystemExit(f"{ids_file}: {len(wanted) - len(test)} ids are not rows of {data}")
    report = write_report(evaluate_split(train, test, data), REPORTS / "classifier_heldout",
                          f"trained on {len(train)} rows of {data.name}, tested on the {len(test)} kept aside "
                          f"({ids_file.name})")
    print(report["markdown"])


if __name__ == "__main__":
    main()

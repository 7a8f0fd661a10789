"""Rasa dialogue model archives read a labelled intent file (Rasa NLU YAML: `- intent: …`
blocks with examples), every pipeline component running as in the server (FallbackClassifier
included: a fallback counts as wrong): accuracy, macro-F1, F1 per intent side by side and a
confusion matrix per archive — what a trainer reads before activating a dialogue version, and
what `python -m bench.intents` reports on our kept-aside sets.

    python -m classifiers.intent_eval --test FILE --out DIR ARCHIVE [ARCHIVE …]

prints the comparison as one JSON line (the console runs it in a process of its own: loading Rasa
models takes a TensorFlow import and memory the app server should not carry)."""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

from classifiers.evaluate import ModelResult, confusion_png


class IntentSetError(ValueError):
    """The test file cannot be read as labelled intent examples; the message says why."""


def read_intent_set(path: Path) -> List[Tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    try:
        data = load_data(str(path))
    except Exception as exc:  # Rasa raises several kinds for a file it cannot read
        raise IntentSetError(f"{path.name} is not Rasa NLU YAML with intent examples: {exc}") from exc
    rows = [(m.get("text"), m.get("intent")) for m in data.intent_examples if m.get("text") and m.get("intent")]
    if not rows:
        raise IntentSetError(f"{path.name} has no intent examples (`- intent: NAME` blocks with `examples`)")
    return rows


async def parse_all(model: Path, texts: List[str]) -> Tuple[List[str], List[float], float]:
    """What ``model`` reads each text as (nlu_fallback when it is unsure), ms per text, load seconds."""
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # per-message debug lines would print the test set's answers: keep them out of sight
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    started = time.perf_counter()
    agent = Agent.load(str(model))
    load_s = time.perf_counter() - started
    predicted, times = [], []
    for text in texts:
        t = time.perf_counter()
        result = await agent.parse_message(text)
        times.append((time.perf_counter() - t) * 1000)
        predicted.append((result.get("intent") or {}).get("name") or "nlu_fallback")
    return predicted, times, load_s


def compare_archives(archives: List[Path], test: Path, out: Path) -> Dict[str, object]:
    rows = read_intent_set(test)
    texts, gold = [t for t, _ in rows], [i for _, i in rows]
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for archive in archives:
        predicted, times, _ = asyncio.run(parse_all(archive, texts))
        result = ModelResult(name=archive.name, gold=gold, predicted=predicted, infer_seconds=sum(times) / 1000)
        confusion_png(result, out / f"confusion_{archive.name}.png", f"{test.name}: {archive.name}")
        results.append(result.summary())
    return {"test_file": test.name, "messages": len(rows), "results": results}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--test", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("archives", type=Path, nargs="+")
    args = parser.parse_args(argv)
    try:
        report = compare_archives(args.archives, args.test, args.out)
    except IntentSetError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2
    print(json.dumps(report, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

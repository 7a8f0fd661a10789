"""Reads the problem-type examples we write in Rasa NLU YAML.

Each block in training_data/problems/*.yml is a `report_problem` intent block whose
`metadata.category` names a taxonomy leaf, so the same examples teach Rasa the intent and our
classifier the category.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List

import yaml

from common.paths import TRAINING_DATA_DIR
from nlu.normalize import normalize_text

PROBLEMS_DIR = TRAINING_DATA_DIR / "problems"
#: where accepted operator corrections of the category are written (INTAKE_CORRECTIONS_FILE moves it; the tests do)
CORRECTIONS_FILE = Path(os.environ.get("INTAKE_CORRECTIONS_FILE", PROBLEMS_DIR / "corrections.yml"))
_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    source: str


def example_line(text: str) -> str:
    """A resident's text as one example line: normalised, one line, no Rasa entity syntax."""
    return normalize_text(text, max_chars=500).replace("\n", " ").replace("[", "【").replace("]", "】")


def same_text_key(text: str) -> str:
    """Texts that differ only in spacing, punctuation or width are the same example."""
    return "".join(ch for ch in normalize_text(text) if ch.isalnum())


def strip_annotations(line: str) -> str:
    """「[幸福路15号](location)的路灯坏了」→「幸福路15号的路灯坏了」."""
    return _ENTITY.sub(r"\1", line).strip()


def read_examples(paths: Iterable[Path]) -> List[Example]:
    examples: List[Example] = []
    for path in sorted(paths):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for i, block in enumerate(data.get("nlu") or []):
            category = ((block or {}).get("metadata") or {}).get("category")
            if not category:
                raise ValueError(f"{path}: nlu[{i}] has no metadata.category")
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = strip_annotations(line[2:])
                    if text:
                        examples.append(Example(text=text, label=category, source=f"{path.name}"))
    return examples


def intent_examples(directory: Path = TRAINING_DATA_DIR / "nlu", extra: Iterable[Path] = ()) -> List[Example]:
    """The other intents' examples (greetings, corrections, requests …), labelled `intent:<name>`:
    a report example must not repeat one of them (`rasa data validate` would flag it). ``extra``:
    intent files kept elsewhere (the tests' corrections)."""
    paths = sorted(directory.glob("*.yml"))
    paths += [path for path in extra if path.exists() and path not in paths]
    examples: List[Example] = []
    for path in paths:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if not isinstance(block, dict) or "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    examples.append(Example(text=strip_annotations(line.strip()[2:]), label=f"intent:{block['intent']}",
                                            source=path.name))
    return examples


def problem_example_files(directory: Path = PROBLEMS_DIR) -> List[Path]:
    """The example files a problem-type version is trained from: the directory's, and the accepted corrections
    wherever they are kept (moved out of the directory, they were accepted and never trained on)."""
    files = sorted(directory.glob("*.yml"))
    if directory == PROBLEMS_DIR and CORRECTIONS_FILE.exists() and CORRECTIONS_FILE not in files:
        files.append(CORRECTIONS_FILE)
    return files


def examples_for_labels(labels: Iterable[str]) -> List[Example]:
    """Our examples relabelled to the depth of ``labels`` («城乡建设» or «城乡建设/物业管理»), keeping
    only those whose relabelled category is among ``labels``: what a deployment's own tickets
    are trained together with, so that small categories start from what the product already knows."""
    wanted = set(labels)
    depth = max(len(label.split("/")) for label in wanted)
    out = []
    for example in read_examples(problem_example_files()):
        label = "/".join(example.label.split("/")[:depth])
        if label in wanted:
            out.append(Example(text=example.text, label=label, source=example.source))
    return out

"""Operators' corrections accepted by a trainer become training examples, in the same Rasa YAML
as every other example file, so that `intake train` and `rasa data validate` take them like any
other:

- a category correction → training_data/problems/corrections.yml (report_problem blocks with
  metadata.category; the problem-type model and the intent model read it);
- an intent correction (a resident message the agent read as the wrong intent) →
  training_data/nlu/corrections.yml (one block per intent; the intent model reads it);
- an urgency correction → training_data/urgency/corrections.yml ([console, text, grade] items, the
  urgency model's format, checked by its own reader).

A text already there is not added twice; a text that an existing example files under another
label is a conflict — reported with where it is, not added — for the trainer to settle in the
files (「你好」 is a greeting, not a report). A file is written whole, read back by Rasa's own
reader first, and only then put in place."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import yaml

from classifiers.examples import (CORRECTIONS_FILE, Example, example_line, intent_examples, problem_example_files,
                                  read_examples, same_text_key)
from classifiers.taxonomy import Taxonomy
from common.paths import PROJECT_ROOT, TRAINING_DATA_DIR

INTENT_CORRECTIONS_FILE = Path(os.environ.get("INTAKE_INTENT_CORRECTIONS_FILE",
                                              TRAINING_DATA_DIR / "nlu" / "corrections.yml"))
URGENCY_CORRECTIONS_FILE = Path(os.environ.get("INTAKE_URGENCY_CORRECTIONS_FILE",
                                               TRAINING_DATA_DIR / "urgency" / "corrections.yml"))
DOMAIN_DIR = PROJECT_ROOT / "bot" / "domain"
REPORT = "report_problem"
HEADER = ("# Operators' corrections accepted by trainers in the console (NLU inbox); written by\n"
          "# classifiers/corrections.py — edit freely, `intake train` reads it like every example file.\n")


@dataclass
class Outcome:
    text: str
    label: str
    result: str  # added | already | conflict | unknown_category | unknown_intent
    detail: Optional[str] = None


@dataclass
class AcceptReport:
    outcomes: List[Outcome] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)


@lru_cache(maxsize=4)
def correctable_intents(domain_dir: Path = DOMAIN_DIR) -> List[str]:
    """The intents of the domain a resident's message can have (not the app server's EXTERNAL_
    ones, not Rasa's nlu_fallback)."""
    names: List[str] = []
    for path in sorted(domain_dir.glob("*.yml")):
        for name in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or []:
            name = next(iter(name)) if isinstance(name, dict) else str(name)
            if not name.startswith("EXTERNAL_") and name != "nlu_fallback" and name not in names:
                names.append(name)
    return names


def add_corrections(pairs: List[Tuple[str, str]], taxonomy: Taxonomy, path: Path = CORRECTIONS_FILE) -> AcceptReport:
    """Add (text, category path) pairs; each gets an outcome, in the order given."""
    def check(label: str) -> Optional[Outcome]:
        return None if label in taxonomy else Outcome("", label, "unknown_category", f"{label} is not in {taxonomy.source}")

    def block(label: str, lines: List[str]) -> dict:
        return {"intent": REPORT, "metadata": {"category": label}, "examples": "".join(f"- {line}\n" for line in lines)}

    files = [*problem_example_files(), *([path] if path.exists() else [])]
    known = [*intent_examples(), *read_examples(dict.fromkeys(files))]
    return _accept(pairs, path, known, check, lambda label, known_label: known_label == label, block,
                   lambda b: b["metadata"]["category"])


def add_intent_corrections(pairs: List[Tuple[str, str]], intents: Iterable[str],
                           path: Path = INTENT_CORRECTIONS_FILE) -> AcceptReport:
    """Add (text, intent) pairs. A report example (any category) already is report_problem."""
    allowed = set(intents)

    def check(label: str) -> Optional[Outcome]:
        return None if label in allowed else Outcome("", label, "unknown_intent", f"{label} is not an intent of the domain")

    def same(label: str, known: str) -> bool:
        # a report example (labelled with its category) is a report_problem example already
        return known in (label, f"intent:{label}") or (label == REPORT and not known.startswith("intent:"))

    def block(label: str, lines: List[str]) -> dict:
        return {"intent": label, "examples": "".join(f"- {line}\n" for line in lines)}

    known = [*intent_examples(extra=[path]), *read_examples(problem_example_files())]
    return _accept(pairs, path, known, check, same, block, lambda b: b["intent"])


def add_urgency_corrections(pairs: List[Tuple[str, str]], path: Path = URGENCY_CORRECTIONS_FILE) -> AcceptReport:
    """Add (text, grade) pairs to the urgency model's training reports."""
    from classifiers.urgency_model import DATA_DIR, GRADES, read_reports

    files = sorted({*DATA_DIR.glob("*.yml"), *([path] if path.exists() else [])})
    known = {same_text_key(text): (grade, source) for text, grade, source in read_reports(files)}
    items = ((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("items") or []) if path.exists() else []
    report = AcceptReport()
    for text, grade in pairs:
        line = example_line(text)
        key = same_text_key(line)
        if grade not in GRADES:
            report.outcomes.append(Outcome(line, grade, "unknown_grade", f"{grade} is not one of {', '.join(GRADES)}"))
        elif key in known and known[key][0] == grade:
            report.outcomes.append(Outcome(line, grade, "already", known[key][1]))
        elif key in known:
            report.outcomes.append(Outcome(line, grade, "conflict", f"{known[key][1]} grades it {known[key][0]}"))
        else:
            items.append(["console", line, grade])
            known[key] = (grade, path.name)
            report.outcomes.append(Outcome(line, grade, "added"))
    if report.count("added"):
        _write(path, {"items": items}, _check_reports, default_flow_style=None)  # one item a line
    return report


def _check_reports(path: Path) -> None:
    from classifiers.urgency_model import read_reports

    try:
        read_reports([path])
    except ValueError as exc:
        raise ValueError(f"the urgency corrections could not be written: {exc}") from exc


def _accept(pairs: List[Tuple[str, str]], path: Path, examples: List[Example],
            check: Callable[[str], Optional[Outcome]], same: Callable[[str, str], bool],
            block: Callable[[str, List[str]], dict], label_of: Callable[[dict], str]) -> AcceptReport:
    """``examples``: every example there is already; ``same``: whether a known label is the one
    asked for; ``block``/``label_of``: how the file's blocks are written and read."""
    known = {same_text_key(e.text): e for e in examples}
    blocks = _read_blocks(path, label_of)
    report = AcceptReport()
    for text, label in pairs:
        line = example_line(text)
        key = same_text_key(line)
        invalid = check(label)
        if invalid:
            report.outcomes.append(Outcome(line, label, invalid.result, invalid.detail))
        elif key in known and same(label, known[key].label):
            report.outcomes.append(Outcome(line, label, "already", known[key].source))
        elif key in known:
            report.outcomes.append(Outcome(line, label, "conflict", f"{known[key].source} files it under {known[key].label}"))
        else:
            blocks.setdefault(label, []).append(line)
            known[key] = Example(text=line, label=label, source=path.name)  # the same text twice in one go
            report.outcomes.append(Outcome(line, label, "added"))
    if report.count("added"):
        _write(path, {"version": "3.1", "nlu": [block(label, lines) for label, lines in sorted(blocks.items())]},
               _check_with_rasa)
    return report


def _read_blocks(path: Path, label_of: Callable[[dict], str]) -> Dict[str, List[str]]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    blocks: Dict[str, List[str]] = {}
    for found in data.get("nlu") or []:
        lines = [line.strip()[2:] for line in str(found.get("examples") or "").splitlines() if line.strip().startswith("- ")]
        blocks.setdefault(label_of(found), []).extend(lines)
    return blocks


def _write(path: Path, data: dict, check: Callable[[Path], None], **dump: object) -> None:
    """Write the file whole beside ``path``, let ``check`` read it back (a ValueError: nothing is
    written), then put it in place: never a half-written or unreadable training file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".yml.tmp")
    temporary.write_text(HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10000, **dump),
                         encoding="utf-8")
    try:
        check(temporary)
    except ValueError:
        temporary.unlink(missing_ok=True)
        raise
    temporary.replace(path)


def _check_with_rasa(path: Path) -> None:
    """Rasa's own reader (what `rasa train` and `rasa data validate` use) reads the file: a training
    file that breaks training is never left for the trainer."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    try:
        RasaYAMLReader().read(path)
    except Exception as exc:  # Rasa raises several kinds; any of them means the file is unusable
        raise ValueError(f"the corrections could not be written: Rasa cannot read the result ({exc})") from exc

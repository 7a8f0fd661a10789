"""Operators' category corrections accepted by a trainer become training examples: one file,
training_data/problems/corrections.yml, in the same Rasa YAML as every other example file
(report_problem blocks with metadata.category), so that `intake train` and `rasa data validate`
take them like any other. A text already there is not added twice; a text that an existing
example files under another category is a conflict — reported with where it is, not added —
for the trainer to settle in the files; so is a text that is an example of another intent
(「你好」 is a greeting, not a report)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from classifiers.examples import (PROBLEMS_DIR, Example, example_line, intent_examples, problem_example_files,
                                  read_examples, same_text_key)
from classifiers.taxonomy import Taxonomy

CORRECTIONS_FILE = Path(os.environ.get("INTAKE_CORRECTIONS_FILE", PROBLEMS_DIR / "corrections.yml"))
HEADER = ("# Operators' corrections accepted by trainers in the console (NLU inbox); written by\n"
          "# classifiers/corrections.py — edit freely, `intake train` reads it like every example file.\n")


@dataclass
class Outcome:
    text: str
    label: str
    result: str  # added | already | conflict | unknown_category
    detail: Optional[str] = None


@dataclass
class AcceptReport:
    outcomes: List[Outcome] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)


def _read_blocks(path: Path) -> Dict[str, List[str]]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    blocks: Dict[str, List[str]] = {}
    for block in data.get("nlu") or []:
        lines = [line.strip()[2:] for line in str(block.get("examples") or "").splitlines() if line.strip().startswith("- ")]
        blocks.setdefault(block["metadata"]["category"], []).extend(lines)
    return blocks


def add_corrections(pairs: List[Tuple[str, str]], taxonomy: Taxonomy, path: Path = CORRECTIONS_FILE) -> AcceptReport:
    """Add (text, category path) pairs; each gets an outcome, in the order given."""
    files = problem_example_files()
    files += [path] if path.exists() and path not in files else []
    known = {same_text_key(e.text): e for e in [*intent_examples(), *read_examples(files)]}
    blocks = _read_blocks(path)
    report = AcceptReport()
    for text, label in pairs:
        line = example_line(text)
        key = same_text_key(line)
        if label not in taxonomy:
            report.outcomes.append(Outcome(line, label, "unknown_category", f"{label} is not in {taxonomy.source}"))
        elif key in known and known[key].label == label:
            report.outcomes.append(Outcome(line, label, "already", known[key].source))
        elif key in known:
            report.outcomes.append(Outcome(line, label, "conflict",
                                           f"{known[key].source} files it under {known[key].label}"))
        else:
            blocks.setdefault(label, []).append(line)
            known[key] = Example(text=line, label=label, source=path.name)  # the same text twice in one go
            report.outcomes.append(Outcome(line, label, "added"))
    if report.count("added"):
        data = {"version": "3.1", "nlu": [
            {"intent": "report_problem", "metadata": {"category": label},
             "examples": "".join(f"- {line}\n" for line in lines)} for label, lines in sorted(blocks.items())]}
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".yml.tmp")
        temporary.write_text(HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10000),
                             encoding="utf-8")
        _check_with_rasa(temporary)
        temporary.replace(path)  # never a half-written training file
    return report


def _check_with_rasa(path: Path) -> None:
    """Rasa's own reader (what `rasa train` and `rasa data validate` use) reads the file, or
    nothing is written: a training file that breaks training is never left for the trainer."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    try:
        RasaYAMLReader().read(path)
    except Exception as exc:  # Rasa raises several kinds; any of them means the file is unusable
        path.unlink(missing_ok=True)
        raise ValueError(f"the corrections could not be written: Rasa cannot read the result ({exc})") from exc

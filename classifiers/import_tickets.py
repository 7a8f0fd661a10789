"""`intake import tickets`: a city's historical tickets (CSV/xlsx with title, text, label) become
Rasa training examples (report_problem blocks with metadata.category), deduplicated, with a
report of what was kept, merged and why."""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import yaml

from classifiers.datasets import DatasetError, read_labelled
from classifiers.taxonomy import Taxonomy
from classifiers.examples import example_line, same_text_key


@dataclass
class ImportReport:
    rows: int = 0
    kept: int = 0
    duplicates: int = 0
    per_category: Dict[str, int] = field(default_factory=dict)

    def lines(self) -> List[str]:
        out = [f"{self.rows} rows read, {self.kept} examples kept, {self.duplicates} duplicates merged"]
        out += [f"  {n:5d}  {c}" for c, n in sorted(self.per_category.items(), key=lambda kv: -kv[1])]
        return out


def resolve_label(label: str, taxonomy: Taxonomy, leaf_names: Dict[str, List[str]]) -> str:
    """A full path, or a leaf name that is unique in the taxonomy."""
    if label in taxonomy:
        return label
    matches = leaf_names.get(label, [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValueError(f"label {label!r} is ambiguous ({', '.join(matches)}); use the full path")
    raise ValueError(f"label {label!r} is not a category of the taxonomy; use 大类/小类[/细项]")


def import_tickets(path: Path, taxonomy: Taxonomy, out: Path) -> ImportReport:
    rows = read_labelled(path)
    leaf_names: Dict[str, List[str]] = {}
    for p in taxonomy.paths():
        leaf_names.setdefault(p.split("/")[-1], []).append(p)
    report = ImportReport(rows=len(rows))
    seen = set()
    blocks: "OrderedDict[str, List[str]]" = OrderedDict()
    for row in rows:
        try:
            category = resolve_label(row.label, taxonomy, leaf_names)
        except ValueError as exc:
            raise DatasetError(f"{path}, row {row.row}: {exc}") from None
        line = example_line(row.text)
        key = same_text_key(row.body or row.text)
        if key in seen:
            report.duplicates += 1
            continue
        seen.add(key)
        blocks.setdefault(category, []).append(line)
        report.kept += 1
        report.per_category[category] = report.per_category.get(category, 0) + 1
    data = {"version": "3.1", "nlu": [
        {"intent": "report_problem", "metadata": {"category": c},
         "examples": "".join(f"- {e}\n" for e in examples)} for c, examples in blocks.items()]}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"# Imported from {path.name} by `intake import tickets`\n"
                   + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10000), encoding="utf-8")
    return report

"""Labelled message files for training and evaluation (CSV or xlsx: title, text, label).

Every problem is reported with its row number; nothing is dropped silently.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Optional

from nlu.normalize import has_meaningful_text


class DatasetError(ValueError):
    """The file cannot be used; the message names the file and the row."""


@dataclass(frozen=True)
class LabelledText:
    text: str  # title and text joined: what the classifiers read
    label: str
    row: int
    body: str = ""  # the text column alone: what duplicate checks compare


def _rows(path: Path) -> Iterable[dict]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                yield from csv.DictReader(handle)
        except UnicodeDecodeError as exc:
            raise DatasetError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        except csv.Error as exc:
            raise DatasetError(f"{path}: malformed CSV: {exc}") from None
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises several unrelated types for a broken file
            raise DatasetError(f"{path}: cannot read the workbook: {exc}") from None
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, [])]
        for values in rows:
            yield {h: ("" if v is None else str(v)) for h, v in zip(header, values)}
    else:
        raise DatasetError(f"{path}: expected a .csv or .xlsx file")


def read_labelled(path: Path, text_columns: tuple = ("title", "text"), label_column: str = "label",
                  require_label: bool = True) -> List[LabelledText]:
    """Read (title +) text and label per row; rows without usable text or label are errors."""
    if not path.exists():
        raise DatasetError(f"{path}: no such file")
    out: List[LabelledText] = []
    header_checked = False
    for number, row in enumerate(_rows(path), start=2):
        if not header_checked:
            if "text" not in row or (require_label and label_column not in row):
                raise DatasetError(f"{path}: needs columns 'text' and '{label_column}' (optional 'title'); "
                                   f"found {sorted(k for k in row if k)}")
            header_checked = True
        if None in row:  # more cells than header columns
            raise DatasetError(f"{path}, row {number}: more cells than columns (an unquoted comma?)")
        text = "。".join(str(row.get(c) or "").strip() for c in text_columns if str(row.get(c) or "").strip())
        label = str(row.get(label_column) or "").strip()
        if not has_meaningful_text(text):
            raise DatasetError(f"{path}, row {number}: empty text")
        if require_label and not label:
            raise DatasetError(f"{path}, row {number}: empty label")
        out.append(LabelledText(text=text, label=label, row=number, body=str(row.get("text") or "").strip()))
    if not out:
        raise DatasetError(f"{path}: no rows")
    return out


def check_known_labels(rows: List[LabelledText], known: Iterable[str], path: Path,
                       what: Optional[str] = None) -> None:
    known = set(known)
    for row in rows:
        if row.label not in known:
            raise DatasetError(f"{path}, row {row.row}: label {row.label!r} is not among the "
                               f"{what or 'training labels'} ({', '.join(sorted(known))})")

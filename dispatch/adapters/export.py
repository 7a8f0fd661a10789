"""Export adapter: for departments without an API, one spreadsheet per department and day
(`{directory}/{department}/{YYYY-MM-DD}.csv` and `.xlsx`), one row per ticket.

A ticket delivered again (an amendment, a retried job) replaces its own row, so a file never holds
a ticket twice and always holds its latest state. Files are rewritten whole under a lock and moved
into place, so a reader (a department's sync job, GET /api/exports/…) never sees half a file.
The CSV is UTF-8 with a byte-order mark, which Excel needs to show Chinese; cells a spreadsheet
would run as formulas (a resident's text starting with = + - @) are kept as text.
"""
from __future__ import annotations

import asyncio
import csv
import fcntl
import os
import re
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Dict, Iterator, List

import aiohttp
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from common.privacy import mask_pii
from dispatch.outbox import Outcome
from dispatch.schema import Ticket

COLUMNS = ["工单编号", "受理时间", "紧急程度", "等级", "诉求类型", "问题描述", "地点", "区", "街道", "社区",
           "小区或地标", "楼栋", "单元", "房号", "联系电话", "答复时限", "办结时限", "状态", "反映人数", "渠道"]
KEY = COLUMNS[0]
NO_DEPARTMENT = "未定部门"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_name(text: str) -> str:
    """A department's name as one path segment."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")
    return cleaned[:80] or NO_DEPARTMENT


def row_of(ticket: Ticket, include_contact: bool) -> Dict[str, str]:
    loc = ticket.location
    contact = ticket.contact or ""
    values = [ticket.id, f"{ticket.created_at:%Y-%m-%d %H:%M}", ticket.urgency, ticket.grade or "",
              "/".join(p for p in (ticket.category.level1, ticket.category.level2, ticket.category.level3) if p),
              ticket.description, loc.text or "", loc.district or "", loc.street or "", loc.community or "",
              loc.estate or loc.poi or "", loc.building or "", loc.unit or "", loc.room or "",
              contact if include_contact else mask_pii(contact), f"{ticket.respond_by:%Y-%m-%d %H:%M}",
              f"{ticket.deadline:%Y-%m-%d %H:%M}", "已办结" if ticket.status == "closed" else "办理中",
              str(ticket.reporters_count), ticket.channel]
    return dict(zip(COLUMNS, values))


def _as_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


class ExportAdapter:
    def __init__(self, name: str, directory: Path, formats: List[str], include_contact: bool) -> None:
        self.name, self.directory, self.formats, self.include_contact = name, Path(directory), formats, include_contact

    def path(self, department: str, day: date, fmt: str) -> Path:
        return self.directory / safe_name(department) / f"{day:%Y-%m-%d}.{fmt}"

    async def deliver(self, http: aiohttp.ClientSession, ticket: Ticket, kind: str, delivery_id: str) -> Outcome:
        if kind == "overdue":
            return Outcome(ok=False, permanent=True, error=f"adapter {self.name}: an export file takes tickets, "
                                                           "not overdue alerts; name a webhook in settings/sla.yml")
        try:
            await asyncio.to_thread(self.write, ticket)
        except OSError as exc:  # a full disk or a missing permission: fixable, so retried
            return Outcome(ok=False, error=f"adapter {self.name}: {type(exc).__name__}: {exc}")
        written = self.path(ticket.department or NO_DEPARTMENT, ticket.created_at.date(), self.formats[0])
        return Outcome(ok=True, remote_id=str(written.relative_to(self.directory)))

    def write(self, ticket: Ticket) -> None:
        department, day = ticket.department or NO_DEPARTMENT, ticket.created_at.date()
        csv_path = self.path(department, day, "csv")
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(csv_path.with_suffix(".lock")):
            rows = self.read(department, day)
            rows[ticket.id] = row_of(ticket, self.include_contact)
            ordered = [rows[k] for k in sorted(rows)]
            if "csv" in self.formats:
                _replace(csv_path, lambda f: _write_csv(f, ordered), newline="", encoding="utf-8-sig")
            if "xlsx" in self.formats:
                _replace(self.path(department, day, "xlsx"), lambda f: _write_xlsx(f, ordered, department, day),
                         binary=True)

    def read(self, department: str, day: date) -> Dict[str, Dict[str, str]]:
        """The rows already in the day's file, by ticket id (from the CSV, else the workbook)."""
        csv_path, xlsx_path = self.path(department, day, "csv"), self.path(department, day, "xlsx")
        if csv_path.exists():
            with csv_path.open(newline="", encoding="utf-8-sig") as f:
                return {r[KEY]: {k: _from_text(v or "") for k, v in r.items()} for r in csv.DictReader(f)}
        if xlsx_path.exists():
            sheet = load_workbook(xlsx_path, read_only=True).active
            lines = sheet.iter_rows(values_only=True)
            header = [str(h) for h in next(lines, [])]
            rows = [dict(zip(header, ("" if v is None else str(v) for v in line))) for line in lines]
            return {r[KEY]: r for r in rows if r.get(KEY)}
        return {}


def _from_text(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def _write_csv(f, rows: List[Dict[str, str]]) -> None:
    writer = csv.DictWriter(f, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _as_text(v) if k != KEY else v for k, v in row.items()})


def _write_xlsx(f, rows: List[Dict[str, str]], department: str, day: date) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = f"{day:%Y-%m-%d}"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(c, "") for c in COLUMNS])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # text, never a formula
    for column, width in (("A", 18), ("B", 17), ("E", 28), ("F", 60), ("G", 30)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    book.properties.title = f"{department} {day:%Y-%m-%d} 工单"
    book.save(f)


def _replace(path: Path, write, binary: bool = False, **open_kwargs) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb" if binary else "w", **open_kwargs) as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

"""Whether a word found in a message is denied, about the past or only feared, so it says nothing
about now.

「没有人受伤」「不是煤气味」: a negation shortly before the word in the same clause;
「上个月着火的那栋楼」: a clause about the past; 「一旦发生火灾」「以免倒塌」: a clause about what might
happen; 「电梯经常困人」: a clause about what keeps happening (someone may be trapped again, nobody is now);
「火灾隐患」「坍塌风险」: the word names a risk, not an event. The urgency rules and the urgency
model's hazard concepts read words the same way; the word lists are settings/urgency.yml's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import List, Sequence

import yaml

from common.paths import SETTINGS_DIR

_CLAUSE_END = re.compile(r"[，。！？；,.!?;\s]")


@dataclass(frozen=True)
class Negation:
    negations: List[str] = field(default_factory=list)
    past_markers: List[str] = field(default_factory=list)
    hypothetical_markers: List[str] = field(default_factory=list)
    risk_suffixes: List[str] = field(default_factory=list)
    checked: List[str] = field(default_factory=list)
    found_fine: List[str] = field(default_factory=list)
    still: List[str] = field(default_factory=list)
    false_alarm: List[str] = field(default_factory=list)
    habitual_markers: List[str] = field(default_factory=list)

    def covers(self, text: str, pos: int, length: int = 0) -> bool:
        """True when the word starting at ``pos`` (``length`` characters long) is negated, in a
        clause about the past, about what might happen or about what keeps happening, followed by a
        word naming a risk, or checked and found fine in a later clause."""
        start = pos  # the clause: back from ``pos`` to the last mark ending one (not the whole text split each time)
        while start > 0 and not _CLAUSE_END.match(text, start - 1):
            start -= 1
        clause = text[start:pos]
        following = text[pos + length:pos + length + 2] if length else ""
        # 「没有人受伤」 within four characters; a single 没/无 only right before (「没人管的井盖丢了」)
        return (any(n in clause[-(4 if len(n) > 1 else 2):] for n in self.negations)
                or any(self._in_the_past(clause, p) for p in self.past_markers)
                or any(m in clause for m in self.hypothetical_markers)
                or any(m in clause for m in self.habitual_markers)
                or any(following.startswith(r) for r in self.risk_suffixes)
                or self._found_fine_after(text[pos + length:]))

    def _found_fine_after(self, rest: str) -> bool:
        """「闻到过一阵煤气味，后来燃气公司来查过说没问题」: a later clause says someone checked and found
        nothing — or that it was a false alarm (「…，原来是楼下在烧烤，虚惊一场」) — and none after it says the
        trouble is still there (「…，但是味道还是很重」)."""
        if not any(w in rest for w in self.checked) and not any(w in rest for w in self.false_alarm):
            return False  # no clause can say so (a long letter's rest was split into clauses for each word)
        clauses = [c for c in _CLAUSE_END.split(rest) if c]
        for index, clause in enumerate(clauses):
            if (any(w in clause for w in self.checked) and any(w in clause for w in self.found_fine)
                    or any(w in clause for w in self.false_alarm)):
                return not any(w in later for later in clauses[index + 1:] for w in self.still)
        return False

    def said(self, text: str, word: str, not_before: Sequence[str] = ()) -> bool:
        """``word`` occurs at least once where nothing above covers it (「没有冒烟，楼下在冒烟」 says smoke) and
        none of ``not_before`` follows it (「全是烟味」 is a smell, 「全是烟」 a fire)."""
        start = text.find(word)
        while start >= 0:
            after = text[start + len(word):]
            if not self.covers(text, start, len(word)) and not any(after.startswith(w) for w in not_before):
                return True
            start = text.find(word, start + 1)
        return False

    @staticmethod
    def _in_the_past(clause: str, marker: str) -> bool:
        """「上周着火的那栋楼」 is about the past; 「自上周起每天停水」「从去年开始」 is since then, still now."""
        start = clause.find(marker)
        while start >= 0:
            if clause[max(0, start - 1):start] not in ("从", "自", "打"):
                return True
            start = clause.find(marker, start + 1)
        return False

    @classmethod
    def load(cls, path: Path) -> "Negation":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        fine = data.get("checked_and_fine") or {}
        return cls(list(data.get("negations", [])), list(data.get("past_markers", [])),
                   list(data.get("hypothetical_markers", [])), list(data.get("risk_suffixes", [])),
                   list(fine.get("checked", [])), list(fine.get("fine", [])), list(fine.get("still", [])),
                   list(fine.get("false_alarm", [])), list(data.get("habitual_markers", [])))


@lru_cache(maxsize=1)
def default_negation() -> Negation:
    return Negation.load(SETTINGS_DIR / "urgency.yml")

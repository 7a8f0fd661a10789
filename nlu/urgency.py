"""Urgency grading (特急/紧急/一般) with the reasons that triggered it.

Keyword rules live in settings/urgency.yml; the category's default urgency is combined with
them (the higher grade wins), so a gas leak is never filed as 一般 whatever its category.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from common.paths import SETTINGS_DIR

LEVELS = ("特急", "紧急", "一般")


@dataclass
class Urgency:
    level: str = "一般"
    reasons: List[str] = field(default_factory=list)

    def to_dict(self) -> Dict[str, object]:
        return {"level": self.level, "reasons": list(self.reasons)}


@dataclass
class UrgencyRules:
    ranks: Dict[str, int]
    rules: List[dict]
    negations: List[str]
    levels: Dict[str, dict]
    past_markers: List[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> "UrgencyRules":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        levels = data["levels"]
        unknown = {r["level"] for r in data["rules"]} - set(levels)
        if unknown:
            raise ValueError(f"{path}: rules use undefined urgency levels {sorted(unknown)}")
        return cls(ranks={k: int(v["rank"]) for k, v in levels.items()}, rules=data["rules"],
                   negations=list(data.get("negations", [])), levels=levels,
                   past_markers=list(data.get("past_markers", [])))

    def _negated(self, text: str, pos: int) -> bool:
        """「没有人受伤」「不是煤气味」: a negation shortly before the keyword in the same clause;
        「上个月着火的那栋楼」: an event in the past, not happening now."""
        clause = re.split(r"[，。！？；,.!?;\s]", text[:pos])[-1]
        # 「没有人受伤」 within four characters; a single 没/无 only right before (「没人管的井盖丢了」)
        return (any(n in clause[-(4 if len(n) > 1 else 2):] for n in self.negations)
                or any(p in clause for p in self.past_markers))

    def with_floor(self, urgency: Urgency, default_level: Optional[str]) -> Urgency:
        """Raise ``urgency`` to the category's default grade when that is higher."""
        if default_level not in self.ranks or self.ranks[default_level] <= self.ranks.get(urgency.level, 0):
            return urgency
        return Urgency(level=default_level, reasons=[f"类别默认{default_level}", *urgency.reasons])

    def assess(self, text: str, default_level: Optional[str] = None) -> Urgency:
        """Grade ``text``; ``default_level`` is the category's default (the floor)."""
        level = "一般"
        reasons: List[str] = []
        for rule in self.rules:
            for word in rule["keywords"]:
                pos = text.find(word)
                if pos >= 0 and not self._negated(text, pos):
                    if rule["reason"] not in reasons:
                        reasons.append(rule["reason"])
                    if self.ranks[rule["level"]] > self.ranks[level]:
                        level = rule["level"]
                    break
        return self.with_floor(Urgency(level=level, reasons=reasons), default_level)


@lru_cache(maxsize=1)
def default_rules() -> UrgencyRules:
    return UrgencyRules.load(SETTINGS_DIR / "urgency.yml")


def assess_urgency(text: str, default_level: Optional[str] = None) -> Urgency:
    return default_rules().assess(text, default_level)

"""Urgency grading (特急/紧急/一般) with the reasons that raised it.

Three things grade a report and the highest grade wins: the trigger rules of settings/urgency.yml
(「着火」 is 特急 however it is told), the urgency model trained on training_data/urgency (hazards told
in other words: 「一棵树横在马路中间」; classifiers/urgency_model.py) and the category's default grade.
None of them can lower what another raised, and every raise names its reason for the operator.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

import yaml

from common.paths import SETTINGS_DIR
from nlu.negation import Negation
from nlu.normalize import normalize_text

if TYPE_CHECKING:
    from classifiers.urgency_model import UrgencyModel, UrgencyReading

LEVELS = ("特急", "紧急", "一般")
#: the reason that sends a ticket graded below 特急 to a person: the model was not sure it was not 特急
REVIEW_REASON = "可能特急，请人工核实"


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
    levels: Dict[str, dict]
    negation: Negation = field(default_factory=Negation)
    #: concepts of settings/hazards.yml that make a message naming no hazard no case of its category's
    #: default grade (a question, thanks, a bill): settings/urgency.yml category_default_unless
    floor_unless: Tuple[str, ...] = ()

    @classmethod
    def load(cls, path: Path) -> "UrgencyRules":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        levels = data["levels"]
        unknown = {r["level"] for r in data["rules"]} - set(levels)
        if unknown:
            raise ValueError(f"{path}: rules use undefined urgency levels {sorted(unknown)}")
        floor_unless = tuple(str(name) for name in data.get("category_default_unless") or ())
        if floor_unless:
            from nlu.hazard import default_lexicon

            missing = set(floor_unless) - set(default_lexicon().names)
            if missing:
                raise ValueError(f"{path}: category_default_unless names concepts settings/hazards.yml does not "
                                 f"have: {sorted(missing)}")
        return cls(ranks={k: int(v["rank"]) for k, v in levels.items()}, rules=data["rules"], levels=levels,
                   negation=Negation.load(path), floor_unless=floor_unless)

    def with_floor(self, urgency: Urgency, default_level: Optional[str], text: Optional[str] = None) -> Urgency:
        """Raise ``urgency`` to the category's default grade when that is higher, unless ``text`` (the
        message, when the caller has it) is no case of the problem itself (floor_applies)."""
        if default_level not in self.ranks or self.ranks[default_level] <= self.ranks.get(urgency.level, 0):
            return urgency
        if text is not None and not self.floor_applies(text):
            return urgency
        return Urgency(level=default_level, reasons=[f"类别默认{default_level}", *urgency.reasons])

    def floor_applies(self, text: str) -> bool:
        """Whether a message is a case of its category's problem: a category defaults to 紧急 for the
        outage, not for 「上个月停过一次电，想问问原因」 or a gas bill that doubled. A message naming one
        of the floor_unless concepts (a question, thanks, money) and no hazard concept is not."""
        if not self.floor_unless:
            return True
        from nlu.hazard import default_lexicon

        lexicon = default_lexicon()
        found = set(lexicon.found(normalize_text(text)))
        return bool(found & lexicon.hazards) or not found.intersection(self.floor_unless)

    def assess(self, text: str, default_level: Optional[str] = None, model: Optional[UrgencyModel] = None) -> Urgency:
        """Grade ``text`` by the rules and, when one is trained, the model (``model``: another than the
        shared one, as a benchmark's); ``default_level`` is the category's default (the floor). The model is
        loaded on first use: the action server, which only regrades a corrected description, starts without it."""
        from classifiers.urgency_model import shared_model

        model = model or shared_model()
        reading = model.read(text) if model else None
        return self.with_review(self.with_floor(self.combine(self.by_rules(text), reading), default_level, text),
                                reading)

    @staticmethod
    def with_review(urgency: Urgency, reading: Optional[UrgencyReading]) -> Urgency:
        """A grade below 特急 the model doubted keeps its level and gains the reason that puts the
        ticket before a person (needs_top_review); nothing changes at 特急."""
        if urgency.level == "特急" or reading is None or reading.doubt is None:
            return urgency
        return Urgency(level=urgency.level,
                       reasons=[*urgency.reasons, f"{REVIEW_REASON}（模型：特急 {reading.doubt:.2f}）"])

    def combine(self, urgency: Urgency, reading: Optional[UrgencyReading]) -> Urgency:
        """The rules' grade raised to the model's when that is higher, its reason added."""
        if reading is None or self.ranks[reading.level] <= self.ranks[urgency.level]:
            return urgency
        return Urgency(level=reading.level, reasons=[*urgency.reasons, reading.reason()])

    def by_rules(self, text: str) -> Urgency:
        """The grade the trigger words give, with their reasons."""
        level = "一般"
        reasons: List[str] = []
        for rule in self.rules:
            if any(self.negation.said(text, word, rule.get("not_before") or ()) for word in rule["keywords"]):
                if rule["reason"] not in reasons:
                    reasons.append(rule["reason"])
                if self.ranks[rule["level"]] > self.ranks[level]:
                    level = rule["level"]
        return Urgency(level=level, reasons=reasons)


@lru_cache(maxsize=1)
def default_rules() -> UrgencyRules:
    return UrgencyRules.load(SETTINGS_DIR / "urgency.yml")


def assess_urgency(text: str, default_level: Optional[str] = None) -> Urgency:
    return default_rules().assess(text, default_level)


def category_floor(category: Optional[Dict[str, object]]) -> Optional[str]:
    """The least grade of a ticket in ``category`` (a prediction as CategoryPrediction.to_dict gives
    it, or a category the resident chose, which has no confidence: certain): the category's default
    urgency, unless the problem-type model gave the category less confidence than
    settings/thresholds.yml category_grade_from — a guess that low is no evidence of what the problem is."""
    from dispatch.review import category_grade_from

    category = category or {}
    confidence = category.get("confidence")
    if confidence is not None and float(confidence) < category_grade_from():
        return None
    return category.get("default_urgency")


def needs_top_review(reasons: List[str]) -> bool:
    """Whether urgency reasons (as tickets carry them) ask a person to check for 特急."""
    return any(reason.startswith(REVIEW_REASON) for reason in reasons)

"""Hazard concepts in a report: what it puts at risk and how bad it is (settings/hazards.yml).

They are the urgency model's second view besides the words (classifiers/urgency_model.py): 「一棵树
横在马路中间」 names a road and something across it, 「老人一个人在家，电话没人接」 a vulnerable
person without care — whatever words the resident chose. A concept is found or not; the model
learns what each one, and each pair found together, weighs. Labels are what operators read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from common.paths import SETTINGS_DIR
from nlu.negation import Negation, default_negation

HAZARDS_FILE = SETTINGS_DIR / "hazards.yml"


KINDS = ("hazard", "exposure", "severity", "meaning")


@dataclass(frozen=True)
class Concept:
    name: str
    label: str
    words: Tuple[str, ...]
    kind: str = "hazard"  # one of KINDS; negation does not apply to `meaning` (「想问一下」 is a question anyway)
    unless: Tuple[str, ...] = ()  # longer words holding one of ``words`` that mean something else (充电宝)
    #: a word that an everyday source named in the same message explains (烟味 beside 抽烟 is a cigarette's)
    explained: Dict[str, Tuple[str, ...]] = field(default_factory=dict)


class HazardLexicon:
    def __init__(self, concepts: List[Concept], negation: Negation) -> None:
        self.concepts = concepts
        self.negation = negation
        self.labels: Dict[str, str] = {c.name: c.label for c in concepts}
        self.hazards = {c.name for c in concepts if c.kind == "hazard"}
        self.exposures = {c.name for c in concepts if c.kind == "exposure"}  # who is there (「小孩」「老人」)
        # the urgency model asks several times per message (its features, its gate, its reasons)
        self._found = lru_cache(maxsize=64)(self._concepts_in)

    @classmethod
    def load(cls, negation: Negation, path: Path = HAZARDS_FILE) -> "HazardLexicon":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        concepts = []
        for name, spec in (data.get("concepts") or {}).items():
            words = spec.get("words") if isinstance(spec, dict) else None
            if not words or not spec.get("label"):
                raise ValueError(f"{path}: concept {name!r} needs a label and a list of words")
            kind = spec.get("kind", "hazard")
            if kind not in KINDS:
                raise ValueError(f"{path}: concept {name!r} has kind {kind!r}; use one of {KINDS}")
            unless = tuple(str(w) for w in spec.get("unless") or ())
            explained = {str(w): tuple(str(s) for s in sources) for w, sources in (spec.get("explained") or {}).items()}
            if not set(explained) <= set(map(str, words)):
                raise ValueError(f"{path}: concept {name!r} explains words it does not list: "
                                 f"{sorted(set(explained) - set(map(str, words)))}")
            concepts.append(Concept(name, str(spec["label"]), tuple(str(w) for w in words), kind, unless, explained))
        if not concepts:
            raise ValueError(f"{path}: no concepts")
        return cls(concepts, negation)

    @property
    def names(self) -> List[str]:
        return [c.name for c in self.concepts]

    def found(self, text: str) -> List[str]:
        """Names of the concepts the (normalised) text mentions, in the lexicon's order; remembered
        for the last texts asked about."""
        return list(self._found(text))

    def _concepts_in(self, text: str) -> Tuple[str, ...]:
        return tuple(c.name for c in self.concepts if self._mentions(c, text))

    def _mentions(self, concept: Concept, text: str) -> bool:
        for other in concept.unless:  # 「共享充电宝」 names no charging e-bike
            text = text.replace(other, "，")
        # the words the text holds, first: a letter holds few of a concept's words, and the explanations
        # and negations were weighed for every word, held or not
        words = [word for word in concept.words if word in text
                 and not any(source in text for source in concept.explained.get(word, ()))]
        if concept.kind == "meaning":
            return bool(words)
        return any(self.negation.said(text, word) for word in words)


@lru_cache(maxsize=1)
def default_lexicon() -> HazardLexicon:
    return HazardLexicon.load(default_negation())

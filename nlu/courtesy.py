"""Courtesy openings before a problem ("喂你好，我是海涛社区的，楼下垃圾桶满了").

Hotline transcripts nearly always start with a greeting, and the dialogue model, which learned
greetings from short messages, may read the whole call as one. `strip_courtesy` removes the
openings configured in settings/courtesy.yml so that the rest can be judged on its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import FrozenSet, List, Pattern

from common.paths import SETTINGS_DIR
from common.yaml_file import read_yaml


class CourtesySettingsError(ValueError):
    pass


@dataclass(frozen=True)
class CourtesySettings:
    openings: Pattern[str]
    closings: Pattern[str]
    preambles: Pattern[str]
    min_remaining_chars: int
    min_problem_confidence: float
    courtesy_intents: FrozenSet[str]
    uncertain_below: float
    ambiguity_below: float


# Between and after openings: punctuation, spaces and the particles that close a greeting.
_SEPARATORS = r"[\s，。！？、；：,.!?;:~～…呀啊呢吧哈嘛]*"


@lru_cache(maxsize=1)
def courtesy_settings() -> CourtesySettings:
    path = SETTINGS_DIR / "courtesy.yml"
    data = read_yaml(path, CourtesySettingsError, "the courtesy openings")
    if not isinstance(data, dict):
        raise CourtesySettingsError(f"{path}: expected a mapping with openings, min_remaining_chars, "
                                    "min_problem_confidence, courtesy_intents")
    openings = data.get("openings")
    if not openings or not all(isinstance(o, str) and o.strip() for o in openings):
        raise CourtesySettingsError(f"{path}: openings must be a non-empty list of phrases")
    try:
        min_chars = int(data.get("min_remaining_chars", 4))
        min_confidence = float(data.get("min_problem_confidence", 0.55))
        uncertain_below = float(data.get("uncertain_below", 0.45))
        ambiguity_below = float(data.get("ambiguity_below", 0.05))
    except (TypeError, ValueError) as exc:
        raise CourtesySettingsError(f"{path}: min_remaining_chars / min_problem_confidence: {exc}") from exc
    if not 0.0 <= min_confidence <= 1.0:
        raise CourtesySettingsError(f"{path}: min_problem_confidence must lie in 0–1, got {min_confidence}")
    closings = data.get("closings") or []
    if not all(isinstance(c, str) and c.strip() for c in closings):
        raise CourtesySettingsError(f"{path}: closings must be a list of phrases")
    preambles = data.get("preambles") or []
    if not all(isinstance(p, str) and p.strip() for p in preambles):
        raise CourtesySettingsError(f"{path}: preambles must be a list of phrases")
    pattern = _leading(openings)
    endings = "|".join(re.escape(c.strip()) for c in sorted(closings, key=len, reverse=True)) or "(?!)"
    closing = re.compile(rf"(?:{_SEPARATORS}(?:{endings}))+{_SEPARATORS}$", re.IGNORECASE)
    return CourtesySettings(openings=pattern, closings=closing, preambles=_leading(openings + preambles),
                            min_remaining_chars=min_chars,
                            min_problem_confidence=min_confidence,
                            courtesy_intents=frozenset(data.get("courtesy_intents") or ["greet"]),
                            uncertain_below=uncertain_below, ambiguity_below=ambiguity_below)


def _leading(phrases: List[str]) -> Pattern[str]:
    """Any run of ``phrases`` (longest first, so that 尊敬的领导 wins over 领导) at the start of a text."""
    alternatives = "|".join(re.escape(p.strip()) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"^(?:{_SEPARATORS}(?:{alternatives}))+{_SEPARATORS}", re.IGNORECASE)


def strip_courtesy(text: str) -> str:
    """The message without its leading courtesy openings and its closing thanks (「…麻烦尽快修一下，谢谢」)."""
    settings = courtesy_settings()
    return settings.closings.sub("", settings.openings.sub("", text.strip(), count=1), count=1)


def carries_content(text: str) -> bool:
    """True when enough is left after the openings and the place to be more than a greeting or
    an address (「海景花园8栋」 is an answer, 「海景花园8栋电梯坏了三天了」 a report)."""
    from nlu.location import text_without_place  # the place parser loads the gazetteer's words

    remainder = text_without_place(strip_courtesy(text))
    return sum(ch.isalnum() for ch in remainder) >= courtesy_settings().min_remaining_chars


def problem_text(text: str) -> str:
    """The problem as a ticket states it: the resident's words without the openings, closings and
    preambles around them (「嗯你好我想反映一下就是海景二路下水道冒污水」 → 「海景二路下水道冒污水」); the
    words as said when nothing would be left of them."""
    settings = courtesy_settings()
    said = text.strip()
    rest = settings.closings.sub("", settings.preambles.sub("", said, count=1), count=1)
    return rest if sum(ch.isalnum() for ch in rest) >= 2 else said


#: what a preamble says when it announces a report (「我想反映一下」「我要投诉」), not a mere filler (「就是」)
_ANNOUNCING = re.compile(r"反映|投诉|举报")


def announces_report(text: str) -> bool:
    """「我想反映一下就是…」 followed by a problem: the resident says a report follows, whatever the
    intent model made of the rest (a hotline caller's 「我们那个海景花园啊三栋那个电梯又坏了」)."""
    said = (text or "").strip()
    rest = courtesy_settings().preambles.sub("", said, count=1)
    return bool(_ANNOUNCING.search(said[:len(said) - len(rest)])) and carries_content(rest)

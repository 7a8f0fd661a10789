"""A hotline call's transcript read as a report: the caller's turns are the report, the operator's
turns are context (settings/voice.yml).

Speech recognition writes what was said, pauses and all: fillers (嗯、啊、那个、就是), words said
twice (「那个那个」「坏了坏了」), no punctuation, numbers as words (「一百八十八号」「七零二」). The
caller's turns are cleaned of these; a turn that answers an operator's question about the place is
the call's place, not another problem, and a bare number answering 「几栋」 or 「房号」 gets its unit.
Spoken numbers and place names that ASR wrote as homophones are the address reader's business
(nlu/numerals.py, the gazetteer's pinyin index).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Pattern, Sequence

from pydantic import BaseModel, Field, ValidationError, validator

from common.paths import SETTINGS_DIR
from common.yaml_file import read_yaml
from nlu.correction import repaired
from nlu.normalize import normalize_text
from nlu.numerals import digits_in_address

SPEAKERS = ("caller", "agent")
_SPOKEN_DIGITS = re.compile(r"^[零〇一二两三四五六七八九十百幺\d]{1,5}$")
# a run of 2–4 Chinese characters said again at once (「那个那个」「坏了坏了」), or one said three
# times or more (「我我我」); a single character doubled (「谢谢」「刚刚」) is a word, not a stumble
_REPEATED_RUN = re.compile(r"([\u4e00-\u9fff]{2,4})\1+")
_STUTTER = re.compile(r"([\u4e00-\u9fff])\1{2,}")
_PUNCT_RUN = re.compile(r"[，。、\s]*([，。])[，。、\s]*")


class VoiceSettingsError(ValueError):
    pass


class ContextRule(BaseModel):
    asks: List[str] = Field(..., min_items=1)
    answer: str = "place"
    unit: Optional[str] = None

    @validator("answer")
    def _known(cls, value: str) -> str:
        if value != "place":
            raise ValueError("answer must be place")
        return value


class Limits(BaseModel):
    max_segments: int = Field(3000, ge=1)
    max_chars: int = Field(60000, ge=1)
    max_segment_chars: int = Field(2000, ge=1)


class VoiceSettings(BaseModel):
    fillers: List[str] = []
    context: List[ContextRule] = []
    limits: Limits = Limits()
    ask: Dict[str, str] = {}

    def filler_pattern(self) -> Optional[Pattern[str]]:
        words = sorted({w for w in self.fillers if w.strip()}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, words))) if words else None


@lru_cache(maxsize=1)
def voice_settings() -> VoiceSettings:
    path = SETTINGS_DIR / "voice.yml"
    try:
        return VoiceSettings.parse_obj(read_yaml(path, VoiceSettingsError, "the voice settings") or {})
    except ValidationError as exc:
        raise VoiceSettingsError(f"{path}: {exc}") from exc


class Segment(BaseModel):
    speaker: str
    text: str
    start: float = 0.0
    end: Optional[float] = None


def clean_turn(text: str, settings: Optional[VoiceSettings] = None) -> str:
    """One caller turn without fillers, stumbles and stray punctuation; numbers of buildings,
    units and rooms as digits."""
    settings = settings or voice_settings()
    text = normalize_text(text, max_chars=settings.limits.max_segment_chars)
    fillers = settings.filler_pattern()
    if fillers is not None:
        text = fillers.sub("", text)
    text = _REPEATED_RUN.sub(r"\1", text)
    text = _STUTTER.sub(r"\1", text)
    text = digits_in_address(text)
    return _PUNCT_RUN.sub(r"\1", text).strip("，。、 ")


@dataclass
class ReadCall:
    """What the call says: the report (the caller's problem turns) and the place answers."""

    report: str = ""
    place: str = ""
    caller_turns: int = 0
    place_turns: List[str] = field(default_factory=list)


def _rule_for(question: str, settings: VoiceSettings) -> Optional[ContextRule]:
    return next((rule for rule in settings.context if any(word in question for word in rule.asks)), None)


def read_call(segments: Sequence[Segment], settings: Optional[VoiceSettings] = None) -> ReadCall:
    """The call in time order: the caller's cleaned turns, each read in the light of the
    operator's last question before it."""
    settings = settings or voice_settings()
    read = ReadCall()
    report: List[str] = []
    question: Optional[ContextRule] = None
    for segment in sorted(segments, key=lambda s: s.start):
        if segment.speaker == "agent":
            question = _rule_for(normalize_text(segment.text), settings)
            continue
        turn = clean_turn(segment.text, settings)
        if not turn:
            continue
        read.caller_turns += 1
        if question is not None:
            if question.unit and _SPOKEN_DIGITS.match(turn):
                turn = digits_in_address(turn + question.unit)
            read.place_turns.append(repaired(turn))  # 「六栋 不对 是七栋」: the building meant
            question = None
            continue
        report.append(turn)
    read.report = "。".join(report)
    read.place = "".join(read.place_turns)  # 「海涛花园」「7栋」「702室」 read as one address
    return read

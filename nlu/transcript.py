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
from nlu.correction import read_correction, repaired
from nlu.contact import only_a_phone
from nlu.courtesy import problem_text, strip_courtesy
from nlu.locate import locate
from nlu.location import GATE_WORD, text_without_place
from nlu.vague import is_bare_request, names_no_thing, with_thing_named
from nlu.normalize import normalize_text
from nlu.numerals import digits_in_address
from nlu.pressing import asks_how_soon

SPEAKERS = ("caller", "agent")
_SPOKEN_DIGITS = re.compile(r"^[零〇一二两三四五六七八九十百幺\d]{1,5}$")
# a run of 2–4 Chinese characters said again at once (「那个那个」「坏了坏了」), or one said three
# times or more (「我我我」); a single character doubled (「谢谢」「刚刚」) is a word, not a stumble
_REPEATED_RUN = re.compile(r"([\u4e00-\u9fff]{2,4})\1+")
_STUTTER = re.compile(r"([\u4e00-\u9fff])\1{2,}")
_PUNCT_RUN = re.compile(r"[，。、\s]*([，。])[，。、\s]*")
#: 「是一二三四五吗」「这里是市民热线吧」: a caller checking the number they rang, no part of what they report
_HOTLINE_ASKED = re.compile(r"(?:请问)?(?:这里|这)?是(?:不是)?(?:12345|一二三四五|幺二三四五|市民热线|政府热线|热线)(?:吗|啊|吧|呀)?")
#: 「六动」「六冻」 after a number, where 栋 belongs (a building, before its unit, lift or door): the recogniser's homophone
_BUILDING_HEARD = re.compile(r"([零〇一二两三四五六七八九十百幺\d]+)[动冻](?=$|[\s，。的]|[零〇一二两三四五六七八九十幺\d]+单元|"
                             r"楼|电梯|门口|旁边|下面|底下|前面|后面)")


class VoiceSettingsError(ValueError):
    pass


#: what an operator's question makes of the caller's next turn (settings/voice.yml context)
ANSWERS = ("place", "confirm", "more")


class ContextRule(BaseModel):
    asks: List[str] = Field(..., min_items=1)
    answer: str = "place"
    unit: Optional[str] = None

    @validator("answer")
    def _known(cls, value: str) -> str:
        if value not in ANSWERS:
            raise ValueError(f"answer must be one of {', '.join(ANSWERS)}")
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
    # normalised first: a phone or ID number said digit by digit (「幺三九 一二三四 五六七八」) is digits before
    # stumbles are taken out (「…一零一一…」 in an ID number is no word said twice)
    text = normalize_text(text, max_chars=settings.limits.max_segment_chars)
    fillers = settings.filler_pattern()
    if fillers is not None:
        text = fillers.sub("", text)
    text = _HOTLINE_ASKED.sub("", text)
    text = _REPEATED_RUN.sub(r"\1", text)
    text = _STUTTER.sub(r"\1", text)
    text = digits_in_address(_BUILDING_HEARD.sub(r"\1栋", text))
    return _PUNCT_RUN.sub(r"\1", text).strip("，。、 ")


@dataclass
class ReadCall:
    """What the call says: the report (the caller's problem turns) and the place answers."""

    report: str = ""
    place: str = ""
    contact: str = ""  # a phone number the caller gave in a turn of its own (「一三八 零零一三 八零零零」)
    #: what the caller gave when asked besides the problem (an ID number: 「身份证号：…」), kept on the report
    details: List[str] = field(default_factory=list)
    withdrawn: bool = False  # the caller took back what they were about to report (「算了算了 不说了」)
    caller_turns: int = 0
    place_turns: List[str] = field(default_factory=list)
    #: what the operator's question asking for the place named besides where (「路灯是哪一栋」 → 「路灯」), if anything
    place_about: List[str] = field(default_factory=list)


def _rule_for(question: str, settings: VoiceSettings) -> Optional[ContextRule]:
    return next((rule for rule in settings.context if any(word in question for word in rule.asks)), None)


#: a caller's yes to an operator reading the report back (「对对对」「是的」「没错，就是这个」), before anything more
_YES = re.compile(r"^(?:对的?|是的?|没错|嗯|好的?|就是这个|就这个|就是这样|这个)+[，。、\s]*")
#: a caller with nothing more to report, asked whether there is (「没有了，谢谢」); thanks or a goodbye alone too
_NOTHING_MORE = re.compile(r"^(?:没有了?|没了|没别的了?|没其他的?了?|就这些了?|就这个了?|就这样了?|好的?|行|可以了?)?"
                           r"[，。、\s]*(?:(?:谢谢(?:你|你们|您)?了?|再见|拜拜|辛苦了?|麻烦了?|麻烦你们了?)[，。、\s]*)*$")
#: what a caller adds to a repair (「不是六栋是九栋，我说错了」): no part of what they meant
_OWN_SLIP = re.compile(r"[，。、\s]*(?:我|刚才)?(?:说错了|搞错了|记错了|讲错了|弄错了)[了啊]?$")
#: a building, unit or room number and its kind: what a bare 「不对，是九栋」 replaces
_NUMBERED_PART = re.compile(r"\d+(号楼|栋|幢|座|单元|室)")
#: how long what is left of a request naming only what it is about may be (「我要投诉物业」 → 「物业」)
_TARGET_ONLY_CHARS = 4
#: how long a turn asking the operator how soon may be and say nothing more (「那大概多久能来修啊」 is 9)
_QUESTION_ONLY_CHARS = 12
#: an ID number said in a turn of its own (asked for by the operator)
_ID_ONLY = re.compile(r"(?:我的?)?(?:身份证号?码?是?)?(\d{17}[\dXx])")
#: a caller taking back the report before telling it (「算了算了 不说了 没事了」)
_WITHDRAWN = re.compile(r"(?:算了|不说了|没事了|不用了|不反映了|不投诉了|不报了|不麻烦了|[，。、\s])+")
#: a no said before what is meant, without a pause between them
_DENIED_THEN_SAID = re.compile(r"^(不是|不对)[，。、\s]*(?=是)")
#: a gate: what a bare 「不是，是北门」 replaces (「锦绣家园东门那个路灯不亮了」, 「东门是吧」)
_GATE_PART = re.compile(GATE_WORD)


#: what a caller says around their address when giving it first (「我是海景花园的，六栋」「我家住在…」)
_SELF_PLACED = re.compile(r"我们?|咱们?|是|家|住在?|在|的|这边|那边|这里|那里|[，。、\s]")


def only_a_place(turn: str) -> bool:
    """The turn names a place and says nothing else: 「我是海景花园的，六栋」, not 「锦绣家园3栋漏水」 (two characters
    of problem are a problem: nlu/courtesy's bar of four for a chat message would take them for an address)."""
    return locate(turn).found and not _SELF_PLACED.sub("", text_without_place(turn))


def _corrected(texts: List[str], turn: str) -> Optional[List[str]]:
    """``texts`` (the report and place said so far) with the repair ``turn`` makes of an operator's read-back
    read in (「六栋是吧」「不是六栋，是九栋，我说错了」: the report and its place say 9栋); None when ``turn``
    repairs nothing. A repair naming only the new building (「不对，是九栋」) replaces the last one said."""
    # 「不是不是 是北门」 reaches here as 「不是是北门」, which reads as taking back 「是北门」
    correction = read_correction(_DENIED_THEN_SAID.sub(r"\1，", turn))
    if correction is None:
        return None
    pairs = [(old, _OWN_SLIP.sub("", new)) for old, new in correction.pairs]
    new = _OWN_SLIP.sub("", correction.said or "")
    said = _NUMBERED_PART.fullmatch(new) or _GATE_PART.fullmatch(new)
    if not pairs and said:
        kind = re.compile(rf"\d+{said.group(1)}") if said.re is _NUMBERED_PART else _GATE_PART
        last = next((m.group(0) for text in reversed(texts) for m in reversed(list(kind.finditer(text)))), None)
        pairs = [(last, said.group(0))] if last else []
    if not pairs:
        return None
    for old, new in pairs:
        if old and new:
            texts = [_replaced(text, old, new) for text in texts]
    return texts


def _replaced(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` said as ``new``, without saying twice what ``new`` repeats of the words before
    ``old`` (「锦绣家园3栋楼上漏水」, 「不是漏水，是楼上天天往下扔垃圾」: 楼上 once)."""
    at = text.find(old)
    if at < 0:
        return text
    before = text[:at]
    overlap = next((n for n in range(min(len(before), len(new)), 0, -1) if before.endswith(new[:n])), 0)
    return before + new[overlap:] + text[at + len(old):]


#: what an operator's question says around asking where (「请问」「那个」「是」「在」)
_ASKING_AROUND = re.compile(r"请问|您|你|那个|这个|是|在|的|呢|啊|吗|一下|具体|[，。？?、\s]")


def _about(question: str, settings: VoiceSettings) -> str:
    """What the operator's question names besides the place it asks for: 「路灯是哪一栋」 → 「路灯」, 「几栋」 → 「」."""
    asks = sorted({word for r in settings.context if r.answer == "place" for word in r.asks}, key=len, reverse=True)
    rest = re.sub("|".join(map(re.escape, asks)), "", question) if asks else question
    return _ASKING_AROUND.sub("", rest)


def read_call(segments: Sequence[Segment], settings: Optional[VoiceSettings] = None) -> ReadCall:
    """The call in time order: the caller's cleaned turns, each read in the light of the
    operator's last question before it: a place answer is the call's place; a yes to a read-back
    adds nothing (a repair of it corrects the report); 「没有了，谢谢」 to 「还有别的吗」 ends the report."""
    settings = settings or voice_settings()
    read = ReadCall()
    report: List[str] = []
    question: Optional[ContextRule] = None
    asked_text = ""
    for segment in sorted(segments, key=lambda s: s.start):
        if segment.speaker == "agent":
            asked_text = normalize_text(segment.text)
            question = _rule_for(asked_text, settings)
            continue
        turn = clean_turn(segment.text, settings)
        if not turn:
            continue
        read.caller_turns += 1
        asked, question = question, None
        answer = asked.answer if asked else None
        if asked is not None and answer == "place":
            if asked.unit and _SPOKEN_DIGITS.match(turn):
                turn = digits_in_address(turn + asked.unit)
            read.place_turns.append(repaired(turn))  # 「六栋 不对 是七栋」: the building meant
            read.place_about.append(_about(asked_text, settings))
            continue
        if answer == "confirm":
            corrected = _corrected(report + read.place_turns, turn)
            if corrected is not None:
                report, read.place_turns = corrected[:len(report)], corrected[len(report):]
                continue
            turn = _YES.sub("", turn)
            if not turn or turn in digits_in_address(asked_text) or turn in "".join(report):
                continue  # 「对 十五号」 to 「幸福路十五号是吧」: a yes, and what was read back or reported said again
        if _NOTHING_MORE.fullmatch(turn) and (answer == "more" or report):
            continue  # 「没有了，谢谢」「谢谢」: the end of the call, no problem
        phone = only_a_phone(turn)
        if phone:
            read.contact = phone  # 「一三八 零零一三 八零零零」 asked for a number: whom to call back, not the problem
            continue
        id_number = _ID_ONLY.fullmatch(turn)
        if id_number:
            read.details.append(f"身份证号：{id_number.group(1)}")  # asked for: kept, not a sentence of the problem
            continue
        if not report and _WITHDRAWN.fullmatch(turn):
            read.withdrawn = True
            continue
        if report and asks_how_soon(turn) and len(turn) <= _QUESTION_ONLY_CHARS:
            continue  # 「那大概多久能来修啊」: a question to the operator, not 「那什么时候能来修，水都漫到楼道了」
        if not report and not strip_courtesy(turn):
            continue  # 「喂」 left of 「喂 是一二三四五吗」: a greeting, no problem
        if is_bare_request(turn):
            continue  # 「我要反映一下」 before the problem itself (alone, the call still lacks a problem)
        if not report and only_a_place(turn):
            read.place_turns.append(repaired(turn))  # 「我是海景花园的，六栋」 before saying what happened
            continue
        if len(report) == 1 and names_no_thing(report[0]) and not only_a_place(turn):
            # 「那个东西又坏了」, 「什么东西坏了」, 「就是楼道的灯 海景花园三栋的」: the thing named completes the problem
            # (it was 「东西又坏了。楼道的灯海景花园3栋的」); the place said with it is the call's place
            place = locate(turn).address
            if place.text:
                read.place_turns.append(repaired(turn))
            report[0] = with_thing_named(turn.replace(place.text or "", "").strip("的，。 "), report[0])
            continue
        if report and len(report[-1]) <= _TARGET_ONLY_CHARS and report[-1] in turn:
            report.pop()  # 「我要投诉 投诉那个 物业」, then 「物业乱收费…」: the target said first is in the problem told
        report.append(problem_text(turn) if not report else turn)  # 「喂你好，…」: the openings are no problem
    read.report = "。".join(report) + "".join(f"（{detail}）" for detail in read.details if report)
    read.place = "".join(read.place_turns)  # 「海涛花园」「7栋」「702室」 read as one address
    return read

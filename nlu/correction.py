"""Reading a correction: 「不对，是32栋，不是59栋」 → said 「32栋」, withdrawn 「59栋」.

Residents correct in a few fixed shapes — an opener (不对/错了/应该是/改成, settings/
conversation.yml), 「不是X，是Y」 or 「是Y不是X」. What is said is read again by the place and
problem-type models; what is withdrawn only explains the change to an operator.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Pattern, Tuple

from nlu.conversation_settings import conversation_settings
from nlu.normalize import normalize_text

_CLAUSES = re.compile(r"[，,。！？!?；;…\s]+|(?<!\d)\.|\.(?!\d)")
#: the thing a resident says is wrong before an opener: 「地址错了」「楼号写错了」
_TOPIC = r"(?:地址|地点|位置|楼号|楼栋号?|栋号|单元号?|门牌号?|房号|房间号|问题|类别|分类|类型|紧急程度|刚才|前面|上面)?"
#: what a speaker says before taking something back: 「哎不对」「哦不对不对」「哎呀」
_INTERJECTION = r"[哎唉啊嗯哦噢呃诶欸额呀]+"
_AFFIRMING = re.compile(rf"^{_TOPIC}(?:而是|应该是|就是|其实是|主要是|还是|是)")
_NOT = re.compile(rf"^(?:{_INTERJECTION})?(?:也|又)?(?:而不是|并不是|不是)")
_NOT_THEN_IS = re.compile(rf"^(?:{_INTERJECTION})?(?:也|又)?(?:而不是|并不是|不是)(.+?)(?:，|,)?(?:而是|还是|就是|主要是|是)(.+)$")
_IS_THEN_NOT = re.compile(r"^(?:是)?(.+?)(?:，|,)?(?:而不是|并不是|不是)(.+)$")
#: 「不是」「哦不是」 alone: what was just said is taken back, and what follows replaces it
_BARE_NO = re.compile(rf"^(?:{_INTERJECTION})?(?:也|又)?不是$")
#: a speaker repairing mid-sentence (「桥东社区三栋不对是四栋」; normalised text has no spaces):
#: the clause is cut before 「不对」 (not in 「对不对」) and before 「重新说」
_REPAIR = re.compile(rf"(?<!对)(?<![哎唉啊嗯哦噢呃诶欸额呀])(?<!^)(?=(?:{_INTERJECTION})?(?:不对|重新说|重说))")
_NUMBER = r"(?:\d+|[零一二两三四五六七八九十百]+)"
#: a building/unit/room/floor number; 「三栋」 taken back by 「四栋」 keeps the place before it
_FINE_PART = re.compile(rf"{_NUMBER}(号楼|栋|幢|座|单元|楼|层|室|号|$)")
#: a building, unit or room repaired in the middle of a report (repair_in_report): the number taken back,
#: 「不对」, and a number of the same kind, after something else was said first
_REPAIR_IN_REPORT = re.compile(rf"(?<=\S)(?P<old>{_NUMBER}(?P<kind>号楼|栋|幢|座|单元|室))[，,]?(?:{_INTERJECTION})?"
                               rf"不对(?:不对)?[，,]?(?:应该是|是)?(?P<new>{_NUMBER}(?P=kind))")


#: a number said alone in a correction (「不对，是1202」「302号」): a room where the place has its building
#: (actions/corrections.place_said)
BARE_ROOM = re.compile(r"^(?:是|在)?(\d{3,4})(?:号|室|房)?$")


@dataclass
class Correction:
    said: str
    withdrawn: List[str] = field(default_factory=list)
    #: (taken back, said instead) for each 「不是X是Y」 / 「是Y不是X」 of the message, in its order
    pairs: List[Tuple[str, str]] = field(default_factory=list)

    def replacing(self) -> str:
        """What is said, from the words that replace those taken back on: a clause before them says nothing
        of the problem (「确认前说一下，不是噪音，是灰尘太大」 was read with 「确认前说一下」, and the dust went to
        城市公共设施)."""
        first = self.pairs[0][1] if self.pairs else ""
        return self.said[self.said.index(first):] if first and first in self.said else self.said

    def to_dict(self) -> Dict[str, object]:
        return {"said": self.said, "withdrawn": list(self.withdrawn), "pairs": [list(p) for p in self.pairs]}


@lru_cache(maxsize=1)
def _opener() -> Pattern[str]:
    words = "|".join(map(re.escape, conversation_settings().correction_openers))
    return re.compile(rf"^(?:{_INTERJECTION})?我?{_TOPIC}(?:写|说|填|记|弄)?(?:{words})(?:了|的)?")


class _Reading:
    """Said and withdrawn so far, in the order the resident spoke: what is said later wins.

    「不对是8栋，哦不对还是6栋」 takes 8栋 back; 「不是油烟，是噪音，哎也不是噪音还是油烟」 ends
    with 油烟 said and 噪音 withdrawn. An opener after something was said takes back the clause
    said just before it, once the resident says what replaces it (「…6栋，我记错了」 takes nothing
    back: nothing follows)."""

    def __init__(self) -> None:
        self.said: List[str] = []
        self.withdrawn: List[str] = []
        self.pairs: List[Tuple[str, str]] = []
        self.open_pair: Optional[str] = None  # 「不是噪音，」 waiting for its 「是油烟」
        self.retract = False

    def say(self, text: str) -> None:
        if not text:
            return
        if self.retract and self.said:
            text = self._replace(self.said[-1], text)
        self.retract = False
        self.withdrawn = [w for w in self.withdrawn if w != text]
        self.said.append(text)

    def withdraw(self, text: str) -> None:
        if not text:
            return
        self.said = [s for s in self.said if s != text]
        if text not in self.withdrawn:
            self.withdrawn.append(text)

    def _replace(self, previous: str, new: str) -> str:
        """Take ``previous`` back for ``new``: when ``new`` is only a building/unit/room and
        ``previous`` ends with one of the same kind, only that part is taken back."""
        self.said.pop()
        fine = _FINE_PART.fullmatch(new.rstrip("的"))
        old = [m for m in _FINE_PART.finditer(previous) if fine and m.group(1) == fine.group(1)]
        if old and old[-1].start() > 0:
            self.withdraw(previous[old[-1].start():])
            return previous[:old[-1].start()] + new
        self.withdraw(previous)
        return new

    def take_back(self) -> None:
        self.retract = bool(self.said)

    def clause(self, clause: str) -> bool:
        """Sort one clause; True when it is shaped as a correction."""
        shaped = False
        opened = _opener().match(clause)
        while opened and opened.end() > 0:
            clause, shaped = clause[opened.end():], True
            opened = _opener().match(clause)
        if shaped or _BARE_NO.match(clause):
            self.take_back()
            if not shaped:
                return True
        if not clause:
            return shaped
        pair = _NOT_THEN_IS.match(clause)
        if pair:
            self.retract = False
            self.withdraw(pair.group(1))
            self.say(_AFFIRMING.sub("", pair.group(2)))
            self.pairs.append((pair.group(1), self.said[-1] if self.said else ""))
            return True
        if _NOT.match(clause):
            self.retract = False
            self.withdraw(_NOT.sub("", clause))
            self.open_pair = _NOT.sub("", clause)
            return True
        opened, self.open_pair = self.open_pair, None
        pair = _IS_THEN_NOT.match(clause)
        if pair and "不是" in clause:
            self.say(_AFFIRMING.sub("", pair.group(1)))
            self.withdraw(pair.group(2))
            if clause.startswith("是"):  # 「第二个不是垃圾」: 第二个 says which, it replaces nothing
                self.pairs.append((pair.group(2), self.said[-1] if self.said else ""))
            return True
        affirmed = _AFFIRMING.sub("", clause)
        self.say(affirmed)
        if opened and affirmed != clause and self.said:
            self.pairs.append((opened, self.said[-1]))
        return shaped or affirmed != clause and bool(self.withdrawn)


def read_correction(text: str) -> Optional[Correction]:
    """The correction ``text`` makes, or None when it is not shaped as one."""
    reading = _Reading()
    shaped = False
    for sentence in _CLAUSES.split(normalize_text(text or "")):
        for clause in _REPAIR.split(sentence or ""):
            if clause:
                shaped = reading.clause(clause) or shaped
    if not shaped and not reading.withdrawn:
        return None
    # a pair stands when the resident did not take either side back later (「不是油烟是噪音，哎也不是噪音」)
    pairs = [(old, new) for old, new in reading.pairs if old in reading.withdrawn and new in reading.said]
    return Correction(said="，".join(reading.said), withdrawn=list(reading.withdrawn), pairs=pairs)


def repaired(text: str) -> str:
    """What a speaker meant after repairing themselves mid-answer (「锦绣家园六栋不对是七栋」 →
    「锦绣家园七栋」); the text itself when it takes nothing back."""
    correction = read_correction(text)
    return correction.said if correction is not None and correction.said and correction.withdrawn else text


def repair_in_report(text: str) -> str:
    """``text`` (normalised) with each building, unit or room its speaker repaired mid-report read in:
    「海涛社区阳光花园六栋不对是七栋楼下有个化粪池冒出来了」 means 阳光花园七栋, and the report goes on. Read as it
    stands, the message is shaped as a correction with nothing to correct outside any question, and the
    report was answered 「如需反映问题，请直接说明…」 and lost; the normaliser (nlu/normalizer_component.py)
    reads the repair in before the rest of the NLU. Only a number of the same kind right after 「不对」
    replaces one, and only after something else was said first: 「不对，是七栋」 answering a summary is a
    correction and stays one (repaired, above, reads a place answer that is nothing but the repair)."""
    return _REPAIR_IN_REPORT.sub(lambda m: m.group("new"), text)


def _claims() -> List[Tuple[str, str]]:
    """(word, grade) for every word that asks for a grade (settings/conversation.yml urgency_claims),
    longest first: 「不是很急」 before 「很急」."""
    return sorted(((word, level) for level, words in conversation_settings().urgency_claims.items() for word in words),
                  key=lambda pair: len(pair[0]), reverse=True)


def claim_words() -> List[str]:
    return [word for word, _ in _claims()]


#: the words a resident puts around a claim in the clause that says it: 「这个很急」「真的特别急啊」
_AROUND_CLAIM = re.compile(r"[这那个事情真的是也还都啊呀吧了哦嘛，,。!！]")


def opens_with_claim(text: str) -> bool:
    """The message's first clause says only how urgent it is (「很急，有小孩在旁边玩」「不急，慢慢弄」): what
    follows says why, about the problem told — not another problem."""
    first = _CLAUSES.split(normalize_text(text or "").strip(), maxsplit=1)[0]
    word = next((w for w, _ in _claims() if w in first), None)
    return word is not None and not _AROUND_CLAIM.sub("", first.replace(word, "", 1))


def claimed_urgency(text: str) -> Optional[str]:
    """The grade a resident asks for in words (「很急」→紧急, 「不急」→一般), or None."""
    work = normalize_text(text or "")
    for word, level in _claims():
        if word in work:
            return level
    return None

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

_CLAUSES = re.compile(r"[，,。！？!?；;\s]+")
#: the thing a resident says is wrong before an opener: 「地址错了」「楼号写错了」
_TOPIC = r"(?:地址|地点|位置|楼号|楼栋号?|栋号|单元号?|门牌号?|房号|房间号|问题|类别|分类|类型|紧急程度|刚才|前面|上面)?"
#: what a speaker says before taking something back: 「哎不对」「哦不对不对」
_INTERJECTION = r"[哎唉啊嗯哦噢呃诶欸额]+"
_AFFIRMING = re.compile(rf"^{_TOPIC}(?:而是|应该是|就是|其实是|是)")
_NOT = re.compile(r"^(?:而不是|并不是|不是)")
_NOT_THEN_IS = re.compile(r"^(?:而不是|并不是|不是)(.+?)(?:，|,)?(?:而是|是)(.+)$")
_IS_THEN_NOT = re.compile(r"^(?:是)?(.+?)(?:，|,)?(?:而不是|并不是|不是)(.+)$")


@dataclass
class Correction:
    said: str
    withdrawn: List[str] = field(default_factory=list)

    def to_dict(self) -> Dict[str, object]:
        return {"said": self.said, "withdrawn": list(self.withdrawn)}


@lru_cache(maxsize=1)
def _opener() -> Pattern[str]:
    words = "|".join(map(re.escape, conversation_settings().correction_openers))
    return re.compile(rf"^(?:{_INTERJECTION})?{_TOPIC}(?:写|说|填|记|弄)?(?:{words})(?:了|的)?")


def _clause(clause: str, said: List[str], withdrawn: List[str]) -> bool:
    """Sort one clause into said/withdrawn; True when it is shaped as a correction."""
    shaped = False
    opened = _opener().match(clause)
    while opened and opened.end() > 0:
        clause, shaped = clause[opened.end():], True
        opened = _opener().match(clause)
    if not clause:
        return shaped
    pair = _NOT_THEN_IS.match(clause)
    if pair:
        withdrawn.append(pair.group(1))
        said.append(_AFFIRMING.sub("", pair.group(2)))
        return True
    if _NOT.match(clause):
        withdrawn.append(_NOT.sub("", clause))
        return True
    pair = _IS_THEN_NOT.match(clause)
    if pair and "不是" in clause:
        said.append(_AFFIRMING.sub("", pair.group(1)))
        withdrawn.append(pair.group(2))
        return True
    affirmed = _AFFIRMING.sub("", clause)
    said.append(affirmed)
    return shaped or affirmed != clause and bool(withdrawn)


def read_correction(text: str) -> Optional[Correction]:
    """The correction ``text`` makes, or None when it is not shaped as one."""
    said: List[str] = []
    withdrawn: List[str] = []
    shaped = False
    for clause in _CLAUSES.split(normalize_text(text or "")):
        if clause:
            shaped = _clause(clause, said, withdrawn) or shaped
    if not shaped and not withdrawn:
        return None
    return Correction(said="，".join(s for s in said if s), withdrawn=[w for w in withdrawn if w])


def claimed_urgency(text: str) -> Optional[str]:
    """The grade a resident asks for in words (「很急」→紧急, 「不急」→一般), or None."""
    claims: List[Tuple[str, str]] = sorted(
        ((word, level) for level, words in conversation_settings().urgency_claims.items() for word in words),
        key=lambda pair: len(pair[0]), reverse=True)
    work = normalize_text(text or "")
    for word, level in claims:
        if word in work:
            return level
    return None

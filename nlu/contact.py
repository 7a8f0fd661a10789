"""A phone number a resident gives for the call back (「我电话13800001111」): read where it is
asked and where it is offered unasked (at the summary), so that it is never taken for a problem."""
from __future__ import annotations

import re
from typing import Optional

from nlu.normalize import has_meaningful_text

PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
#: the words around a number that only say it is one's number
_AROUND = re.compile(r"我的|我|的|手机号码|手机号|手机|电话号码|电话|联系方式|联系电话|号码|是|打|留个|留|这个|可以|联系|[:：，,。\s-]")


def phone_in(text: str) -> Optional[str]:
    """The first phone number in ``text`` (mobile or landline), or None."""
    found = PHONE.search((text or "").replace(" ", ""))
    return found.group(0) if found else None


def only_a_phone(text: str) -> Optional[str]:
    """The number, when ``text`` says nothing but a phone number (「我电话13800001111」)."""
    number = phone_in(text)
    if not number:
        return None
    rest = _AROUND.sub("", (text or "").replace(" ", "").replace(number, ""))
    return None if has_meaningful_text(rest) else number


#: a number given with the problem (「电话13812345678，楼道灯坏了」「…，我手机是13812345678」) and the words
#: that only say it is one's number
_GIVEN = re.compile(r"[，,。；;\s]*(?:我的|我)?(?:手机号码|手机号|手机|电话号码|联系电话|联系方式|电话|号码)?(?:是|为)?[:：]?\s*"
                    r"(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)[，,。；;\s]*")


#: 「我姓王，」「本人叫王小明。」 said as a clause of its own: who calls, not the problem — a description reaches the
#: department and public answers (「我姓王，东海岸花园的电梯老是困人」 was filed so)
_NAME_GIVEN = re.compile(r"(?:^|[，,。；;\s]+)(?:你好|您好)?[，,\s]*(?:我|本人)(?:姓[\u4e00-\u9fff]|叫[\u4e00-\u9fff]{2,3}|的名字是"
                         r"[\u4e00-\u9fff]{2,3})(?:先生|女士|小姐|阿姨|大爷|大姐|师傅)?(?=[，,。；;\s]|$)[，,。；;\s]*")


def without_phone(text: str) -> str:
    """``text`` without the phone numbers given in it and the words that announce them, nor the caller's name said
    in a clause of its own: the number is the resident's contact, not part of the problem."""
    return _cut(_NAME_GIVEN, _cut(_GIVEN, text or ""))


def _cut(pattern: "re.Pattern[str]", said: str) -> str:
    def cut(match: "re.Match[str]") -> str:
        # between two parts of the message a comma keeps them apart; at either end nothing is left
        return "，" if 0 < match.start() and match.end() < len(said) else ""
    return pattern.sub(cut, said).strip()

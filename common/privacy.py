"""Masking of personal data: phone numbers and ID numbers never appear unmasked in logs,
tickets shown to operators, or API answers."""
from __future__ import annotations

import re

#: a number said or typed digit by digit in words (「一三九一二三四五六七八」, a caller's 「幺三九 一二三四 五六七八」):
#: seven digits or more, a phone or an ID number rather than a building or a room
_SPOKEN_NUMBER = re.compile(r"[零〇一二三四五六七八九幺](?:[\s，、]*[零〇一二三四五六七八九幺]){6,}")
_SPOKEN_DIGIT = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0", "幺": "1"}
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<![\dXx])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])")


def spoken_digits(text: str) -> str:
    """Numbers said digit by digit in words written as digits: 「电话幺三九一二三四五六七八」→「电话13912345678」."""
    return _SPOKEN_NUMBER.sub(lambda m: "".join(_SPOKEN_DIGIT.get(c, "") for c in m.group(0)), text)


def mask_pii(text: str) -> str:
    """「13812345678」→「138****5678」, ID numbers keep the region code and the last 4 characters; a number
    written in words (「一三九一二三四五六七八」) is masked as the digits it says."""
    if not text:
        return text
    text = spoken_digits(text)
    text = _ID_CARD.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


def mask_id(value: str) -> str:
    """A channel user id (a WeChat openid, a caller number) as operators and APIs may show it:
    enough to tell two residents apart in a queue, not enough to contact or track one."""
    if not value:
        return value
    value = mask_pii(value)
    if len(value) <= 6:
        return value[0] + "*" * (len(value) - 1)
    return f"{value[:3]}****{value[-3:]}"

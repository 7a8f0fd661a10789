"""Masking of personal data: phone numbers and ID numbers never appear unmasked in logs,
tickets shown to operators, or API answers."""
from __future__ import annotations

import re

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<![\dXx])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])")


def mask_pii(text: str) -> str:
    """「13812345678」→「138****5678」, ID numbers keep the region code and the last 4 characters."""
    if not text:
        return text
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

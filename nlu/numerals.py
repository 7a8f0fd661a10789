"""Spoken Chinese numbers → digits, only where they are house, building, unit or room numbers.

cn2an converts every numeral it sees, which would also rename roads (团岛二路 is a name, not
团岛2路), so we convert just the numerals followed by an address unit, and the digit-by-digit
room numbers residents and ASR produce (「二号楼七二一」).
"""
from __future__ import annotations

import re

import cn2an

_DIGITS = "零〇一二两三四五六七八九"
_NUM = f"[{_DIGITS}幺十百千]+"  # 幺: one as said in numbers on the phone (「幺栋」「幺零二」)
_DIGIT_MAP = {c: str(i) for i, c in enumerate("零一二三四五六七八九")}
_DIGIT_MAP.update({"〇": "0", "两": "2", "幺": "1"})

# numeral + unit, e.g. 十一栋, 三单元, 一百八十八号, 七楼 (floor)
_UNIT_NUMERAL = re.compile(rf"({_NUM})(?=(号楼|栋|幢|座|单元|室|号|层|楼|户|期|至|到|-))")
# a run of three or four single digits right after a building/unit marker: 七二一 → 721
_ROOM_DIGITS = re.compile(rf"(?<=[号楼栋幢座元\d])([{_DIGITS}幺]{{3,4}})(?![十百千号楼栋])")


def _to_int_text(numeral: str) -> str:
    if all(ch in _DIGIT_MAP for ch in numeral):
        return "".join(_DIGIT_MAP[ch] for ch in numeral)
    try:
        return str(int(cn2an.cn2an(numeral.replace("两", "二"), "smart")))
    except (ValueError, KeyError):
        return numeral


def digits_in_address(text: str) -> str:
    """「二号楼七二一」→「2号楼721」, 「十一至十四栋」→「11至14栋」; road names stay as they are."""
    text = _UNIT_NUMERAL.sub(lambda m: _to_int_text(m.group(1)), text)
    return _ROOM_DIGITS.sub(lambda m: _to_int_text(m.group(1)), text)

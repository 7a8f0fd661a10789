"""Rule-based extraction of a Chinese address from free text.

Finds administrative levels (省/市/区县/街道), the estate or community, road and house number,
a point of interest, and building/unit/room, after turning spoken numerals into digits. Names
are bounded by function characters (的, 在, 我们 …) because Chinese has no spaces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from nlu.address import Address
from nlu.normalize import normalize_text
from nlu.numerals import digits_in_address

# characters that never belong to a place name: they start or end the name
_STOP = "的在于到是住我们你他她这那个有了和与及跟就都也还把被给从向往对说请帮麻烦啊吧呢吗哦嗯家旁附近对面楼下上"
_N = rf"(?:(?![{_STOP}])[\u4e00-\u9fffA-Za-z])"

_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_PATTERNS: List[Tuple[str, re.Pattern]] = [
    ("province", re.compile(rf"({_N}{{2,3}}?(?:省|自治区))")),
    ("city", re.compile(rf"({_N}{{2,4}}?市)(?!场|民|政|容|区)")),
    ("district", re.compile(rf"({_N}{{2,3}}?(?:区|县))")),
    ("street", re.compile(rf"({_N}{{2,6}}?(?:街道|镇|乡))")),
    ("road", re.compile(rf"({_N}{{1,6}}?(?:大道|大街|路|街|巷|胡同))(?![道口灯面况子线费])")),
    ("community", re.compile(
        rf"({_N}{{2,8}}?(?:社区|小区|花园|家园|新村|公寓|大厦|苑|府|庭|村)(?:[A-Za-z\d]+区)?)")),
    ("poi", re.compile(
        rf"({_N}{{2,8}}?(?:公园|广场|小学|中学|大学|学校|幼儿园|医院|卫生院|体育馆|游泳馆|图书馆|"
        r"菜市场|农贸市场|超市|商场|地铁站|公交站|火车站|派出所|银行|酒店|饭店|餐馆|菜场))")),
]
_NOT_DISTRICT = ("小区", "社区", "园区", "校区", "片区", "景区", "城区", "市区", "郊区", "辖区", "厂区", "营业区")
_HOUSE_NUMBER = re.compile(r"^(\d+(?:-\d+)?)号(?![楼院])")
_BUILDING = re.compile(r"(\d+(?:[至到-]\d+)?|[A-Za-z])\s*(?:号楼|栋|幢|座|#楼|号院)")
_UNIT = re.compile(r"(\d+)\s*单元")
_ROOM = re.compile(r"(\d{3,4})\s*(?:室|房|号房|户)")
_BARE_ROOM = re.compile(r"(?:号楼|栋|幢|座|单元)\s*(\d{3,4})(?![\d号楼栋])")


@dataclass
class LocationMatch:
    address: Address
    start: int
    end: int


def _generic(field: str, value: str) -> bool:
    if field == "district":
        return value.endswith(_NOT_DISTRICT)
    if field == "road":
        return any(w in value for w in ("门口", "小区", "马路", "道路", "公路", "这条", "那条", "一条"))
    if field == "city":
        return value.endswith("城市")
    if field == "community":
        return value in ("小区", "社区")
    return False


def extract_location(text: str) -> Optional[LocationMatch]:
    """Return the address found in ``text`` with its span, or None when no place is named."""
    if not text:
        return None
    work = digits_in_address(text)
    # digits_in_address shortens the text; spans are kept in ``work`` and mapped back by search.
    address = Address()
    taken = [False] * len(work)
    spans: List[Tuple[int, int]] = []

    def claim(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        for i in range(start, end):
            taken[i] = True
        spans.append((start, end))
        return True

    for municipality in _MUNICIPALITIES:
        pos = work.find(municipality)
        if pos >= 0 and claim(pos, pos + len(municipality)):
            address.province, address.city = municipality, municipality
    for field, pattern in _PATTERNS:
        if getattr(address, field):
            continue
        for seg_start, seg_end in _free_segments(taken):
            m = next((m for m in pattern.finditer(work, seg_start, seg_end)
                      if not _generic(field, m.group(1))), None)
            if m is None:
                continue
            claim(m.start(1), m.end(1))
            setattr(address, field, m.group(1))
            if field == "road":
                hn = _HOUSE_NUMBER.match(work[m.end(1):seg_end])
                if hn:
                    address.house_number = hn.group(1)
                    claim(m.end(1), m.end(1) + hn.end())
            break
    for field, pattern in (("building", _BUILDING), ("unit", _UNIT), ("room", _ROOM)):
        m = pattern.search(work)
        if m and claim(m.start(), m.end()):
            setattr(address, field, m.group(1).upper())
    if not address.room:
        m = _BARE_ROOM.search(work)
        if m:
            address.room = m.group(1)
            spans.append((m.start(1), m.end(1)))
    if not spans:
        return None
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    address.text = work[start:end]
    # map the span back onto the original text when the numerals were converted
    if work != text:
        start, end = _span_in_original(text, work, start, end)
    return LocationMatch(address=address, start=start, end=end)


def _free_segments(taken: List[bool]) -> List[Tuple[int, int]]:
    """Maximal runs of characters that no field has claimed yet."""
    segments, start = [], None
    for i, used in enumerate(taken + [True]):
        if not used and start is None:
            start = i
        elif used and start is not None:
            segments.append((start, i))
            start = None
    return segments


def _span_in_original(original: str, work: str, start: int, end: int) -> Tuple[int, int]:
    """Approximate the span in the original text: same start prefix, proportional end."""
    prefix = work[:start]
    o_start = original.find(prefix[-4:]) + len(prefix[-4:]) if prefix else 0
    o_start = max(0, min(o_start, len(original)))
    suffix = work[end:]
    o_end = len(original) - len(suffix) if suffix and original.endswith(suffix) else len(original)
    if not suffix:
        o_end = len(original)
    return o_start, max(o_start, o_end)


_FILLERS = re.compile(r"就在|在|位于|地址是?|位置是?|就是|是|的|这里|那里|那边|门口|旁边|附近|对面|楼下|楼上|[东南西北]门|[，,。！？!?：:\s]")


def text_without_place(text: str) -> str:
    """What a message says besides naming a place: 「海景花园2栋门口」→「」,
    「人民公园东门的路灯不亮了」→「路灯不亮了」. Used to tell a report from a bare address."""
    work = digits_in_address(normalize_text(text))
    match = extract_location(work)
    if match:
        work = work[:match.start] + work[match.end:]
    return _FILLERS.sub("", work)

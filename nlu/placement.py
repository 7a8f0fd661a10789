"""Placing an extracted address in the deployment's gazetteer.

A resident rarely says the whole chain: 「大梅沙那边」 or 「海涛社区3栋」 must still reach the right
street office and community; a road that runs through several streets needs one more question;
a place in another city must be said so, not filed. ASR writes homophones (「大眉沙」) and some
residents type pinyin (「Dameisha」): both are matched by pinyin.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import AbstractSet, Callable, List, Optional, Sequence, Tuple

from dispatch.location import Address
from nlu.gazetteer import Gazetteer, Unit, core_name, syllables, unique_units

PLACED, CHOOSE, OUTSIDE, UNKNOWN, PIN = "placed", "choose", "outside", "unknown", "pin"
# a place named right after these is where the resident lives, not necessarily the problem
_HOME = re.compile(r"(?:住在|家住|家在|我家在?|住的是|住)$")
_LATIN = re.compile(r"[A-Za-z][A-Za-z\s'-]*[A-Za-z]")
# what follows a place's short name when it is one (a pinyin match of two characters needs it)
_PLACE_AFTER = re.compile(r"\s*(?:社区|小区|花园|家园|街道|村|片区|一带|那边|这边|那里|这里|附近|门口|楼下|\d+\s*[栋号幢]|"
                          r"[一二三四五六七八九十]+[栋号幢])")
# 「海山路」 is a road, not 海山街道: a short name followed by a road word is part of the road's
# name (but 「大梅沙路灯」「海涛路口」 are not roads)
# 「3栋和5栋之间」 holds dong-he (东和) across 「栋和」: a homophone cannot begin with the counter of a
# number (栋, 号, 楼 … right after a digit belong to 「3栋」)
_COUNTER_OF_NUMBER = re.compile(r"(?:\d|[一二三四五六七八九十两])\s*[栋号幢楼座层室]$")
_ROAD_AFTER = re.compile(r"(?:大道|路|道|街|巷)(?![灯面边上旁况段牌基沿口])")


@dataclass
class Mention:
    unit: Unit
    start: int
    end: int
    home: bool = False


@dataclass
class Placement:
    status: str
    unit: Optional[Unit] = None
    candidates: List[Unit] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict:
        return {"status": self.status, "unit": self.unit.label() if self.unit else None,
                "candidates": [{"label": c.label(), "street": c.street, "community": c.community,
                                "grid": c.grid, "responsible_unit": c.responsible_unit} for c in self.candidates],
                "note": self.note}


def find_mentions(text: str, gazetteer: Gazetteer) -> List[Mention]:
    """Gazetteer names in ``text``, longest first and not overlapping; pinyin when no Chinese
    name below the district matched (ASR homophones, typed pinyin)."""
    mentions = _by_characters(text, gazetteer)
    if not any(m.unit.level != "district" for m in mentions):
        mentions += _by_pinyin(text, gazetteer, taken=[(m.start, m.end) for m in mentions])
        mentions += _by_latin(text, gazetteer)
    for m in mentions:
        m.home = bool(_HOME.search(text[max(0, m.start - 4):m.start]))
    return sorted(mentions, key=lambda m: m.start)


def _scan(text: str, longest: int, lookup: Callable[[int, int], Optional[List[Unit]]],
          first: Sequence[Optional[str]], starts: AbstractSet[Optional[str]], taken: Sequence[Tuple[int, int]] = ()) -> List[Mention]:
    """Longest match first at each position, matches not overlapping each other or ``taken``.
    A position whose character (or syllable) ``first[i]`` begins no name is passed over at once:
    in a long letter that names no place of ours, that was nearly every position."""
    found: List[Mention] = []
    # free[i]: how many characters from i on are not taken (a match starting at i may be that long)
    free = [0] * (len(text) + 1)
    blocked = [False] * len(text)
    for s, e in taken:
        for k in range(max(0, s), min(e, len(text))):
            blocked[k] = True
    for k in range(len(text) - 1, -1, -1):
        free[k] = 0 if blocked[k] else free[k + 1] + 1
    i = 0
    while i < len(text):
        if first[i] not in starts:
            i += 1
            continue
        for length in range(min(longest, free[i]), 1, -1):
            units = lookup(i, i + length)
            if units and not _inside_longer_name(text, i + length, units):
                found += [Mention(u, i, i + length) for u in units]
                i += length
                break
        else:
            i += 1
    return found


def _by_characters(text: str, gazetteer: Gazetteer) -> List[Mention]:
    return _scan(text, gazetteer.longest_name, lambda i, j: gazetteer.names.get(text[i:j]), text,
                 gazetteer.name_starts)


def _by_pinyin(text: str, gazetteer: Gazetteer, taken: List[Tuple[int, int]]) -> List[Mention]:
    """Homophones of gazetteer names (「海滔社区」 for 海涛社区). Two syllables alone sound like too many
    ordinary words (「劳动合同」 holds dong-he, 东和; 「还统计」 hai-tong, 海桐): a two-character
    homophone counts only when a place word follows it (「动和社区」「海桐那边」「永安3栋」), and none
    begins with the counter of a number (「3栋和5栋」 is not 东和)."""
    # syllables only for runs of characters that could sound like part of a name (an eighth of a
    # long letter): the rest can be in no homophone, and pinyin was most of the time locate took
    sounds: List[Optional[str]] = [None] * len(text)
    for start, end in _runs(text, gazetteer.may_sound_like_a_name):
        run = syllables(text[start:end])
        if len(run) != end - start:  # alignment lost (should not happen); do not guess
            return []
        sounds[start:end] = run
    found = _scan(text, 6, lambda i, j: gazetteer.pinyin_names.get(tuple(sounds[i:j])), sounds,
                  gazetteer.pinyin_starts, taken)
    return [m for m in found if (m.end - m.start > 2 or _PLACE_AFTER.match(text, m.end))
            and not _COUNTER_OF_NUMBER.search(text, 0, m.start + 1)]


def _runs(text: str, keep: Callable[[str], bool], shortest: int = 2) -> List[Tuple[int, int]]:
    """(start, end) of each run of at least ``shortest`` characters that ``keep`` accepts."""
    runs: List[Tuple[int, int]] = []
    start: Optional[int] = None
    for i, char in enumerate(text + "\0"):
        if i < len(text) and keep(char):
            start = i if start is None else start
        elif start is not None:
            if i - start >= shortest:
                runs.append((start, i))
            start = None
    return runs


def _inside_longer_name(text: str, end: int, units: List[Unit]) -> bool:
    """True for 「海山」 in 「海山路」: the unit's short name begins a road's name."""
    if any(u.level == "place" for u in units) or core_name(text[:end][-6:]) != text[:end][-6:]:
        return False
    return bool(_ROAD_AFTER.match(text, end))


def _by_latin(text: str, gazetteer: Gazetteer) -> List[Mention]:
    found: List[Mention] = []
    for run in _LATIN.finditer(text):
        letters = re.sub(r"[^a-z]", "", run.group().lower())
        for key, units in gazetteer.latin_names.items():
            if key in letters:
                found += [Mention(u, run.start(), run.end()) for u in units]
    return found


def place(address: Address, found: List[Mention], gazetteer: Gazetteer) -> Placement:
    """Decide where ``address`` lies in the gazetteer, given the names ``found`` in its message."""
    if not gazetteer.in_area(address.province, address.city, address.district):
        # a municipality is its own province: 「北京市朝阳区」, not 「北京市北京市朝阳区」
        named = "".join(dict.fromkeys(p for p in (address.province, address.city, address.district) if p))
        return Placement(OUTSIDE, note=f"「{named}」不在本平台服务范围（{gazetteer.city}{gazetteer.district}）")
    mentions = [m for m in found if m.unit.level != "district"]
    if any(not m.home for m in mentions):
        mentions = [m for m in mentions if not m.home]
    if not mentions:
        return Placement(UNKNOWN, note="地址未能与辖区地名库对应")
    fixed = [_holder(m.unit, gazetteer) for m in mentions if not m.unit.streets]
    spans = [[gazetteer.unit("street", s) for s in m.unit.streets] for m in mentions if m.unit.streets]
    if fixed:
        deepest = max(fixed, key=lambda u: u.depth)
        conflicting = unique_units(u for u in fixed if not (u.contains(deepest) or deepest.contains(u)))
        if conflicting:
            candidates = unique_units([deepest, *conflicting])
            streets = {c.street for c in candidates}
            if len(streets) == 1 and None not in streets:
                # 「东和社区和田心社区之间」: both in one street; its office takes the ticket
                return Placement(PLACED, unit=gazetteer.unit("street", streets.pop()),
                                 note="提到同一街道的多个社区：" + "、".join(c.label() for c in candidates))
            return Placement(CHOOSE, candidates=candidates,
                             note="提到了多个不同的地点：" + "、".join(c.label() for c in candidates))
        for options in spans:
            if not any(o.contains(deepest) for o in options):
                return Placement(CHOOSE, candidates=unique_units([*options, deepest]),
                                 note="道路与所说的社区不在同一街道")
        return Placement(PLACED, unit=deepest)
    if len(spans) > 1:
        # two roads in one problem meet there (「深盐路和盐梅路路口」): the streets both run through
        shared = [o for o in spans[0] if all(o in group for group in spans[1:])]
        if len(shared) == 1:
            return Placement(PLACED, unit=shared[0], note="两条道路交汇处所在街道")
    options = unique_units(o for group in spans for o in group)
    if len(options) == 1:
        return Placement(PLACED, unit=options[0])
    return Placement(CHOOSE, candidates=options, note="道路跨越多个街道，需要确认具体路段")


def _holder(unit: Unit, gazetteer: Gazetteer) -> Unit:
    """The administrative unit a place lies in (a place is not itself a unit of the tree)."""
    if unit.level != "place":
        return unit
    return (gazetteer.unit("community", unit.community) if unit.community
            else gazetteer.unit("street", unit.street)) or unit


def apply(address: Address, placement: Placement, gazetteer: Gazetteer, found: List[Mention]) -> Address:
    """Fill the administrative chain, the responsible unit and the named place (from the gazetteer
    names ``found`` in the message)."""
    data = address.to_dict()
    data["placement"] = placement.status
    if placement.status in (PLACED, PIN, CHOOSE, UNKNOWN):
        data.update(province=gazetteer.province, city=gazetteer.city, district=gazetteer.district)
    unit = placement.unit
    if placement.status == CHOOSE:
        # which street or community is the resident's answer to give; keep only what is certain
        data.update(street=None, community=None, grid=None, responsible_unit=None)
    if unit is not None:
        # a 社区 the gazetteer knows is replaced by the placed one (they differ when the text named
        # several); a 社区 it does not know stays as the resident said it
        said = data.get("community")
        data.update(street=unit.street, community=unit.community or (None if said in gazetteer.names else said),
                    grid=unit.grid, responsible_unit=unit.responsible_unit)
    named = set()
    for m in found:
        kind = m.unit.kind
        if m.unit.level == "place" and not m.home:
            # the gazetteer's name is the canonical one (「大梅沙海滩」→ 大梅沙海滨公园); the first place of
            # a kind named wins (「深盐路与盐梅路交叉口」 is on 深盐路)
            field_name = {"estate": "estate", "road": "road"}.get(kind or "", "poi")
            if field_name not in named:
                data[field_name] = m.unit.name
                named.add(field_name)
    return Address.from_dict(data)


def place_pin(lat: float, lng: float, label: str, gazetteer: Gazetteer) -> Tuple[Address, Placement]:
    """A WeChat location message: the nearest gazetteer unit, or outside the area."""
    address = Address(lat=lat, lng=lng, text=label or None)
    hit = gazetteer.nearest(lat, lng)
    if hit is None:
        placement = Placement(OUTSIDE, note=f"定位点不在本平台服务范围（{gazetteer.city}{gazetteer.district}）")
        return Address.from_dict({**address.to_dict(), "placement": OUTSIDE}), placement
    unit, km = hit
    placement = Placement(PIN, unit=unit, note=f"按定位匹配到{unit.label()}（约{km:.1f}公里）")
    return apply(address, placement, gazetteer, find_mentions(label, gazetteer) if label else []), placement

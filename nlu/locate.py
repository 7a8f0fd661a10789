"""Where a message's problem is: the address the text names, placed in the deployment's
gazetteer (nlu/placement.py). One entry point for the Rasa component, /api/analyze and Open311."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from dispatch.location import Address
from nlu.elsewhere import province_and_city
from nlu.gazetteer import Gazetteer, default_gazetteer
from nlu.location import extract_location
from nlu.numerals import digits_in_address
from nlu.placement import UNKNOWN, Mention, Placement, apply, find_mentions, place


@dataclass
class Located:
    address: Address
    placement: Placement
    start: int = 0
    end: int = 0
    doubts: List[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """True when the text named any place at all, or a pin was given."""
        a = self.address
        return bool(a.text or a.street or a.community or a.lat is not None)


def locate(text: str, gazetteer: Optional[Gazetteer] = None) -> Located:
    """Extract the address from ``text`` and place it; with no place named, an empty address."""
    gazetteer = gazetteer or default_gazetteer()
    match = extract_location(text)
    digits = digits_in_address(text or "")
    found = find_mentions(digits, gazetteer)
    if match is not None and match.address.estate:
        found = _outside_the_estates_name(found, digits, match.address.estate)
    found = _road_names_beside_others(found, digits)
    if match is None:
        if not found:
            elsewhere = province_and_city(text or "")
            if elsewhere is None:
                return Located(Address(), Placement(UNKNOWN, note="没有提到地点"))
            # 「在湖北荆州」: outside the area, said so (place() tells it), not asked where again
            start = (text or "").find(elsewhere.text or "")
            placement = place(elsewhere, [], gazetteer)
            return Located(apply(elsewhere, placement, gazetteer, []), placement, start, start + len(elsewhere.text or ""))
        address, start, end, doubts = Address(), 0, 0, []
    else:
        address, start, end, doubts = match.address, match.start, match.end, match.doubts
    placement = place(address, found, gazetteer)
    located = apply(address, placement, gazetteer, found)
    if match is not None and found and located.text:
        start, located = _without_lead_in(text, start, end, located, gazetteer)
        start, located = _with_name_before(text, start, end, located, gazetteer)
        end, located = _with_name_after(text, start, end, located, gazetteer)
    if not located.text:
        # spans in the resident's own text (the names found above are in the digit form)
        on_text = find_mentions(text, gazetteer)
        mentions = [m for m in on_text if not m.home] or on_text
        if mentions:
            start, end = mentions[0].start, mentions[-1].end
            located = Address.from_dict({**located.to_dict(), "text": text[start:end]})
    return Located(located, placement, start, end, doubts)


def _outside_the_estates_name(found: List[Mention], text: str, estate: str) -> List[Mention]:
    """The gazetteer names found, less those inside the estate's own name after its first character: 明珠
    (明珠社区's short name) in 「东方明珠花园」 names no community — it put the estate in 明珠社区, and beside
    「海月社区」 said before it, the two disagreed and the resident's own community was dropped. An estate
    that opens with a community's name (「海月花园」) still says where it is, and a known estate's name that
    ends the extracted one is that estate, its name taken with words before it (「还有一个事海景花园」)."""
    at = text.find(estate)
    if at < 0:
        return found
    return [m for m in found if not (at < m.start and m.end < at + len(estate))]


#: a road's suffix after a unit's short name: 「海涛路」 is a road named after 海涛 (社区)
_ROAD_SUFFIX = re.compile(r"大道|路|街|巷")


def _road_names_beside_others(found: List[Mention], text: str) -> List[Mention]:
    """The gazetteer names found, less a unit's short name that begins a road's name when another name is said:
    「在沙头角街道的力健健身，海涛路上」 — 海涛 (海涛社区) beside 沙头角街道 disagreed, the resident was asked to
    choose between them and, answering 「确认」, asked where for ever. Alone (「海涛路上」) the name the road shares
    still places it."""
    in_road = [m for m in found if text[m.start:m.end] != m.unit.name and _ROAD_SUFFIX.match(text, m.end)]
    return [m for m in found if m not in in_road] if in_road and len(in_road) < len(found) else found


#: what may stand before a gazetteer name inside a place (a district, a city, a street)
_ADMIN = re.compile(r"省|市|区|县|镇|乡|街道|路|街|道|号")


def _without_lead_in(text: str, start: int, end: int, located: Address,
                     gazetteer: Gazetteer) -> Tuple[int, Address]:
    """The place's text from the first gazetteer name in it when only words precede that name:
    「我要投诉田东社区」 → 「田东社区」, 「喂倚山社区」 → 「倚山社区」 (the extractor takes the
    characters before 社区/小区 as part of the name; the gazetteer knows where it starts)."""
    first = next((m for m in find_mentions(text[start:end], gazetteer)), None)
    if first is None or first.start == 0 or _ADMIN.search(text[start:start + first.start]):
        return start, located
    start += first.start
    return start, Address.from_dict({**located.to_dict(), "text": text[start:end]})


def _with_name_before(text: str, start: int, end: int, located: Address,
                      gazetteer: Gazetteer) -> Tuple[int, Address]:
    """The place's text from a gazetteer name right before it: 「另外海景花园5栋的路灯」 — the extractor
    took only 「5栋」 (the words before the estate hid its name), the gazetteer found 海景花园 just
    before; the resident is shown and the ticket keeps 「海景花园5栋」, not 「5栋」."""
    before = [m for m in find_mentions(text[:start], gazetteer) if m.unit.level != "district"]
    if not before or text[before[-1].end:start].strip():
        return start, located
    start = before[-1].start
    return start, Address.from_dict({**located.to_dict(), "text": text[start:end]})


def _with_name_after(text: str, start: int, end: int, located: Address,
                     gazetteer: Gazetteer) -> Tuple[int, Address]:
    """The place's text to the end of a gazetteer name right after it: 「广东省深圳市盐田区大梅沙」 — the extractor took
    the district, the gazetteer placed 大梅沙 just after; without it the text read 「广东省深圳市盐田区」 and the name
    left over was taken for a problem (the address alone was filed as 安全隐患)."""
    after = [m for m in find_mentions(text[end:], gazetteer) if m.unit.level != "district"]
    if not after or after[0].start != 0 or located.text != text[start:end]:
        return end, located
    end += after[0].end
    return end, Address.from_dict({**located.to_dict(), "text": text[start:end]})


def area_place(text: str, placement: str) -> Address:
    """The platform's whole area as a ticket's place: a consultation has no place (placement 'area'),
    a resident who could say none leaves it to an operator ('unknown', the place review queue).
    ``text`` may name the area as {district}."""
    area = default_gazetteer()
    return Address(province=area.province, city=area.city, district=area.district, placement=placement,
                   text=text.format(district=area.district))

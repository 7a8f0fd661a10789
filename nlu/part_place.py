"""Where one of several problems in a message is, when its own words name no whole place.

「锦绣家园3栋2单元楼道灯坏了，还有5栋的电梯也坏了」: the second problem named only 「5栋」 and was filed
there, nowhere a worker could find; it is in the message's estate, and 3栋's 2单元 is not its unit.
「…，还有小区门口的垃圾好几天没人清」 named nothing and was filed at 「锦绣家园3栋2单元」: the gate is the
estate's, not the building's. nlu/analysis.Analyzer.issues places each part with this.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from dispatch.location import FINE_PARTS, Address
from nlu.location import GATE_WORD

#: how a building, unit or room number is said after it (「龙湖3期3栋」: the 3 of 3期 is no building)
_SAID_AS = r"(?=\s*(?:号楼|栋|幢|座|#|单元|室|房|号|楼)|\s*$)"
_ESTATE_WIDE = re.compile(r"(?:小区|院子|大院)的?(?:大?门口|大门|东门|西门|南门|北门|正门|后门|侧门|入口|出口|里面?|内|院子|"
                          r"广场|花园|绿化带?|道路|路面|主路|停车场|地面|外面|周边|围墙|门岗|游乐场|篮球场|健身器材)")


#: a part that opens with a gate, the estate left unsaid (「…5栋电梯坏了，还有北门的路灯不亮」): the estate's gate
_LEADING_GATE = re.compile(rf"^({GATE_WORD})口?(?:的|那边|那里|这边|这里|那儿|这儿|旁边|外面)")


def estate_wide(text: str) -> bool:
    """``text`` places its problem at the estate as a whole (its gate, grounds, car park …)."""
    return bool(_ESTATE_WIDE.search(text or "") or _LEADING_GATE.match(text or ""))


def without(place: Address, parts: Iterable[str]) -> Address:
    """``place`` without the named fine parts (「锦绣家园3栋2单元」 without building, unit, room → 「锦绣家园」)."""
    parts = list(parts)
    text = place.text or ""
    found = [m.start() for part in parts if getattr(place, part)
             for m in [re.search(rf"(?<![\d一二三四五六七八九十]){re.escape(str(getattr(place, part)))}"
                                 rf"{'' if part == 'entrance' else _SAID_AS}", text)]
             if m]
    data = {**place.to_dict(), **{part: None for part in parts}}
    data["text"] = text[:min(found)].rstrip("的 ") if found else text
    return Address.from_dict(data)


def within(own: Address, message: Address) -> Address:
    """A building, unit or room said alone (``own``) in the place the message names: the place above
    what was said, then it (「5栋」 in 「锦绣家园3栋2单元」 → 「锦绣家园5栋」; in 「锦绣家园东门」 → 「锦绣家园5栋」: a gate is
    beside the buildings, not above them)."""
    said = [part for part in FINE_PARTS if getattr(own, part)]
    base = without(message, ("entrance", *FINE_PARTS[FINE_PARTS.index(said[0]):]))
    return Address.from_dict({**base.to_dict(), **{part: getattr(own, part) for part in said},
                              "text": f"{base.text or ''}{own.text or ''}"})


#: the gate of the estate a part names (「小区北门的路灯不亮」)
_ESTATE_GATE = re.compile(rf"(?:小区|院子|大院)的?({GATE_WORD})(?!口)")


def estate_place(text: str, message: Address) -> Optional[Address]:
    """Where a part about the estate as a whole is, when its words name no place and the message is placed in one
    of the estate's buildings: the estate without the building, with the gate the part names (「…海景花园5栋…，
    2.小区北门的路灯不亮」, 「…，还有北门的路灯不亮」 → 「海景花园北门」); None for any other part."""
    if not (estate_wide(text) and message.estate and any(getattr(message, part) for part in FINE_PARTS)):
        return None
    estate = without(message, FINE_PARTS)
    gate = _ESTATE_GATE.search(text or "") or _LEADING_GATE.match(text or "")
    if not gate:
        return estate
    return Address.from_dict({**estate.to_dict(), "entrance": gate.group(1),
                              "text": f"{estate.text or ''}{gate.group(1)}"})

"""The form slots for a place the resident named: the place itself when it can be dispatched,
otherwise why it is asked again (`location_issue`) and what the question shows; a road said without
a number is taken as it is when the resident, asked again, can name no more (road_said).

The validation of the form and the correction of a summary both end here, so a place is judged
the same way whenever it is said.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from actions.place_choice import choice_buttons
from dispatch.location import FINE_PARTS, Address, only_fine_parts
from nlu.locate import area_place, locate
from nlu.normalize import normalize_text
from nlu.numerals import digits_in_address
from nlu.placement import CHOOSE, OUTSIDE

#: the slots this module sets; a settled place clears the question slots
PLACE_SLOTS = ("location", "location_detail", "location_candidates", "location_issue", "location_hint",
               "location_place", "location_option_1", "location_option_2", "location_option_3")
#: choices with a button each (utter_ask_location variations choose2/choose3); more are listed in text
MAX_BUTTONS = 3


def _question(issue: str, **shown: Any) -> Dict[str, Any]:
    slots: Dict[str, Any] = {name: None for name in PLACE_SLOTS}
    slots.update(location_issue=issue, **shown)
    return slots


def settled(address: Address) -> Dict[str, Any]:
    slots: Dict[str, Any] = {name: None for name in PLACE_SLOTS}
    slots.update(location=address.display(), location_detail=address.to_dict())
    return slots


def place_slots(address: Address, placement: Dict[str, Any]) -> Dict[str, Any]:
    status = placement.get("status")
    if status == OUTSIDE:
        return _question("outside", location_hint=placement.get("note", "该地点不在本平台服务范围"))
    candidates: List[Dict[str, Any]] = placement.get("candidates") or []
    if status == CHOOSE and candidates:
        buttons = choice_buttons(candidates)
        issue = f"choose{len(buttons)}" if 2 <= len(buttons) <= MAX_BUTTONS else "choose"
        options = {f"location_option_{i}": b["title"] for i, b in enumerate(buttons[:MAX_BUTTONS], start=1)}
        return {**_question(issue, location_place=address.text or address.display(),
                            location_hint="；".join(b["title"] for b in buttons), **options),
                "location_detail": address.to_dict(), "location_candidates": candidates}
    if not address.is_dispatchable():
        doubts = placement.get("doubts") or []
        area = (address.text or address.display()) if address.road or address.street or address.community else None
        # 「盐田街道的公交站牌被撞歪了」: the area said is named back, so the resident knows what more to say
        asked = (_question("doubt", location_hint="；".join(doubts)) if doubts
                 else _question("area", location_place=area) if area else _question("unclear"))
        if address.road or address.street or address.community or any(getattr(address, part) for part in FINE_PARTS):
            # kept while asked: a resident who can say no more is taken at the road, street or community
            # (road_said); a building said first joins the estate said next (with_fine_parts)
            asked["location_detail"] = address.to_dict()
        return asked
    return settled(address)


def with_fine_parts(found: Dict[str, Any], kept: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """「12栋的化粪池冒了」, asked which estate, 「海景花园」: the building said first stays with the
    estate said next (the ticket read 海景花园, without its building)."""
    if found.get("location") is None or not kept:
        return found
    said, before = Address.from_dict(found["location_detail"]), Address.from_dict(kept)
    if not only_fine_parts(before) or any(getattr(said, part) for part in FINE_PARTS):
        return found
    fine = {part: getattr(before, part) for part in FINE_PARTS if getattr(before, part)}
    return settled(Address.from_dict({**said.to_dict(), **fine, "text": f"{said.text or ''}{before.text or ''}"}))


#: the questions asked when a place cannot be dispatched as said
UNCLEAR = ("unclear", "doubt", "area")


def road_said(asked: Dict[str, Any], kept: Optional[Dict[str, Any]], asked_before: Optional[str],
              named: Address, gave_up: bool = False) -> Dict[str, Any]:
    """Asked again for a place, a resident who names none (「对的」「说不清」) is taken at the
    road said before (「海景二路上有棵树倒了」): a road without a number is a place a patrol can
    search, an operator checks it (the placement stays unknown, the place review queue), and a
    danger is not left unfiled while the question repeats. A street or community alone (「沙头角」)
    is taken only when the resident says they cannot say more (``gave_up``: 「不知道」), and goes
    to the place review queue too: the report is not lost in a loop of the same question.
    ``kept``: the place slot kept while asking (place_slots), ``asked_before``: the question asked
    last time (`location_issue`)."""
    place = Address.from_dict(kept)
    if (asked.get("location_issue") in UNCLEAR and asked_before in UNCLEAR
            and not (named.text or named.road or named.estate or named.community or named.poi or named.building)):
        if place.road:
            return settled(place)
        if gave_up and (place.street or place.community):
            return settled(Address.from_dict({**place.to_dict(), "placement": "unknown"}))
        if place.poi and place.placement == "unknown":
            return settled(place)  # a name the gazetteer does not know, said again or confirmed (unknown_name)
        if gave_up and not place.text:
            # nothing said at all and the resident cannot say (「公司扣了我的工资」, 「不知道」 twice): the
            # question came back for ever; the report goes to an operator to find the place instead
            return settled(area_place(UNKNOWN_PLACE, "unknown"))
    return asked


def unknown_name(name: str, within: Optional[Address] = None) -> Dict[str, Any]:
    """「碧海湾」 answering where — an estate said without 小区, a name the gazetteer does not hold — was
    added to the problem (「好的，这些情况已记下」) and the same question asked. The resident is told the
    name was not found and asked to confirm it or say more; the name is kept while asking, and taken
    as it is for an operator to place (the place review queue) when they name nothing else (road_said).
    A street or community said before (「公司在沙头角街道」, then 「公司叫鑫达五金厂」) is kept with it:
    it tells the operator where to look and routes the ticket to that street's office."""
    asked = _question("doubt", location_hint=f"辖区地名库里没有找到「{name}」")
    place = {**area_place(name, "unknown").to_dict(), "poi": name}
    if within and (within.street or within.community):
        place.update(street=within.street, community=within.community, responsible_unit=within.responsible_unit,
                     text=f"{within.text or ''}{name}")
    asked["location_detail"] = place
    return asked


def route_place(line: Tuple[str, str]) -> Dict[str, Any]:
    """A bus or metro line (nlu/route.transit_line: the line, the place as said) as the place of a
    complaint about it: no address, for an operator to pass to the line's operator (the place review queue)."""
    name, said = line
    return settled(Address.from_dict({**area_place(said, "unknown").to_dict(), "poi": name}))


#: the place line of a report whose resident could name no place at all
UNKNOWN_PLACE = "{district}（地点待人工核实）"


#: 「15号」「就是15号」「15号门口」: a house number said alone
_BARE_NUMBER = re.compile(r"^(?:就是|是|在)?(\d{1,4})号(?!楼)")


def numbered_road(kept: Optional[Dict[str, Any]], said: str) -> Optional[Dict[str, Any]]:
    """「15号」 answering where on 「幸福路」 (the road kept while asked): the road with that number,
    placed again — the number alone names no place, and the ticket was filed at the road without it."""
    road = Address.from_dict(kept) if kept else None
    number = _BARE_NUMBER.match(digits_in_address(normalize_text(said or "")))
    if road is None or not road.road or road.house_number or number is None:
        return None
    located = locate(f"{road.text or road.road}{number.group(1)}号")
    return place_slots(located.address, located.placement.to_dict())

"""The structured address every part of the product exchanges (analysis, slots, tickets): a
ticket's location, so it lives with the ticket schema; the language side (nlu/) fills it in."""
from __future__ import annotations

from typing import Any, Dict, Optional

from pydantic import BaseModel, Field

#: the parts of an address that only say where at a placed site: its gate, and inside its building
FINE_PARTS = ("entrance", "building", "unit", "room")
#: the parts that name the place itself (the deployment's own district is filled in for any address)
COARSE_PARTS = ("street", "community", "estate", "road", "house_number", "poi", "lat")


class Address(BaseModel):
    """Also the `location` of a ticket (dispatch/schema.py); pydantic checks the coordinates."""

    province: Optional[str] = None
    city: Optional[str] = None
    district: Optional[str] = None
    street: Optional[str] = None
    community: Optional[str] = None  # 社区 (the administrative unit)
    estate: Optional[str] = None  # 小区/花园/院/大厦 … where residents live
    road: Optional[str] = None
    house_number: Optional[str] = None
    poi: Optional[str] = None
    entrance: Optional[str] = None  # the gate or exit of the estate or POI (东门, C出口): where a worker goes in
    building: Optional[str] = None
    unit: Optional[str] = None
    room: Optional[str] = None
    grid: Optional[str] = None
    responsible_unit: Optional[str] = None  # street office / community station that handles it
    placement: Optional[str] = None  # placed, pin, choose, outside, unknown (nlu/placement.py)
    text: Optional[str] = None
    lat: Optional[float] = Field(None, ge=-90, le=90)
    lng: Optional[float] = Field(None, ge=-180, le=180)

    def to_dict(self) -> Dict[str, Any]:
        return self.dict()

    @classmethod
    def from_dict(cls, data: Optional[Dict[str, Any]]) -> "Address":
        return cls(**{k: v for k, v in (data or {}).items() if k in cls.__fields__})

    def is_dispatchable(self) -> bool:
        """A grid worker can find the place: a named estate/POI/road, or a pin on the map."""
        if self.placement == "outside":
            return False
        if self.lat is not None and self.lng is not None:
            return True
        return bool(self.community or self.estate or self.poi or (self.road and (self.house_number or self.building)))

    def display(self) -> str:
        """Human-readable form for summaries: administrative part, then place, then building/room. A road
        the landmark already names is said once (「盐田路天桥」, 「幸福路和海景二路路口」)."""
        road = None if self.road and self.poi and self.road in self.poi and not self.house_number else self.road
        parts = [self.province, self.city, self.district, self.street, self.community, road,
                 f"{self.house_number}号" if self.house_number else None, self.estate, self.poi]
        text = "".join(p for p in parts if p) + (self.entrance or "")
        if self.building:
            # 「7栋」 as the summary, the console's ticket page and the residents here say it (the queue said 「7号楼」)
            text += f"{self.building}栋" if self.building.replace("-", "").isdigit() else self.building
        if self.unit:
            text += f"{self.unit}单元"
        if self.room:
            text += f"{self.room}室"
        return text or (self.text or "")


def only_fine_parts(address: Address) -> bool:
    """The address names only a building, unit or room (「5栋」「2单元702」)."""
    return any(getattr(address, part) for part in FINE_PARTS) and not any(getattr(address, part) for part in COARSE_PARTS)

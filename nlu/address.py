"""The structured address every part of the product exchanges (analysis, slots, tickets)."""
from __future__ import annotations

from typing import Any, Dict, Optional

from pydantic import BaseModel, Field


class Address(BaseModel):
    """Also the `location` of a ticket (dispatch/schema.py); pydantic checks the coordinates."""

    province: Optional[str] = None
    city: Optional[str] = None
    district: Optional[str] = None
    street: Optional[str] = None
    community: Optional[str] = None
    road: Optional[str] = None
    house_number: Optional[str] = None
    poi: Optional[str] = None
    building: Optional[str] = None
    unit: Optional[str] = None
    room: Optional[str] = None
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
        if self.lat is not None and self.lng is not None:
            return True
        return bool(self.community or self.poi or (self.road and self.house_number) or self.road and self.building)

    def display(self) -> str:
        """Human-readable form for summaries: administrative part, then place, then building/room."""
        parts = [self.province, self.city, self.district, self.street, self.road, self.house_number,
                 self.community, self.poi]
        text = "".join(p for p in parts if p)
        if self.building:
            text += f"{self.building}号楼" if self.building.replace("-", "").isdigit() else self.building
        if self.unit:
            text += f"{self.unit}单元"
        if self.room:
            text += f"{self.room}室"
        return text or (self.text or "")

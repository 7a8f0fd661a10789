"""A ticket's grade — the level that handles it: A 社区, B 街道, C 区, D 市 (settings/sla.yml).

The category (or its department) says where such a problem is normally handled; the place can
only raise that level: a community worker cannot be sent to a place whose community nobody knows.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from pydantic import BaseModel, Field, ValidationError, root_validator

from common.paths import SETTINGS_DIR
from common.yaml_file import read_yaml
from dispatch.location import Address

OUTSIDE_PLACEMENTS = ("outside", "unknown")


class SlaSettingsError(ValueError):
    pass


class Grade(BaseModel):
    name: str
    handler: str = ""


class Alerts(BaseModel):
    adapters: List[str] = []
    check_every_s: float = Field(60.0, gt=0)


class SlaSettings(BaseModel):
    grades: Dict[str, Grade]
    default: str
    categories: Dict[str, str] = {}
    departments: Dict[str, str] = {}
    outside: Optional[str] = None
    place_needs: Dict[str, str] = {}
    yellow_at: float = Field(0.5, gt=0, lt=1)
    alerts: Alerts = Alerts()

    @root_validator(skip_on_failure=True)
    def _grades_known(cls, values: dict) -> dict:
        known = list(values["grades"])
        named = [values["default"], values.get("outside"), *values["categories"].values(),
                 *values["departments"].values(), *values["place_needs"]]
        unknown = sorted({g for g in named if g and g not in known})
        if unknown:
            raise ValueError(f"grades {unknown} are used but not defined under grades ({known})")
        fields = set(Address.__fields__)
        bad = sorted(f for f in values["place_needs"].values() if f not in fields)
        if bad:
            raise ValueError(f"place_needs names {bad}, which are not location fields")
        return values

    def order(self) -> List[str]:
        """Grades from the lowest level (community) up, as listed."""
        return list(self.grades)

    def grade_for(self, level1: Optional[str], level2: Optional[str], level3: Optional[str],
                  department: Optional[str], location: Address) -> Tuple[str, str]:
        """(grade, why) for a ticket; the reason is shown to operators."""
        path = [p for p in (level1, level2, level3) if p]
        grade, why = self.default, "默认"
        for depth in range(len(path), 0, -1):
            key = "/".join(path[:depth])
            if key in self.categories:
                grade, why = self.categories[key], f"类别“{key}”"
                break
        else:
            if department and department in self.departments:
                grade, why = self.departments[department], f"部门“{department}”"
        order = self.order()
        if self.outside and location.placement in OUTSIDE_PLACEMENTS and order.index(self.outside) > order.index(grade):
            return self.outside, f"{why}；地点不在本区域或未找到"
        while grade in self.place_needs and not getattr(location, self.place_needs[grade]) \
                and order.index(grade) + 1 < len(order):
            missing = self.place_needs[grade]
            grade = order[order.index(grade) + 1]
            why += f"；地点缺少{_FIELD_NAMES.get(missing, missing)}，上升一级"
        return grade, why


_FIELD_NAMES = {"community": "社区", "street": "街道", "district": "区"}


def load_sla_settings(path: Optional[Path] = None) -> SlaSettings:
    path = path or SETTINGS_DIR / "sla.yml"
    try:
        return SlaSettings.parse_obj(read_yaml(path, SlaSettingsError, "the SLA settings") or {})
    except ValidationError as exc:
        raise SlaSettingsError(f"{path}: {exc}") from exc


@lru_cache(maxsize=1)
def sla_settings() -> SlaSettings:
    return load_sla_settings()

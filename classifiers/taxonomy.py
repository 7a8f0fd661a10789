"""The configurable category tree (大类/小类/细项 → department, default urgency, SLA).

Loaded from settings/taxonomy.yml; a deployment swaps the file, not the code. Inconsistent
files fail at load time with the path of the offending entry.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

from common.paths import SETTINGS_DIR
from common.yaml_file import read_yaml

URGENCY_LEVELS = ("特急", "紧急", "一般")


class TaxonomyError(ValueError):
    """The taxonomy file is inconsistent; the message names the entry."""


@dataclass(frozen=True)
class Category:
    level1: str
    level2: str
    level3: Optional[str]
    department: str
    default_urgency: str
    sla_days: float

    @property
    def path(self) -> str:
        return "/".join(p for p in (self.level1, self.level2, self.level3) if p)

    def to_dict(self) -> Dict[str, object]:
        return {"level1": self.level1, "level2": self.level2, "level3": self.level3,
                "department": self.department, "default_urgency": self.default_urgency,
                "sla_days": self.sla_days}


class Taxonomy:
    def __init__(self, categories: List[Category], source: str = "<memory>") -> None:
        self.source = source
        self._by_path: Dict[str, Category] = {}
        for cat in categories:
            if cat.path in self._by_path:
                raise TaxonomyError(f"{source}: category {cat.path} is defined twice")
            self._by_path[cat.path] = cat

    @classmethod
    def load(cls, path: Path) -> "Taxonomy":
        data = read_yaml(path, TaxonomyError, "taxonomy")
        if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
            raise TaxonomyError(f"{path}: expected a mapping with a 'categories' list")
        categories: List[Category] = []
        for i, l1 in enumerate(data["categories"]):
            where1 = f"{path}: categories[{i}]"
            name1 = _name(l1, where1)
            for j, l2 in enumerate(_children(l1, where1, required=True)):
                where2 = f"{where1} ({name1}).children[{j}]"
                name2 = _name(l2, where2)
                base = _attributes(l2, where2, None)
                leaves = _children(l2, where2, required=False)
                if not leaves:
                    categories.append(Category(name1, name2, None, **base))
                for k, l3 in enumerate(leaves):
                    where3 = f"{where2} ({name2}).children[{k}]"
                    categories.append(Category(name1, name2, _name(l3, where3),
                                               **_attributes(l3, where3, base)))
        if not categories:
            raise TaxonomyError(f"{path}: no categories defined")
        return cls(categories, source=str(path))

    def __len__(self) -> int:
        return len(self._by_path)

    def __contains__(self, path: str) -> bool:
        return path in self._by_path

    def get(self, path: str) -> Category:
        try:
            return self._by_path[path]
        except KeyError:
            raise TaxonomyError(f"{self.source}: unknown category {path!r}") from None

    def paths(self) -> List[str]:
        return list(self._by_path)


def _name(entry: object, where: str) -> str:
    if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
        raise TaxonomyError(f"{where}: every entry needs a non-empty 'name'")
    name = str(entry["name"]).strip()
    if "/" in name:
        raise TaxonomyError(f"{where}: name {name!r} must not contain '/'")
    return name


def _children(entry: dict, where: str, required: bool) -> list:
    children = entry.get("children") or []
    if not isinstance(children, list) or (required and not children):
        raise TaxonomyError(f"{where}: 'children' must be a non-empty list")
    return children


def _attributes(entry: dict, where: str, inherited: Optional[dict]) -> dict:
    inherited = inherited or {}
    department = entry.get("department", inherited.get("department"))
    urgency = entry.get("default_urgency", inherited.get("default_urgency", "一般"))
    sla = entry.get("sla_days", inherited.get("sla_days"))
    if not department:
        raise TaxonomyError(f"{where}: no 'department' (set it on the level-2 entry)")
    if urgency not in URGENCY_LEVELS:
        raise TaxonomyError(f"{where}: default_urgency {urgency!r} is not one of {URGENCY_LEVELS}")
    try:
        sla = float(sla)
    except (TypeError, ValueError):
        raise TaxonomyError(f"{where}: 'sla_days' must be a number of days") from None
    if sla <= 0:
        raise TaxonomyError(f"{where}: 'sla_days' must be positive")
    return {"department": str(department), "default_urgency": urgency, "sla_days": sla}


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return Taxonomy.load(SETTINGS_DIR / "taxonomy.yml")

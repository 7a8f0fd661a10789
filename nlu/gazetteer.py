"""The deployment's gazetteer: district → streets → communities → grids, with the unit responsible
for each, the names residents use, and places (estates, parks, roads) that point into it.

Loaded from the YAML file named in settings/deployment.yml (`gazetteer:`), validated with
precise messages, and indexed for the two questions intake asks: which units does this text name
(by characters, by pinyin for ASR homophones and typed pinyin), and which unit is nearest to a
WeChat location pin.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from collections import OrderedDict
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from pypinyin.converter import DefaultConverter
from pypinyin.constants import Style
from pypinyin.core import Pinyin
from shapely.geometry import Point, Polygon

from common.paths import SETTINGS_DIR
from common.yaml_file import deployment_settings, read_yaml

LEVELS = ("district", "street", "community", "grid", "place")
_SUFFIXES = ("社区", "街道", "区", "网格")


class GazetteerError(ValueError):
    """The gazetteer file is inconsistent; the message names the entry."""


@dataclass(frozen=True)
class Unit:
    """One named area or place. ``street``/``community``/``grid`` are the names of the unit's own
    chain (a community knows its street); a place spanning several streets lists them."""

    level: str
    name: str
    responsible_unit: str
    district: str
    street: Optional[str] = None
    community: Optional[str] = None
    grid: Optional[str] = None
    kind: Optional[str] = None  # places: estate, poi, road
    streets: Tuple[str, ...] = ()
    center: Optional[Tuple[float, float]] = None
    polygon: Optional[Polygon] = field(default=None, compare=False, hash=False)

    @property
    def depth(self) -> int:
        """How precisely the unit places a ticket: grid 3, community 2, street 1, district 0."""
        return 3 if self.grid else 2 if self.community else 1 if self.street else 0

    def chain(self) -> Tuple[Optional[str], ...]:
        return (self.street, self.community, self.grid)

    def contains(self, other: "Unit") -> bool:
        """True when ``other`` lies inside this unit (or is it)."""
        return all(mine is None or mine == theirs for mine, theirs in zip(self.chain(), other.chain()))

    def label(self) -> str:
        """What a resident is shown when asked to choose: 「海山街道·海涛社区」."""
        return "·".join(p for p in (self.street, self.community, self.grid) if p) or self.district


@dataclass
class Gazetteer:
    province: str
    city: str
    district: str
    district_aliases: Tuple[str, ...]
    max_pin_distance_km: float
    units: List[Unit]
    names: Dict[str, List[Unit]]  # name or alias (Chinese) → units it may mean
    pinyin_names: Dict[Tuple[str, ...], List[Unit]]  # pinyin of names and aliases (≥2 syllables)
    latin_names: Dict[str, List[Unit]]  # pinyin without suffix, e.g. "dameisha"
    longest_name: int
    #: character → whether it may sound like part of a name (filled as characters are met)
    _sounding: Dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def name_starts(self) -> FrozenSet[str]:
        """The first character of every name: a scan skips the positions no name begins at."""
        return frozenset(name[0] for name in self.names)

    @cached_property
    def pinyin_starts(self) -> FrozenSet[str]:
        """The first syllable of every name's pinyin."""
        return frozenset(sounds[0] for sounds in self.pinyin_names)

    @cached_property
    def _name_syllables(self) -> FrozenSet[str]:
        return frozenset(s for sounds in self.pinyin_names for s in sounds)

    def may_sound_like_a_name(self, char: str) -> bool:
        """Whether some reading of ``char`` is a syllable of a name's pinyin (a character that is
        not Chinese stands for itself): only runs of such characters can be a homophone of a name."""
        known = self._sounding.get(char)
        if known is None:
            known = self._sounding[char] = not self._name_syllables.isdisjoint(readings(char))
        return known

    @classmethod
    def load(cls, path: Path) -> "Gazetteer":
        data = read_yaml(path, GazetteerError, "the gazetteer")
        if not isinstance(data, dict):
            raise GazetteerError(f"{path}: expected a mapping with province, city, district, streets")
        return _Builder(path, data).build()

    def in_area(self, province: Optional[str], city: Optional[str], district: Optional[str]) -> bool:
        """False when the text names a province, city or district other than the deployment's."""
        def same(named: Optional[str], ours: str, aliases: Sequence[str] = ()) -> bool:
            return not named or named == ours or named in aliases or ours.startswith(named)
        return (same(province, self.province) and same(city, self.city)
                and same(district, self.district, self.district_aliases))

    def unit(self, level: str, name: str) -> Optional[Unit]:
        return next((u for u in self.units if u.level == level and u.name == name), None)

    def nearest(self, lat: float, lng: float) -> Optional[Tuple[Unit, float]]:
        """The finest unit at a pin: a polygon that contains it, else the nearest centre among the
        finest units that have one; None when even that is beyond ``max_pin_distance_km``."""
        point = Point(lng, lat)
        inside = [u for u in self.units if u.polygon is not None and u.polygon.contains(point)]
        if inside:
            best = max(inside, key=lambda u: u.depth)
            return best, 0.0
        centred = [u for u in self.units if u.center and u.level in ("community", "grid")]
        if not centred:
            centred = [u for u in self.units if u.center and u.level != "place"]
        if not centred:
            return None
        distances = [(_km(lat, lng, *u.center), -u.depth, i) for i, u in enumerate(centred)]
        km, _, i = min(distances)
        if km > self.max_pin_distance_km:
            return None
        return centred[i], km


def _km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def core_name(name: str) -> str:
    """「大梅沙社区」→「大梅沙」: the part residents say without the administrative suffix."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class _RememberingConverter(DefaultConverter):
    """pypinyin's converter, remembering each tone-marked syllable's plain form and the syllables
    of the last WORDS_KEPT words it converted: converting every word and its style again was most
    of the time a long letter spent in pinyin (the same syllables, 963 real letters: 3.7 → 2.1 ms
    each for the styles alone). Both are pure functions of their keys; callers get copies, so
    nothing they do reaches what is kept."""

    WORDS_KEPT = 50_000

    def __init__(self) -> None:
        super().__init__()
        self._converted: Dict[Tuple[Any, ...], Any] = {}
        self._words: "OrderedDict[Tuple[Any, ...], List[List[str]]]" = OrderedDict()

    def convert(self, words: str, style: Any, heteronym: bool, errors: Any, strict: bool, **kwargs: Any) -> Any:
        key = (words, style, heteronym, errors, strict, tuple(sorted(kwargs.items())))
        found = self._words.get(key)
        if found is None:
            found = super().convert(words, style, heteronym, errors, strict, **kwargs)
            self._words[key] = found
            if len(self._words) > self.WORDS_KEPT:
                self._words.popitem(last=False)
        return [list(syllable) for syllable in found]

    def convert_style(self, han: str, orig_pinyin: str, style: Any, strict: bool, **kwargs: Any) -> Any:
        key = (orig_pinyin, style, strict, tuple(sorted(kwargs.items())))
        found = self._converted.get(key)
        if found is None:
            found = self._converted[key] = super().convert_style(han, orig_pinyin, style, strict, **kwargs)
        return found


_PINYIN = Pinyin(_RememberingConverter())


def _as_characters(text: str) -> List[str]:
    return list(text)


def syllables(text: str) -> List[str]:
    """One pinyin syllable per character (non-Chinese characters stay themselves)."""
    return _PINYIN.lazy_pinyin(text, errors=_as_characters)


def readings(char: str) -> List[str]:
    """Every pinyin reading of one character, without tones (a character that is not Chinese: itself)."""
    return _PINYIN.pinyin(char, style=Style.NORMAL, heteronym=True, errors=_as_characters)[0]


class _Builder:
    """Turns the YAML mapping into units, checking every entry as it goes."""

    def __init__(self, path: Path, data: Dict[str, Any]) -> None:
        self.path = path
        self.data = data
        self.units: List[Unit] = []

    def fail(self, where: str, message: str) -> GazetteerError:
        return GazetteerError(f"{self.path}: {where}: {message}")

    def text(self, entry: Dict[str, Any], key: str, where: str, required: bool = True) -> Optional[str]:
        value = entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"'{key}' must be a non-empty text")
        return value.strip()

    def center(self, entry: Dict[str, Any], where: str) -> Optional[Tuple[float, float]]:
        value = entry.get("center")
        if value is None:
            return None
        if (not isinstance(value, (list, tuple)) or len(value) != 2
                or not all(isinstance(v, (int, float)) for v in value)
                or not (-90 <= value[0] <= 90 and -180 <= value[1] <= 180)):
            raise self.fail(where, f"'center' must be [latitude, longitude], got {value!r}")
        return float(value[0]), float(value[1])

    def polygon(self, entry: Dict[str, Any], where: str) -> Optional[Polygon]:
        value = entry.get("polygon")
        if value is None:
            return None
        try:
            shape = Polygon([(float(lng), float(lat)) for lat, lng in value])
        except (TypeError, ValueError) as exc:
            raise self.fail(where, f"'polygon' must be a list of [latitude, longitude] points: {exc}") from exc
        if len(value) < 3 or not shape.is_valid:
            raise self.fail(where, "'polygon' needs at least 3 points and must not cross itself")
        return shape

    def aliases(self, entry: Dict[str, Any], where: str) -> Tuple[str, ...]:
        value = entry.get("aliases") or []
        if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
            raise self.fail(where, "'aliases' must be a list of names")
        return tuple(a.strip() for a in value)

    def build(self) -> Gazetteer:
        top = "top level"
        province, city = self.text(self.data, "province", top), self.text(self.data, "city", top)
        district = self.text(self.data, "district", top)
        district_unit = Unit("district", district, self.text(self.data, "unit", top), district,
                             center=self.center(self.data, top))
        self.units.append(district_unit)
        named: List[Tuple[str, Unit]] = [(district, district_unit)]
        named += [(a, district_unit) for a in self.aliases(self.data, top)]
        streets = self.data.get("streets")
        if not isinstance(streets, list) or not streets:
            raise self.fail(top, "'streets' must list the district's streets")
        for i, street in enumerate(streets):
            named += self.street(street, district, f"streets[{i}]")
        street_names = {u.name for u in self.units if u.level == "street"}
        community_units = {u.name: u for u in self.units if u.level == "community"}
        for i, place in enumerate(self.data.get("places") or []):
            named += self.place(place, district, street_names, community_units, f"places[{i}]")
        seen: Dict[Tuple[str, str], str] = {}
        for u in self.units:
            key = (u.level, u.name)
            if key in seen:
                raise self.fail(u.name, f"{u.level} '{u.name}' is listed twice")
            seen[key] = u.name
        return _index(province, city, district, tuple(self.aliases(self.data, top)),
                      float(self.data.get("max_pin_distance_km", 3.0)), self.units, named)

    def street(self, entry: Any, district: str, where: str) -> List[Tuple[str, Unit]]:
        if not isinstance(entry, dict):
            raise self.fail(where, "each street is a mapping with name, unit, communities")
        name = self.text(entry, "name", where)
        where = f"street {name}"
        unit = Unit("street", name, self.text(entry, "unit", where), district, street=name,
                    center=self.center(entry, where), polygon=self.polygon(entry, where))
        self.units.append(unit)
        named = [(name, unit)] + [(a, unit) for a in self.aliases(entry, where)]
        for j, community in enumerate(entry.get("communities") or []):
            if not isinstance(community, dict):
                raise self.fail(f"{where} communities[{j}]", "each community is a mapping with a name")
            cname = self.text(community, "name", f"{where} communities[{j}]")
            cwhere = f"community {cname}"
            cunit = Unit("community", cname,
                         self.text(community, "unit", cwhere, required=False) or f"{cname}工作站",
                         district, street=name, community=cname,
                         center=self.center(community, cwhere), polygon=self.polygon(community, cwhere))
            self.units.append(cunit)
            named += [(cname, cunit)] + [(a, cunit) for a in self.aliases(community, cwhere)]
            for k, grid in enumerate(community.get("grids") or []):
                gwhere = f"{cwhere} grids[{k}]"
                if not isinstance(grid, dict):
                    raise self.fail(gwhere, "each grid is a mapping with a name")
                gname = self.text(grid, "name", gwhere)
                gunit = Unit("grid", gname, self.text(grid, "unit", gwhere, required=False) or f"{gname}网格员",
                             district, street=name, community=cname, grid=gname,
                             center=self.center(grid, gwhere), polygon=self.polygon(grid, gwhere))
                self.units.append(gunit)
                named += [(gname, gunit)] + [(a, gunit) for a in self.aliases(grid, gwhere)]
        return named

    def place(self, entry: Any, district: str, street_names: set, communities: Dict[str, Unit],
              where: str) -> List[Tuple[str, Unit]]:
        if not isinstance(entry, dict):
            raise self.fail(where, "each place is a mapping with name and community, street or streets")
        name = self.text(entry, "name", where)
        where = f"place {name}"
        community = self.text(entry, "community", where, required=False)
        street = self.text(entry, "street", where, required=False)
        spans = entry.get("streets") or []
        if community:
            if community not in communities:
                raise self.fail(where, f"community '{community}' is not in the gazetteer")
            street = communities[community].street
        elif street and street not in street_names:
            raise self.fail(where, f"street '{street}' is not in the gazetteer")
        unknown = [s for s in spans if s not in street_names]
        if unknown:
            raise self.fail(where, f"streets {unknown} are not in the gazetteer")
        if not (community or street or spans):
            raise self.fail(where, "needs 'community', 'street' or 'streets'")
        holder = communities.get(community) if community else None
        unit = Unit("place", name, holder.responsible_unit if holder else "", district, street=street,
                    community=community, kind=entry.get("kind") or "poi", streets=tuple(spans),
                    center=self.center(entry, where))
        self.units.append(unit)
        return [(name, unit)] + [(a, unit) for a in self.aliases(entry, where)]


def _index(province: str, city: str, district: str, aliases: Tuple[str, ...], max_km: float,
           units: List[Unit], named: Iterable[Tuple[str, Unit]]) -> Gazetteer:
    names: Dict[str, List[Unit]] = {}
    pinyin_names: Dict[Tuple[str, ...], List[Unit]] = {}
    latin: Dict[str, List[Unit]] = {}
    named = list(named)
    for name, unit in named:
        names.setdefault(name, []).append(unit)
    # what a resident says without the suffix (「沙头角」) means the unit whose alias it is, if any
    # (the street 沙头角街道), else the unit it abbreviates (「海涛」→ 海涛社区)
    spoken: Dict[str, List[Unit]] = {name: list(units) for name, units in names.items()}
    for name, unit in named:
        core = core_name(name)
        if core != name and core not in names:
            spoken.setdefault(core, []).append(unit)
    for name, meant in spoken.items():
        sounds = tuple(syllables(name))
        if len(name) >= 2:
            pinyin_names[sounds] = unique_units(pinyin_names.get(sounds, []) + meant)
        key = "".join(sounds)
        if len(key) >= 4 and re.fullmatch(r"[a-z]+", key) and name == core_name(name):
            latin[key] = unique_units(latin.get(key, []) + meant)
    return Gazetteer(province, city, district, aliases, max_km, units, names, pinyin_names, latin,
                     max(len(n) for n in names))


def unique_units(units: Iterable[Unit]) -> List[Unit]:
    """``units`` without repeats, in their first order."""
    out: List[Unit] = []
    for u in units:
        if u not in out:
            out.append(u)
    return out


def configured_path() -> Path:
    """settings/deployment.yml names the gazetteer file (relative to settings/)."""
    return SETTINGS_DIR / str(deployment_settings().get("gazetteer", "gazetteer/shenzhen-yantian.yml"))


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.load(configured_path())

"""The deployment's wall clock (settings/deployment.yml `timezone`).

Tickets store naive local times of the deployment's zone (what operators and residents read);
the APIs attach the zone when they serialise.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import yaml

from intake.paths import SETTINGS_DIR


@lru_cache(maxsize=1)
def zone() -> ZoneInfo:
    path = SETTINGS_DIR / "deployment.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return ZoneInfo((data or {}).get("timezone", "Asia/Shanghai"))


def now() -> datetime:
    return datetime.now(zone()).replace(tzinfo=None)


def aware(value: datetime) -> datetime:
    return value.replace(tzinfo=zone()) if value.tzinfo is None else value


def to_local(value: datetime) -> datetime:
    """An aware datetime converted to the deployment's naive local time."""
    return value.astimezone(zone()).replace(tzinfo=None) if value.tzinfo else value

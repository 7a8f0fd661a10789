"""The deployment's wall clock (settings/deployment.yml `timezone`).

Tickets store naive local times of the deployment's zone (what operators and residents read);
the APIs attach the zone when they serialise.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from common.yaml_file import deployment_settings


@lru_cache(maxsize=1)
def zone() -> ZoneInfo:
    return ZoneInfo(deployment_settings().get("timezone", "Asia/Shanghai"))


def now() -> datetime:
    return datetime.now(zone()).replace(tzinfo=None)


def aware(value: datetime) -> datetime:
    return value.replace(tzinfo=zone()) if value.tzinfo is None else value


def to_local(value: datetime) -> datetime:
    """An aware datetime converted to the deployment's naive local time."""
    return value.astimezone(zone()).replace(tzinfo=None) if value.tzinfo else value

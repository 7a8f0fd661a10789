"""settings/dispatch.yml: which adapters a ticket is delivered to, and the outbox's retry policy.

A deployment names its destinations (adapters) and routes tickets to them by category,
department, urgency or channel; secrets come from the environment, named by `*_env` keys. With
no adapters configured, `INTAKE_WEBHOOK_URL` (+ `INTAKE_WEBHOOK_SECRET`) routes every ticket to
one webhook — the simplest deployment.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Optional

from pydantic import BaseModel, Field, ValidationError, root_validator, validator

from common.paths import SETTINGS_DIR
from common.yaml_file import read_yaml

ADAPTER_TYPES = ("webhook", "open311", "export")
ROUTE_FIELDS = ("level1", "level2", "department", "urgency", "channel", "grade")
EXPORT_FORMATS = ("csv", "xlsx")
ENV_WEBHOOK = "webhook"  # the adapter name INTAKE_WEBHOOK_URL gets
ENV_SLA_ALERT = "sla_alert"  # and INTAKE_SLA_ALERT_URL


class DispatchSettingsError(ValueError):
    pass


class AdapterSettings(BaseModel):
    """One destination. webhook: url, secret_env. open311: url (the endpoint's base, …/v2),
    api_key_env, jurisdiction_id, service_codes (our category path or its prefix → the city's
    service_code; longest prefix wins; unmapped categories send default_service_code, else our own
    path), poll_s (how often the requests' status is read back). export: directory (under var/
    unless absolute), formats."""

    type: str
    url: Optional[str] = None
    url_env: Optional[str] = None
    secret_env: Optional[str] = None
    include_contact: bool = True
    timeout_s: Optional[float] = Field(None, gt=0)
    api_key_env: Optional[str] = None
    jurisdiction_id: Optional[str] = None
    service_codes: Dict[str, str] = {}
    default_service_code: Optional[str] = None
    poll_s: float = Field(300.0, gt=0)
    directory: str = "exports"
    formats: List[str] = ["csv", "xlsx"]

    @validator("type")
    def _known(cls, value: str) -> str:
        if value not in ADAPTER_TYPES:
            raise ValueError(f"type must be one of {ADAPTER_TYPES}")
        return value

    @validator("formats")
    def _formats(cls, value: List[str]) -> List[str]:
        unknown = [f for f in value if f not in EXPORT_FORMATS]
        if unknown or not value:
            raise ValueError(f"formats must be some of {EXPORT_FORMATS}")
        return value

    @root_validator(skip_on_failure=True)
    def _has_url(cls, values: dict) -> dict:
        if values["type"] != "export" and not values.get("url") and not values.get("url_env"):
            raise ValueError(f"a {values['type']} adapter needs url or url_env")
        return values

    def api_key(self) -> Optional[str]:
        return os.environ.get(self.api_key_env) if self.api_key_env else None

    def resolved_url(self) -> Optional[str]:
        return os.environ.get(self.url_env) if self.url_env else self.url

    def secret(self) -> Optional[str]:
        return os.environ.get(self.secret_env) if self.secret_env else None


class Route(BaseModel):
    adapters: List[str] = Field(..., min_items=1)
    when: Dict[str, List[str]] = {}

    @validator("when")
    def _fields(cls, value: Dict[str, List[str]]) -> Dict[str, List[str]]:
        unknown = set(value) - set(ROUTE_FIELDS)
        if unknown:
            raise ValueError(f"unknown fields {sorted(unknown)}; a route matches on {ROUTE_FIELDS}")
        return value

    def matches(self, fields: Mapping[str, Optional[str]]) -> bool:
        return all(fields.get(name) in wanted for name, wanted in self.when.items())


class OutboxSettings(BaseModel):
    max_attempts: int = Field(8, ge=1)
    base_delay_s: float = Field(2.0, gt=0)
    max_delay_s: float = Field(60.0, gt=0)
    jitter: float = Field(0.2, ge=0, le=1)
    timeout_s: float = Field(10.0, gt=0)
    batch: int = Field(50, ge=1)
    concurrency: int = Field(16, ge=1)
    poll_s: float = Field(0.2, gt=0)
    lease_s: float = Field(60.0, gt=0)


class DispatchSettings(BaseModel):
    adapters: Dict[str, AdapterSettings] = {}
    routes: List[Route] = []
    outbox: OutboxSettings = OutboxSettings()
    # a ticket flagged for review (category unsure, place unconfirmed) waits for an operator's
    # approval in the console before it is delivered; 特急 tickets never wait
    hold_for_review: bool = True

    @root_validator(skip_on_failure=True)
    def _routes_name_adapters(cls, values: dict) -> dict:
        for route in values.get("routes") or []:
            missing = [name for name in route.adapters if name not in values.get("adapters", {})]
            if missing:
                raise ValueError(f"routes name adapters that are not defined: {missing}")
        return values

    def with_environment(self) -> "DispatchSettings":
        """The settings, plus the INTAKE_WEBHOOK_URL shortcut when no adapter is configured, and
        the INTAKE_SLA_ALERT_URL webhook (no route: it receives overdue alerts only)."""
        settings = self
        if not self.adapters and os.environ.get("INTAKE_WEBHOOK_URL"):
            hook = AdapterSettings(type="webhook", url_env="INTAKE_WEBHOOK_URL", secret_env="INTAKE_WEBHOOK_SECRET")
            settings = settings.copy(update={"adapters": {ENV_WEBHOOK: hook}, "routes": [Route(adapters=[ENV_WEBHOOK])]})
        if os.environ.get("INTAKE_SLA_ALERT_URL") and ENV_SLA_ALERT not in settings.adapters:
            alert = AdapterSettings(type="webhook", url_env="INTAKE_SLA_ALERT_URL", secret_env="INTAKE_SLA_ALERT_SECRET")
            settings = settings.copy(update={"adapters": {**settings.adapters, ENV_SLA_ALERT: alert}})
        return settings

    def adapters_for(self, fields: Mapping[str, Optional[str]]) -> List[str]:
        """Every adapter of every route the ticket's fields match, each once, in route order."""
        names: List[str] = []
        for route in self.routes:
            if route.matches(fields):
                names += [name for name in route.adapters if name not in names]
        return names


def load_dispatch_settings(path: Optional[Path] = None) -> DispatchSettings:
    path = path or SETTINGS_DIR / "dispatch.yml"
    data = read_yaml(path, DispatchSettingsError, "the dispatch settings") if path.exists() else None
    try:
        return DispatchSettings.parse_obj(data or {}).with_environment()
    except ValidationError as exc:
        raise DispatchSettingsError(f"{path}: {exc}") from exc


@lru_cache(maxsize=1)
def dispatch_settings() -> DispatchSettings:
    return load_dispatch_settings()

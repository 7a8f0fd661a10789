"""settings/console.yml: how long console sessions live, when sign-in locks, the queue's page."""
from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, Field, ValidationError

from common.paths import SETTINGS_DIR
from common.yaml_file import read_yaml


class ConsoleSettingsError(ValueError):
    pass


class SessionSettings(BaseModel):
    idle_minutes: float = Field(120, gt=0)
    max_hours: float = Field(12, gt=0)


class LoginSettings(BaseModel):
    max_failures: int = Field(5, ge=1)
    lock_minutes: float = Field(15, gt=0)
    per_address_per_minute: int = Field(20, ge=1)


class PasswordSettings(BaseModel):
    min_length: int = Field(10, ge=8)


class QueueSettings(BaseModel):
    page_size: int = Field(50, ge=1, le=500)
    live_poll_s: float = Field(2, gt=0)


class ConsoleSettings(BaseModel):
    sessions: SessionSettings = SessionSettings()
    login: LoginSettings = LoginSettings()
    passwords: PasswordSettings = PasswordSettings()
    queue: QueueSettings = QueueSettings()


@lru_cache(maxsize=1)
def console_settings() -> ConsoleSettings:
    path = SETTINGS_DIR / "console.yml"
    data = read_yaml(path, ConsoleSettingsError, "the console settings") if path.exists() else None
    try:
        return ConsoleSettings(**(data or {}))
    except ValidationError as exc:
        raise ConsoleSettingsError(f"{path}: {exc}") from exc

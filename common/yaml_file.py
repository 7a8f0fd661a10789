"""Reading a deployment's YAML settings files with one clear error when one cannot be read."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Type

import yaml

from common.paths import SETTINGS_DIR


def read_yaml(path: Path, error: Type[Exception], what: str) -> Any:
    """The parsed file, or ``error`` naming the file and what it should have been."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise error(f"{path}: cannot read {what}: {exc}") from exc


class DeploymentSettingsError(ValueError):
    pass


@lru_cache(maxsize=1)
def deployment_settings() -> Dict[str, Any]:
    """settings/deployment.yml (time zone, gazetteer, SLA day kind, calendar), read once;
    an absent file means the defaults."""
    path = SETTINGS_DIR / "deployment.yml"
    data = read_yaml(path, DeploymentSettingsError, "the deployment settings") if path.exists() else None
    if data is not None and not isinstance(data, dict):
        raise DeploymentSettingsError(f"{path}: expected a mapping (timezone, gazetteer, sla_days, calendar)")
    return data or {}

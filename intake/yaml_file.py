"""Reading a deployment's YAML settings file with one clear error when it cannot be read."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Type

import yaml


def read_yaml(path: Path, error: Type[Exception], what: str) -> Any:
    """The parsed file, or ``error`` naming the file and what it should have been."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise error(f"{path}: cannot read {what}: {exc}") from exc

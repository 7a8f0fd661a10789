"""Where the project's files are; every path can be moved with an environment variable."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("INTAKE_ROOT", Path(__file__).resolve().parent.parent))
SETTINGS_DIR = Path(os.environ.get("INTAKE_SETTINGS_DIR", PROJECT_ROOT / "settings"))
TRAINING_DATA_DIR = PROJECT_ROOT / "training_data"
MODELS_DIR = Path(os.environ.get("INTAKE_MODELS_DIR", PROJECT_ROOT / "models"))
VAR_DIR = Path(os.environ.get("INTAKE_VAR_DIR", PROJECT_ROOT / "var"))


def venv_bin(name: str) -> str:
    """An executable from this virtualenv first, then from PATH."""
    local = Path(sys.executable).with_name(name)
    return str(local) if local.exists() else (shutil.which(name) or name)

"""The installed environment: Rasa's own checks pass and torch/transformers import beside it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from common.paths import PROJECT_ROOT
from intake.training import RASA_DATA


def test_rasa_data_validate_passes():
    rasa = str(Path(sys.executable).with_name("rasa"))
    result = subprocess.run([rasa, "data", "validate", "--domain", "bot/domain", "--data", *RASA_DATA],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_torch_and_transformers_import_beside_rasa():
    code = ("import rasa, tensorflow, torch, transformers, numpy;"
            "assert torch.__version__.startswith('2.13.0'), torch.__version__;"
            "assert numpy.__version__ == '1.23.5';"
            "print(rasa.__version__, torch.__version__, transformers.__version__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert out.stdout.startswith("3.6.21 2.13.0")


def test_pip_check_shows_only_documented_deviations():
    pip = str(Path(sys.executable).with_name("pip"))
    result = subprocess.run([str(PROJECT_ROOT / "install" / "pip_check.sh"), pip], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr

"""The installed environment: torch/transformers import beside Rasa (Rasa's own data checks run in
test_dialogue_check.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from common.paths import PROJECT_ROOT


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

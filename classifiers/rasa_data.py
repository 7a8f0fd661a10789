"""Rasa's own check of the training data (`rasa data validate --fail-on-warnings` over the domain,
the NLU and problem examples, the rules and stories), for `intake check-dialogue` and for
trainers in the console after they accept corrections: one command, one reading of its output.

Two kinds of warning are expected and not counted: responses that only custom actions utter (the
validator cannot see them there) and intents only the app server triggers (EXTERNAL_…, which
must have no text examples)."""
from __future__ import annotations

import hashlib
import re
import subprocess
import time
from pathlib import Path
from typing import List

from pydantic import BaseModel

from common.paths import PROJECT_ROOT, venv_bin

#: the training data `rasa train` and `rasa data validate` read
RASA_DATA = ["training_data/nlu", "training_data/problems", "bot/data"]
UNSEEN_BY_VALIDATOR = "is not used in any story or rule"
EXTERNAL_INTENT = re.compile(r"The intent 'EXTERNAL_\w+' is listed in the domain file, but is not found in the NLU")
#: Rasa prints its problems as warnings (rasa/shared/utils/io.py) and as error log lines
_ERROR = re.compile(r"\b(?:ERROR|CRITICAL)\b|InvalidDomain|YamlSyntaxException|YamlValidationException")


#: what the Rasa model is made from: config, domain, data and the code of our trainable component
#: (Rasa's own training cache does not see code changes, so a retrain is always --force)
RASA_INPUTS = ["config.yml", "bot/domain", *RASA_DATA, "classifiers/intent_component.py",
               "classifiers/linear_model.py", "classifiers/features.py", "nlu/normalize.py"]


def rasa_inputs_fingerprint() -> str:
    """Changes when the pipeline config, the domain or any Rasa training file changes: kept with
    each dialogue version, and what `intake train` compares to train only when something changed."""
    digest = hashlib.sha256()
    for entry in RASA_INPUTS:
        path = PROJECT_ROOT / entry
        for file in sorted(path.rglob("*.yml")) if path.is_dir() else [path]:
            digest.update(str(file.relative_to(PROJECT_ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def rasa_train_command(out: Path) -> List[str]:
    """`rasa train` of the dialogue model (intent model and policies) into ``out``; always --force:
    Rasa's cache does not see changes in our components' code."""
    return [venv_bin("rasa"), "train", "--config", "config.yml", "--domain", "bot/domain",
            "--data", *RASA_DATA, "--out", str(out), "--force"]


def expected_warning(warning: str) -> bool:
    return UNSEEN_BY_VALIDATOR in warning or bool(EXTERNAL_INTENT.search(warning))


class DataValidation(BaseModel):
    ok: bool
    warnings: List[str]  # the ones that count
    expected_warnings: List[str]  # responses only actions utter, intents only the app server triggers
    errors: List[str]
    seconds: float


def validate_rasa_data(timeout_s: float = 600) -> DataValidation:
    """Run `rasa data validate --fail-on-warnings`; ``ok`` only when Rasa passes it and no
    warning besides the expected ones was printed."""
    started = time.monotonic()
    done = subprocess.run([venv_bin("rasa"), "data", "validate", "--domain", "bot/domain", "--data", *RASA_DATA,
                           "--config", "config.yml", "--fail-on-warnings"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout_s)
    lines = (done.stdout + done.stderr).splitlines()
    warnings = [line.split("UserWarning: ", 1)[1] for line in lines
                if "UserWarning: " in line and "rasa/shared/utils/io.py" in line]
    counted = [w for w in warnings if not expected_warning(w)]
    errors = [line.strip() for line in lines if _ERROR.search(line)][:50]
    if done.returncode != 0 and not errors:
        errors = [f"rasa data validate exited with {done.returncode}: {' '.join(lines[-5:])[-800:]}"]
    return DataValidation(ok=done.returncode == 0 and not counted, warnings=counted,
                          expected_warnings=[w for w in warnings if expected_warning(w)], errors=errors,
                          seconds=round(time.monotonic() - started, 1))

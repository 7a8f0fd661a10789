"""`intake check-dialogue`: Rasa's own checks of the dialogue — `rasa data validate
--fail-on-warnings` on the training data, then `rasa test core --e2e` on the conversation tests in
tests/stories (their user texts go through the NLU, so a misread intent fails a story too)."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import List

import yaml

from common.paths import PROJECT_ROOT
from intake.services import DIALOGUE_MODELS, venv_bin
from intake.training import RASA_DATA

STORIES = PROJECT_ROOT / "tests" / "stories"
#: Rasa's validator names responses that only custom actions utter (it cannot see them there)
UNSEEN_BY_VALIDATOR = "is not used in any story or rule"
#: and intents only the app server triggers (EXTERNAL_…), which must have no text examples
EXTERNAL_INTENT = re.compile(r"The intent 'EXTERNAL_\w+' is listed in the domain file, but is not found in the NLU")


def expected_warning(warning: str) -> bool:
    return UNSEEN_BY_VALIDATOR in warning or bool(EXTERNAL_INTENT.search(warning))


@dataclass
class DialogueCheck:
    validate_ok: bool
    validate_warnings: List[str]
    stories: int
    failed: List[str]
    log: str

    @property
    def ok(self) -> bool:
        return self.validate_ok and not self.failed and self.stories > 0


def _run(command: List[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)


def check_dialogue(out: Path) -> DialogueCheck:
    validate = _run([venv_bin("rasa"), "data", "validate", "--domain", "bot/domain", "--data", *RASA_DATA,
                     "--config", "config.yml", "--fail-on-warnings"])
    warnings = [line.split("UserWarning: ", 1)[1] for line in (validate.stdout + validate.stderr).splitlines()
                if "UserWarning: " in line and "rasa/shared/utils/io.py" in line]
    test = _run([venv_bin("rasa"), "test", "core", "--e2e", "--model", str(DIALOGUE_MODELS), "--stories",
                 str(STORIES), "--endpoints", "endpoints.yml", "--out", str(out)])
    report = out / "story_report.json"
    failed_file = out / "failed_test_stories.yml"
    failed = [s["story"] for s in (yaml.safe_load(failed_file.read_text(encoding="utf-8")) or {}).get("stories", [])] \
        if failed_file.exists() else []
    stories = sum(len((yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("stories", []))
                  for p in STORIES.glob("test_*.yml"))
    if test.returncode != 0 or not report.exists():
        failed = failed or [f"rasa test exited with {test.returncode}"]
    return DialogueCheck(validate_ok=validate.returncode == 0, validate_warnings=warnings, stories=stories,
                         failed=failed, log=(validate.stderr + test.stderr)[-4000:])

"""`intake check-dialogue`: Rasa's own checks of the dialogue — `rasa data validate
--fail-on-warnings` on the training data, then `rasa test core --e2e` on the conversation tests in
tests/stories (their user texts go through the NLU, so a misread intent fails a story too)."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import List

import yaml

from classifiers.dialogue_versions import DialogueVersions
from classifiers.rasa_data import DataValidation, validate_rasa_data
from common.paths import PROJECT_ROOT, venv_bin

STORIES = PROJECT_ROOT / "tests" / "stories"


@dataclass
class DialogueCheck:
    validation: DataValidation
    stories: int
    failed: List[str]
    log: str

    @property
    def ok(self) -> bool:
        return self.validation.ok and not self.failed and self.stories > 0


def _run(command: List[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)


def check_dialogue(out: Path) -> DialogueCheck:
    validation = validate_rasa_data()
    test = _run([venv_bin("rasa"), "test", "core", "--e2e", "--model", str(DialogueVersions().model_path()), "--stories",
                 str(STORIES), "--endpoints", "endpoints.yml", "--out", str(out)])
    report = out / "story_report.json"
    failed_file = out / "failed_test_stories.yml"
    failed = [s["story"] for s in (yaml.safe_load(failed_file.read_text(encoding="utf-8")) or {}).get("stories", [])] \
        if failed_file.exists() else []
    stories = sum(len((yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("stories", []))
                  for p in STORIES.glob("test_*.yml"))
    if test.returncode != 0 or not report.exists():
        failed = failed or [f"rasa test exited with {test.returncode}"]
    return DialogueCheck(validation=validation, stories=stories, failed=failed,
                         log="\n".join([*validation.errors, test.stderr[-4000:]]))

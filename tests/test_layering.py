"""The import graph points down: common/ is the ground, dispatch/ knows tickets (not language),
intake/ is the top that nothing in the product imports."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Set

import pytest

from common.paths import PROJECT_ROOT

OURS = {"common", "dispatch", "console", "nlu", "classifiers", "actions", "channels", "appserver", "rasa_server", "intake",
        "bench", "tests"}

#: what each package may import besides itself
ALLOWED = {
    "common": set(),
    "dispatch": {"common"},
    "classifiers": {"common", "nlu", "dispatch"},
    "nlu": {"common", "classifiers", "dispatch"},
    "actions": {"common", "dispatch", "nlu", "classifiers"},
    "channels": {"common", "dispatch", "nlu"},
    "rasa_server": {"common", "nlu"},  # the Rasa host reads the conversation settings
    "console": {"common", "dispatch"},  # accounts, sessions, the review queue: tickets, not language
    "appserver": {"common", "dispatch", "nlu", "classifiers", "channels", "console"},
}


def imports_of(package: str) -> Dict[str, Set[str]]:
    found: Dict[str, Set[str]] = {}
    for path in (PROJECT_ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(PROJECT_ROOT))] = (names & OURS) - {package}
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_down(package):
    wrong = {path: sorted(names - ALLOWED[package]) for path, names in imports_of(package).items()
             if names - ALLOWED[package]}
    assert not wrong, f"{package}/ may import only {sorted(ALLOWED[package])}: {wrong}"

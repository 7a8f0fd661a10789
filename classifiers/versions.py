"""Model versions kept side by side with a link to the active one: what both trained models — the
problem-type classifier (classifiers/registry.py) and Rasa's dialogue model
(classifiers/dialogue_versions.py) — share. Every version's record (who trained it, when it was
activated by whom) is in a JSON file beside the versions; activating or rolling back swaps the
link atomically, so a process reading it sees the old version or the new one, never half of one.
"""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Dict, Generic, List, Optional, Type, TypeVar

from pydantic import BaseModel

from common import clock


class RegistryError(ValueError):
    """What cannot be done with the versions; the message says why."""


class Activation(BaseModel):
    at: datetime
    by: str


class Evaluation(BaseModel):
    test_file: str
    test_fingerprint: str
    depth: Optional[int] = None  # the taxonomy level a problem-type test file is labelled at
    messages: int
    accuracy: float
    macro_f1: float
    at: datetime


class VersionRecord(BaseModel):
    version: str
    created_at: datetime
    trained_by: str
    data_fingerprint: Optional[str] = None
    activations: List[Activation] = []
    evaluations: List[Evaluation] = []


Record = TypeVar("Record", bound=VersionRecord)


class VersionStore(Generic[Record]):
    """Versions under ``versions_dir`` (one file or folder each), their records in ``file``, and
    ``link`` pointing at the active one. One writer at a time: the trainer."""

    record: Type[Record]
    hint = "`intake models list` shows them"

    def __init__(self, versions_dir: Path, link: Path, file: Path) -> None:
        self.dir, self.link, self.file = versions_dir, link, file

    def _read(self) -> Dict[str, Record]:
        if not self.file.exists():
            return {}
        return {v["version"]: self.record(**v) for v in json.loads(self.file.read_text(encoding="utf-8"))}

    def _write(self, versions: Dict[str, Record]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.file.with_suffix(".tmp")
        temporary.write_text(json.dumps([json.loads(v.json()) for v in versions.values()], ensure_ascii=False, indent=1),
                             encoding="utf-8")
        temporary.replace(self.file)

    def path(self, version: str) -> Path:
        return self.dir / version

    def usable(self, version: str) -> bool:
        """The version is there to be loaded."""
        return self.path(version).exists()

    def _point_at(self, version: str) -> None:
        target = self.path(version)
        temporary = self.link.with_name(f".{self.link.name}.{os.getpid()}.tmp")
        if temporary.is_symlink():
            temporary.unlink()
        temporary.symlink_to(os.path.relpath(target, self.link.parent), target_is_directory=target.is_dir())
        os.replace(temporary, self.link)  # atomic: a reader sees the old version or the new one

    def versions(self) -> List[Record]:
        return sorted(self._read().values(), key=lambda v: v.created_at, reverse=True)

    def active(self) -> Optional[str]:
        return os.readlink(self.link).split(os.sep)[-1] if self.link.is_symlink() else None

    def newest(self) -> Optional[str]:
        found = self.versions()
        return found[0].version if found else None

    def default_comparison(self) -> List[str]:
        """What a trainer compares when they name no versions: the active one and the newest."""
        return [v for v in dict.fromkeys([self.active(), self.newest()]) if v]

    def get(self, version: str) -> Record:
        found = self._read().get(version)
        if found is None:
            raise RegistryError(f"no model version {version}; {self.hint}")
        return found

    def activate(self, version: str, by: str) -> Record:
        versions = self._read()
        if version not in versions or not self.usable(version):
            raise RegistryError(f"no model version {version}; {self.hint}")
        self._point_at(version)
        versions[version].activations.append(Activation(at=clock.now(), by=by))
        self._write(versions)
        return versions[version]

    def record_evaluation(self, version: str, evaluation: Evaluation) -> None:
        """What ``version`` scored on a test file (the same file again replaces the figure)."""
        versions = self._read()
        found = versions[version]
        found.evaluations = [e for e in found.evaluations if e.test_fingerprint != evaluation.test_fingerprint]
        found.evaluations.append(evaluation)
        self._write(versions)

    def rollback(self, by: str) -> Record:
        """Back to the version that was active before the current one."""
        current = self.active()
        history = sorted(((a.at, v.version) for v in self._read().values() for a in v.activations), reverse=True)
        earlier = [version for _, version in history if version != current and self.usable(version)]
        if not earlier:
            raise RegistryError("no earlier active version to roll back to")
        return self.activate(earlier[0], by)

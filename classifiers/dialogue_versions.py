"""Rasa's dialogue models (the intent model and the dialogue policies, one archive per `rasa
train` in models/dialogue/) as versions a trainer activates and rolls back, like the problem-type
model's. models/dialogue_active.tar.gz links to the active archive; the Rasa server is started on
the link and each of its workers loads the version the link points at within seconds
(rasa_server/model_follow.py) — no restart, no conversation dropped.

An archive that is not in the records yet (trained by `intake train` or `rasa train`) is adopted
as a version when the versions are read; with no link yet, the newest archive becomes active.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Optional

from classifiers.versions import VersionRecord, VersionStore
from common import clock
from common.paths import MODELS_DIR

DIALOGUE_DIR = MODELS_DIR / "dialogue"
ACTIVE_LINK = MODELS_DIR / "dialogue_active.tar.gz"
KEEP_ARCHIVES = 4  # the active one and the newest others, for rolling back


class DialogueVersion(VersionRecord):
    size_mb: float = 0.0


class DialogueVersions(VersionStore[DialogueVersion]):
    record = DialogueVersion
    hint = "`intake models list --dialogue` shows them"

    def __init__(self, archives: Path = DIALOGUE_DIR, link: Path = ACTIVE_LINK) -> None:
        super().__init__(archives, link, archives / "registry.json")
        self._adopt()

    def _adopt(self, by: str = "intake train", fingerprint: Optional[str] = None) -> None:
        """Archives without a record get one (``by`` trained them from data with ``fingerprint``)."""
        versions = self._read()
        known: Dict[str, DialogueVersion] = {}
        for archive in sorted(self.dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime):
            made = clock.to_local(datetime.fromtimestamp(archive.stat().st_mtime, timezone.utc))
            known[archive.name] = versions.get(archive.name) or DialogueVersion(
                version=archive.name, created_at=made, trained_by=by, data_fingerprint=fingerprint,
                size_mb=round(archive.stat().st_size / 2**20, 1))
        if known != versions:
            self._write(known)
        if known and (self.active() is None or not self.usable(self.active())):
            self.activate(self.newest(), by)

    def adopt_trained(self, by: str, fingerprint: Optional[str]) -> Optional[DialogueVersion]:
        """After a training: the archive it wrote (the newest) is a version trained by ``by`` from
        data with ``fingerprint`` — also when reading the versions adopted it a moment before."""
        self._adopt(by, fingerprint)
        versions = self._read()
        newest = self.newest()
        if newest is None:
            return None
        made = versions[newest]
        if fingerprint and made.data_fingerprint is None:
            made.trained_by, made.data_fingerprint = by, fingerprint
            self._write(versions)
        return made

    def activate_newest(self, by: str, fingerprint: Optional[str] = None) -> Optional[DialogueVersion]:
        """After `intake train`: the archive it wrote becomes a version and the active one."""
        self.adopt_trained(by, fingerprint)
        newest = self.newest()
        if newest is None:
            return None
        return self.get(newest) if newest == self.active() else self.activate(newest, by)

    def model_path(self) -> Path:
        """What the Rasa server and `rasa test` load: the link, or the folder (its newest archive)
        before any model was trained."""
        return self.link if self.link.is_symlink() else self.dir

    def prune(self, keep: int = KEEP_ARCHIVES) -> None:
        """Delete the oldest archives beyond ``keep``, never the active one."""
        current = self.active()
        others = [v.version for v in self.versions() if v.version != current]
        for old in others[max(keep - 1, 0):]:
            self.path(old).unlink(missing_ok=True)
        self._adopt()

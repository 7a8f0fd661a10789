"""The problem-type model's versions: each training is kept as a version of its own
(models/problem_type_versions/<version>/) with what it was made from (the examples' fingerprint,
how many, who trained it), what it scored on which test file, and who activated it when.

models/problem_type, where every process loads the model from, is a symbolic link to the active
version; activating or rolling back swaps the link atomically (classifiers/versions.py), and the
processes that classify (Rasa, the action server, the app server) load the new version with their
next message
(classifiers/problem_type.py follows the link) — conversations go on, nothing restarts.
"""
from __future__ import annotations

import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional, Sequence

from classifiers.examples import Example, problem_example_files, read_examples
from classifiers.linear_model import LinearConfig, LinearTextClassifier
from classifiers.problem_features import ProblemTypeModel
from classifiers.problem_type import MODEL_DIR
from classifiers.taxonomy import default_taxonomy
from classifiers.freshness import problem_data_fingerprint
from classifiers.versions import Activation, RegistryError, VersionRecord, VersionStore
from common import clock

VERSIONS_DIR = MODEL_DIR.parent / "problem_type_versions"
KEEP_VERSIONS = 8  # inactive versions kept for rolling back; older ones are deleted


class ModelVersion(VersionRecord):
    examples: int = 0
    labels: int = 0
    train_seconds: float = 0.0


class Registry(VersionStore[ModelVersion]):
    """The problem-type model's versions (folders) and registry.json beside them."""

    record = ModelVersion

    def __init__(self, versions_dir: Path = VERSIONS_DIR, link: Path = MODEL_DIR) -> None:
        super().__init__(versions_dir, link, versions_dir / "registry.json")
        self._adopt_plain_directory()

    def _adopt_plain_directory(self) -> None:
        """A model trained before versions existed (a plain directory) becomes the first version."""
        if self.link.is_symlink() or not (self.link / "meta.json").exists():
            return
        meta = LinearTextClassifier.read_meta(self.link)
        made = clock.to_local(datetime.fromtimestamp((self.link / "meta.json").stat().st_mtime, timezone.utc))
        version = self._new_name(made)
        self.dir.mkdir(parents=True, exist_ok=True)
        shutil.move(str(self.link), str(self.dir / version))
        versions = self._read()
        versions[version] = ModelVersion(version=version, created_at=made, trained_by="intake train",
                                         data_fingerprint=meta.get("fingerprint"), examples=meta.get("examples", 0),
                                         labels=len(meta.get("labels", [])), train_seconds=meta.get("train_seconds", 0),
                                         activations=[Activation(at=made, by="intake train")])
        self._write(versions)
        self._point_at(version)

    def _new_name(self, at: datetime) -> str:
        base = f"{at:%Y%m%d-%H%M%S}"
        name, n = base, 1
        while (self.dir / name).exists():
            n += 1
            name = f"{base}-{n}"
        return name

    def directory(self, version: str) -> Path:
        return self.dir / version

    def usable(self, version: str) -> bool:
        return (self.dir / version / "meta.json").exists()

    def train(self, by: str, examples: Optional[Sequence[Example]] = None, fingerprint: Optional[str] = None,
              config: Optional[LinearConfig] = None,
              progress: Optional[Callable[[int, int], None]] = None) -> ModelVersion:
        """A new version from ``examples`` (default: training_data/problems); not active yet. Every
        example's category must be in the taxonomy, or the version could not be loaded."""
        if examples is None:
            files = problem_example_files()
            examples, fingerprint = read_examples(files), problem_data_fingerprint(files)
        taxonomy = default_taxonomy()
        unknown = sorted({e.label for e in examples if e.label not in taxonomy})
        if unknown:
            raise RegistryError(f"examples use categories missing from {taxonomy.source}: {unknown}")
        started = time.perf_counter()
        model = ProblemTypeModel.train([e.text for e in examples], [e.label for e in examples],
                                       config, progress=progress)
        seconds = time.perf_counter() - started
        now = clock.now()
        version = self._new_name(now)
        model.save(self.dir / version, {"fingerprint": fingerprint, "examples": len(examples),
                                        "train_seconds": round(seconds, 2), "trained_by": by})
        made = ModelVersion(version=version, created_at=now, trained_by=by, data_fingerprint=fingerprint,
                            examples=len(examples), labels=len(model.labels), train_seconds=round(seconds, 2))
        versions = self._read()
        versions[version] = made
        self._write(versions)
        self._prune()
        return made

    def _prune(self) -> None:
        versions = self._read()
        ever_active = {v.version for v in versions.values() if v.activations}
        current = self.active()
        never = [v for v in sorted(versions.values(), key=lambda v: v.created_at, reverse=True)
                 if v.version != current and v.version not in ever_active]
        old_active = [v for v in sorted(versions.values(), key=lambda v: v.created_at, reverse=True)
                      if v.version != current and v.version in ever_active]
        for gone in never[KEEP_VERSIONS:] + old_active[KEEP_VERSIONS:]:
            shutil.rmtree(self.dir / gone.version, ignore_errors=True)
            versions.pop(gone.version)
        self._write(versions)

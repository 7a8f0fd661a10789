"""Training of the shipped problem-type model from our own examples (training_data/problems)."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import List, Optional

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from classifiers.examples import problem_example_files
from classifiers.linear_model import LinearConfig, LinearTextClassifier
from classifiers.problem_type import MODEL_DIR
from common.paths import SETTINGS_DIR


def data_fingerprint(files: List[Path]) -> str:
    """Changes whenever an example file, the taxonomy or the model code changes."""
    digest = hashlib.sha256()
    for path in [*files, SETTINGS_DIR / "taxonomy.yml", Path(__file__).with_name("linear_model.py"), Path(__file__).with_name("features.py")]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_up_to_date(directory: Path = MODEL_DIR) -> bool:
    if not (directory / "meta.json").exists():
        return False
    meta = LinearTextClassifier.read_meta(directory)
    return meta.get("fingerprint") == data_fingerprint(problem_example_files())


def train_shipped_model(by: str = "intake train", config: Optional[LinearConfig] = None,
                        activate: bool = True) -> dict:
    """A new version of the problem-type model from training_data/problems with a progress bar,
    activated at once by `intake train`; `intake models train` leaves it for a trainer to compare."""
    from classifiers.registry import Registry

    config = config or LinearConfig()
    registry = Registry()
    with Progress(TextColumn("[bold]problem-type model"), BarColumn(), TextColumn("category {task.completed}/{task.total}"),
                  TimeElapsedColumn()) as bar:
        task = bar.add_task("train", total=None)
        made = registry.train(by, config=config, progress=lambda step, total: bar.update(task, completed=step, total=total))
    if activate:
        registry.activate(made.version, by)
    return {"examples": made.examples, "labels": made.labels, "seconds": made.train_seconds, "version": made.version}

"""Training of the shipped problem-type model from our own examples (training_data/problems)."""
from __future__ import annotations

from typing import Optional

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from classifiers.linear_model import LinearConfig


def train_shipped_model(by: str = "intake train", config: Optional[LinearConfig] = None,
                        activate: bool = True) -> dict:
    """A new version of the problem-type model from training_data/problems with a progress bar,
    activated at once by `intake train`; `intake models train` leaves it for a trainer to compare."""
    from classifiers.registry import Registry

    registry = Registry()
    with Progress(TextColumn("[bold]problem-type model"), BarColumn(), TextColumn("category {task.completed}/{task.total}"),
                  TimeElapsedColumn()) as bar:
        task = bar.add_task("train", total=None)
        made = registry.train(by, config=config, progress=lambda step, total: bar.update(task, completed=step, total=total))
    if activate:
        registry.activate(made.version, by)
    return {"examples": made.examples, "labels": made.labels, "seconds": made.train_seconds, "version": made.version}

"""`intake models`: the problem-type model's versions for trainers — list them, train a new one
from training_data/ (not active until chosen), compare versions on the same labelled file,
activate one or roll back. Running services pick up an activation with their next message.
With --dialogue, list/activate/rollback work on Rasa's dialogue model (`intake train` makes its
versions; every Rasa worker loads an activated one within seconds)."""
from __future__ import annotations

import getpass
from pathlib import Path
from typing import List

import typer
from rich.console import Console

models_app = typer.Typer(help="Versions of the problem-type model (--dialogue: of Rasa's dialogue model): "
                              "list, train, compare, activate, rollback.", no_args_is_help=True)
console = Console(soft_wrap=True)
BY = typer.Option(None, "--by", help="who does it (recorded in the registry); default: the shell user")
DIALOGUE = typer.Option(False, "--dialogue", help="Rasa's dialogue model instead of the problem-type model")


def _registry(dialogue: bool = False):
    from classifiers.dialogue_versions import DialogueVersions
    from classifiers.registry import Registry

    return DialogueVersions() if dialogue else Registry()


def _who(by) -> str:
    return by or getpass.getuser()


def _fail(exc: Exception) -> None:
    console.print(f"[red]{exc}[/red]")
    raise typer.Exit(2)


@models_app.command("list")
def list_versions(dialogue: bool = DIALOGUE) -> None:
    registry = _registry(dialogue)
    active = registry.active()
    for v in registry.versions():
        last = v.activations[-1] if v.activations else None
        if dialogue:
            what = f"{v.size_mb} MB, trained by {v.trained_by}"
        else:
            scores = "; ".join(f"{Path(e.test_file).name} F1 {e.macro_f1:.3f}" for e in v.evaluations) or "not evaluated"
            what = (f"{v.examples} examples, {v.labels} categories, trained by {v.trained_by} in {v.train_seconds:.0f} s; "
                    f"{scores}")
        console.print(f"{'*' if v.version == active else ' '} {v.version}  {what}"
                      + (f"; last activated {last.at:%Y-%m-%d %H:%M} by {last.by}" if last else ""))


@models_app.command("train")
def train(by: str = BY) -> None:
    """A new version from training_data/problems (with progress); `activate` makes it live."""
    from classifiers.registry import RegistryError
    from classifiers.train import train_shipped_model

    try:
        made = train_shipped_model(_who(by), activate=False)
    except RegistryError as exc:
        _fail(exc)
    console.print(f"trained {made['version']}: {made['examples']} examples, {made['labels']} categories, {made['seconds']:.1f} s; "
                  f"compare it with `intake models compare {made['version']} --test FILE`, then `intake models activate`")


@models_app.command("compare")
def compare(versions: List[str] = typer.Argument(None, help="versions (default: the active one and the newest)"),
            test: Path = typer.Option(..., help="labelled CSV/xlsx (title, text, label) none of the versions trained on"),
            out: Path = typer.Option(Path("results/model-compare"), help="where report.md and the confusion matrices go")) -> None:
    from classifiers.compare import compare_versions
    from classifiers.datasets import DatasetError
    from classifiers.registry import RegistryError

    registry = _registry()
    versions = versions or registry.default_comparison()
    try:
        report = compare_versions(registry, versions, test, out)
    except (DatasetError, RegistryError) as exc:
        _fail(exc)
    console.print(report["markdown"].split("\n\nF1 per class")[0])
    console.print(f"full report: {out / 'report.md'}")


@models_app.command("activate")
def activate(version: str, by: str = BY, dialogue: bool = DIALOGUE) -> None:
    from classifiers.registry import RegistryError

    try:
        made = _registry(dialogue).activate(version, _who(by))
    except RegistryError as exc:
        _fail(exc)
    console.print(f"{made.version} is active; running services use it from their next message"
                  + (" (each Rasa worker within a few seconds)" if dialogue else ""))


@models_app.command("rollback")
def rollback(by: str = BY, dialogue: bool = DIALOGUE) -> None:
    from classifiers.registry import RegistryError

    try:
        made = _registry(dialogue).rollback(_who(by))
    except RegistryError as exc:
        _fail(exc)
    console.print(f"rolled back to {made.version}")

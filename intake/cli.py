"""The `intake` command: run the agent, train, analyse messages."""
from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from intake.models import models_app
from intake.users import users_app

app = typer.Typer(help="诉求 intake agent", no_args_is_help=True, add_completion=False)
console = Console(soft_wrap=True)


@app.command()
def run(
    redis_port: int = typer.Option(6379, envvar="INTAKE_REDIS_PORT"),
    actions_port: int = typer.Option(5055, envvar="INTAKE_ACTIONS_PORT"),
    rasa_port: int = typer.Option(5005, envvar="INTAKE_RASA_PORT"),
    app_port: int = typer.Option(8080, envvar="INTAKE_APP_PORT"),
    db_url: Optional[str] = typer.Option(None, envvar="INTAKE_DB_URL", help="SQLAlchemy URL of the ticket store"),
) -> None:
    """Train if needed, start Redis, the action server, the app server and Rasa; Ctrl-C stops all."""
    from intake.services import Ports, ServiceError, Stack
    from intake.training import train_all

    train_all()
    stack = Stack(ports=Ports(redis_port, actions_port, rasa_port, app_port), db_url=db_url)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with console.status("starting Redis, then the action server, the app server and Rasa side by side …"):
            started = time.perf_counter()
            stack.start_all()
        console.print(f"  all services ready in {time.perf_counter() - started:.1f} s")
        console.print("[bold green]The intake agent is running:[/bold green]")
        for label, url in stack.urls().items():
            console.print(f"  {label:14} {url}")
        _first_account_hint(stack.db_url)
        console.print(f"Logs in {stack.var_dir / 'log'}. Press Ctrl-C to stop.")
        while all(s.process is None or s.process.poll() is None for s in stack.services.values()):
            time.sleep(1)
        dead = [s.name for s in stack.services.values() if s.process and s.process.poll() is not None]
        console.print(f"[red]{', '.join(dead)} stopped unexpectedly; see {stack.var_dir / 'log'}[/red]")
        raise typer.Exit(1)
    except ServiceError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1)
    except KeyboardInterrupt:
        console.print("stopping …")
    finally:
        stack.stop_all()
        console.print("all services stopped")


def _first_account_hint(db_url: Optional[str]) -> None:
    from console.accounts import Accounts
    from dispatch.database import engine_for

    if not Accounts(engine_for(db_url)).list():
        console.print("  The console has no accounts yet; make the first admin with "
                      "[bold]intake users add NAME --role admin[/bold]")


@app.command("check-dialogue")
def check_dialogue_command(out: Path = typer.Option(Path("var/dialogue-check"), help="where rasa test writes")) -> None:
    """rasa data validate --fail-on-warnings, then the conversation tests (rasa test core --e2e)."""
    from intake.dialogue_check import check_dialogue

    with console.status("validating the training data and running the conversation tests …"):
        result = check_dialogue(out)
    validation = result.validation
    console.print(f"rasa data validate: {'passed' if validation.ok else '[red]failed[/red]'}; "
                  f"{len(validation.warnings)} warnings, and {len(validation.expected_warnings)} expected ones (responses "
                  "uttered only by custom actions, intents only the app server triggers)")
    for warning in validation.warnings:
        console.print(f"  [yellow]{warning}[/yellow]")
    console.print(f"conversation tests: {result.stories - len(result.failed)}/{result.stories} stories passed "
                  f"(report in {out})")
    for story in result.failed:
        console.print(f"  [red]failed: {story}[/red]")
    if not result.ok:
        console.print(result.log)
        raise typer.Exit(1)


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


@app.command()
def train(force: bool = typer.Option(False, help="retrain even when nothing changed")) -> None:
    """Train the problem-type classifier and the Rasa model."""
    from intake.training import train_all

    train_all(force=force)


@app.command()
def analyze(channel: str = typer.Option("web", help="web | wechat | voice")) -> None:
    """Analyse messages read from stdin, one per line; prints one JSON object per line."""
    from nlu.analysis import Analyzer, analyze_lines

    analyzer = Analyzer.default()
    for result in analyze_lines(sys.stdin, analyzer, channel):
        print(json.dumps(result, ensure_ascii=False), flush=True)


evaluate_app = typer.Typer(help="Measure models on labelled data.", no_args_is_help=True)
import_app = typer.Typer(help="Bring a deployment's own data in.", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")
app.add_typer(import_app, name="import")
app.add_typer(users_app, name="users")
app.add_typer(models_app, name="models")


@evaluate_app.command("classifier")
def evaluate_classifier(
    test: Optional[Path] = typer.Option(None, help="labelled CSV/xlsx (title, text, label) to report on"),
    train: Optional[Path] = typer.Option(None, help="labelled file to train on; without it the shipped model is measured"),
    cv: int = typer.Option(0, help="k-fold cross-validation on --train alone"),
    out: Path = typer.Option(Path("results/classifier"), help="folder for report.md, report.json, confusion_matrix.png"),
) -> None:
    """Our classifier beside the TF-IDF + linear SVM baseline: accuracy, macro-F1, per class, ECE, time."""
    from rich.progress import Progress

    from classifiers.datasets import DatasetError, read_labelled
    from classifiers.evaluate import cross_validate, evaluate_shipped, evaluate_split, write_report

    try:
        if cv:
            if not train or test:
                raise DatasetError("--cv needs --train FILE and no --test")
            rows = read_labelled(train)
            with Progress() as bar:
                task = bar.add_task(f"{cv}-fold cross-validation", total=cv)
                results = cross_validate(rows, cv, progress=lambda fold: bar.update(task, completed=fold))
            report = write_report(results, out, f"{cv}-fold cross-validation on {train.name}", folds=cv)
        elif train and test:
            with console.status("training and evaluating …"):
                results = evaluate_split(read_labelled(train), read_labelled(test), test)
            report = write_report(results, out, f"trained on {train.name}, tested on {test.name}")
        elif test:
            with console.status("evaluating the shipped model …"):
                results = evaluate_shipped(read_labelled(test), test)
            report = write_report(results, out, f"shipped model on {test.name}")
        else:
            raise DatasetError("give --test FILE (shipped model), --train A --test B, or --train A --cv K")
    except DatasetError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    console.print(report["markdown"])
    console.print(f"report written to {out}/report.md (confusion matrix: {out}/confusion_matrix.png)")


@import_app.command("taxonomy")
def import_taxonomy_command(
    tree: Path = typer.Argument(..., help="CSV with columns level1, level2[, level3]"),
    departments: Path = typer.Option(Path("settings/departments.yml"), help="department/urgency/SLA rules"),
    out: Path = typer.Option(Path("settings/taxonomy.yml")),
) -> None:
    """Build the taxonomy YAML from a platform's category tree."""
    from classifiers.import_taxonomy import import_taxonomy
    from classifiers.taxonomy import TaxonomyError

    try:
        taxonomy = import_taxonomy(tree, departments, out)
    except (ValueError, TaxonomyError, OSError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    console.print(f"wrote {out}: {len(taxonomy)} categories")


@import_app.command("tickets")
def import_tickets_command(
    file: Path = typer.Argument(..., help="CSV/xlsx with title, text, label (label = 大类/小类[/细项] or a unique leaf)"),
    out: Path = typer.Option(Path("training_data/problems/imported.yml")),
) -> None:
    """Turn historical tickets into training examples, deduplicated, with a report."""
    from classifiers.datasets import DatasetError
    from classifiers.import_tickets import import_tickets
    from classifiers.taxonomy import default_taxonomy

    try:
        report = import_tickets(file, default_taxonomy(), out)
    except DatasetError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    for line in report.lines():
        console.print(line)
    console.print(f"wrote {out}; run `intake train` to use it")


if __name__ == "__main__":
    app()

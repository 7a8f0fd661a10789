"""The `intake` command: run the agent, train, analyse messages."""
from __future__ import annotations

import json
import signal
import sys
import time
from typing import Optional

import typer
from rich.console import Console

app = typer.Typer(help="诉求 intake agent", no_args_is_help=True, add_completion=False)
console = Console()


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
        for name in ("redis", "actions", "app", "rasa"):
            with console.status(f"starting {name} …"):
                started = time.perf_counter()
                stack.start(name)
            console.print(f"  {name} ready ({time.perf_counter() - started:.1f} s)")
        console.print("[bold green]The intake agent is running:[/bold green]")
        for label, url in stack.urls().items():
            console.print(f"  {label:14} {url}")
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
    from intake.analysis import Analyzer, analyze_lines

    analyzer = Analyzer.default()
    for result in analyze_lines(sys.stdin, analyzer, channel):
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    app()

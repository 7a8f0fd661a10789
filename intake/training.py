"""`intake train`: the problem-type model (when its data changed) and the Rasa model."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import List

from rich.console import Console

from classifiers.train import is_up_to_date, train_shipped_model
from intake.paths import PROJECT_ROOT
from intake.services import DIALOGUE_MODELS, _bin

console = Console()
RASA_DATA = ["training_data/nlu", "training_data/problems", "bot/data"]


def rasa_train_command(force: bool = False) -> List[str]:
    command = [_bin("rasa"), "train", "--config", "config.yml", "--domain", "bot/domain",
               "--data", *RASA_DATA, "--out", str(DIALOGUE_MODELS)]
    return command + (["--force"] if force else [])


def dialogue_model_exists() -> bool:
    return any(Path(DIALOGUE_MODELS).glob("*.tar.gz"))


def train_all(force: bool = False) -> None:
    started = time.perf_counter()
    if force or not is_up_to_date():
        console.print("[bold]Training the problem-type classifier[/bold] (training_data/problems)")
        stats = train_shipped_model()
        console.print(f"  {stats['examples']} examples, {stats['labels']} categories, {stats['seconds']:.1f} s")
    else:
        console.print("problem-type classifier is up to date")
    console.print("[bold]Training the Rasa model[/bold] (Rasa skips it when nothing changed)")
    result = subprocess.run(rasa_train_command(force), cwd=PROJECT_ROOT)
    if result.returncode != 0:
        console.print(f"[red]rasa train failed with exit code {result.returncode}[/red]")
        sys.exit(result.returncode)
    console.print(f"[green]training done in {time.perf_counter() - started:.0f} s[/green]")

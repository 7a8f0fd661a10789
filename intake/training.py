"""`intake train`: the problem-type model, the urgency model (each when its data changed) and the Rasa model."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

from classifiers.freshness import problem_model_up_to_date, urgency_model_up_to_date
from classifiers.dialogue_versions import DIALOGUE_DIR as DIALOGUE_MODELS, DialogueVersions
from classifiers.rasa_data import rasa_inputs_fingerprint, rasa_train_command
from common.paths import PROJECT_ROOT

console = Console()
FINGERPRINT = DIALOGUE_MODELS / "inputs.sha256"


def dialogue_model_exists() -> bool:
    return any(Path(DIALOGUE_MODELS).glob("*.tar.gz"))


def dialogue_model_up_to_date() -> bool:
    return dialogue_model_exists() and FINGERPRINT.exists() and FINGERPRINT.read_text().strip() == rasa_inputs_fingerprint()


def train_all(force: bool = False) -> None:
    started = time.perf_counter()
    # the trainers (torch, scikit-learn, jieba) are imported only when something is trained:
    # `intake run` asks this before every start
    if force or not problem_model_up_to_date():
        from classifiers.train import train_shipped_model

        console.print("[bold]Training the problem-type classifier[/bold] (training_data/problems)")
        stats = train_shipped_model()
        console.print(f"  {stats['examples']} examples, {stats['labels']} categories, {stats['seconds']:.1f} s; "
                      f"version {stats['version']} active")
    else:
        console.print("problem-type classifier is up to date")
    if force or not urgency_model_up_to_date():
        from classifiers import urgency_model

        console.print("[bold]Training the urgency model[/bold] (training_data/urgency, settings/hazards.yml)")
        stats = urgency_model.train_urgency_model()
        console.print(f"  {stats['examples']} reports, {stats['seconds']:.1f} s")
    else:
        console.print("urgency model is up to date")
    if not force and dialogue_model_up_to_date():
        console.print("Rasa model is up to date")
    else:
        console.print("[bold]Training the Rasa model[/bold]")
        fingerprint = rasa_inputs_fingerprint()
        result = subprocess.run(rasa_train_command(DIALOGUE_MODELS), cwd=PROJECT_ROOT)
        if result.returncode != 0:
            console.print(f"[red]rasa train failed with exit code {result.returncode}[/red]")
            sys.exit(result.returncode)
        versions = DialogueVersions()
        made = versions.activate_newest("intake train", fingerprint)
        versions.prune()
        FINGERPRINT.write_text(fingerprint)
        console.print(f"  dialogue model {made.version if made else '?'} active")
    console.print(f"[green]training done in {time.perf_counter() - started:.0f} s[/green]")

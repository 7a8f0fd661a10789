"""Whether a trained model still matches what it is trained from — answered without the trainers.

`intake run` asks this of the problem-type and urgency models before it starts any service.
Importing the training code for that (torch, scikit-learn, jieba) cost ~2.4 s of every start,
before Rasa was even launched; this module needs only hashlib, the paths and the example files' list.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Dict, Iterable, List

from classifiers.examples import problem_example_files
from common.paths import MODELS_DIR, SETTINGS_DIR, TRAINING_DATA_DIR
from nlu.hazard import HAZARDS_FILE

CLASSIFIERS = Path(__file__).parent
PROBLEM_MODEL_DIR = MODELS_DIR / "problem_type"
URGENCY_MODEL_DIR = MODELS_DIR / "urgency"
URGENCY_DATA_DIR = TRAINING_DATA_DIR / "urgency"
#: the model code both linear models share, and how they cut words: a change retrains them
LINEAR_CODE = [CLASSIFIERS / "linear_model.py", CLASSIFIERS / "features.py", CLASSIFIERS.parent / "nlu" / "words.py"]


def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def problem_data_fingerprint(files: List[Path]) -> str:
    """Changes whenever an example file, the taxonomy, the model's settings or its code changes — the
    place reader's too, which says a text's place by kind before the model reads it."""
    return _digest([*files, SETTINGS_DIR / "taxonomy.yml", SETTINGS_DIR / "problem_type.yml",
                    CLASSIFIERS / "problem_features.py", CLASSIFIERS / "sentence_encoder.py",
                    CLASSIFIERS / "word_vectors.py", *LINEAR_CODE,
                    CLASSIFIERS.parent / "nlu" / "location.py", CLASSIFIERS.parent / "nlu" / "numerals.py",
                    *sorted((SETTINGS_DIR / "gazetteer").glob("*.yml"))])


def urgency_data_fingerprint(directory: Path = URGENCY_DATA_DIR) -> str:
    """Changes with the reports, the hazard concepts, the negation words or the model's code."""
    nlu = CLASSIFIERS.parent / "nlu"
    return _digest([*sorted(directory.glob("*.yml")), HAZARDS_FILE, SETTINGS_DIR / "urgency.yml",
                    CLASSIFIERS / "urgency_model.py", CLASSIFIERS / "sentence_encoder.py", *LINEAR_CODE,
                    nlu / "hazard.py", nlu / "negation.py"])


def read_meta(directory: Path) -> Dict[str, object]:
    return json.loads((directory / "meta.json").read_text(encoding="utf-8"))


def trained_from(directory: Path, fingerprint: str) -> bool:
    """A model is in ``directory`` and was trained from data with this fingerprint."""
    return (directory / "meta.json").exists() and read_meta(directory).get("fingerprint") == fingerprint


def problem_model_up_to_date(directory: Path = PROBLEM_MODEL_DIR) -> bool:
    return trained_from(directory, problem_data_fingerprint(problem_example_files()))


def urgency_model_up_to_date(directory: Path = URGENCY_MODEL_DIR) -> bool:
    return trained_from(directory, urgency_data_fingerprint())

"""Which of our problem-type examples were written while reading errors on train.csv's held-out quarter.

The quarter (bench/data/teddy_heldout_ids.yml) was fixed at commit 7347202, before any tuning on it; but
the examples committed between the first ones (b12289e, written with the benchmark, no figure quoted) and
that commit were chosen by reading 5-fold cross-validation errors on all of train.csv, the quarter included.
A figure on the quarter is unseen only for a model trained without them. This module names them — the
examples whose lines those commits introduced (git blame at 7347202), and any example of today within a
character-bigram Jaccard of 0.6 of one (edited since) — by a hash of their normalised text, kept in
bench/data/examples_written_from_train_errors.yml so that the benchmark needs no git history.

    python -m bench.example_provenance      # derives the list again from git and writes it
"""
from __future__ import annotations

import hashlib
import re
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Set

import yaml

from classifiers.examples import Example, problem_example_files, read_examples
from nlu.normalize import normalize_text

ROOT = Path(__file__).resolve().parents[1]
LIST_FILE = Path(__file__).with_name("data") / "examples_written_from_train_errors.yml"
#: the commit that fixed the held-out quarter, and the first examples (written before any figure was read)
QUARTER_FIXED_AT = "7347202"
FIRST_EXAMPLES = "b12289e"
#: an example edited after the quarter was fixed is still the one written from the errors when this close
EDITED_JACCARD = 0.6
_EXAMPLE_LINE = re.compile(r"^[0-9a-f]{40} +\d+\) +- (.+)$")


def text_hash(text: str) -> str:
    return hashlib.sha1(normalize_text(text).encode("utf-8")).hexdigest()[:16]


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def _bigrams(text: str) -> Set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def derive() -> dict:
    """The examples the commits after FIRST_EXAMPLES up to QUARTER_FIXED_AT introduced, read from git."""
    commits = _git("log", "--format=%H", f"{FIRST_EXAMPLES}..{QUARTER_FIXED_AT}", "--", "training_data/problems").split()
    files = _git("ls-tree", "--name-only", QUARTER_FIXED_AT, "training_data/problems/").split()
    guided: List[str] = []
    for name in files:
        for line in _git("blame", "-l", "-s", QUARTER_FIXED_AT, "--", name).splitlines():
            match = _EXAMPLE_LINE.match(line)
            if match and line[:40] in commits:
                guided.append(normalize_text(match.group(1).strip()))
    exact = set(guided)
    grams = [_bigrams(text) for text in exact]
    edited = []
    for example in read_examples(problem_example_files()):
        text = normalize_text(example.text)
        if text in exact:
            continue
        mine = _bigrams(text)
        if any(len(mine & g) / len(mine | g) >= EDITED_JACCARD for g in grams):
            edited.append(text)
    return {"commits": [c[:7] for c in commits], "written": len(exact), "edited_since": len(edited),
            "hashes": sorted({text_hash(t) for t in exact | set(edited)})}


@lru_cache(maxsize=1)
def written_from_train_errors() -> FrozenSet[str]:
    return frozenset(yaml.safe_load(LIST_FILE.read_text(encoding="utf-8"))["hashes"])


def written_without_train_errors(example: Example) -> bool:
    """Whether ``example`` is none of those chosen by reading errors on train.csv before the quarter was fixed."""
    return text_hash(example.text) not in written_from_train_errors()


def write_list(derived: dict, path: Path = LIST_FILE) -> None:
    header = (f"# Our problem-type examples written while reading 5-fold CV errors on all of train.csv, before its\n"
              f"# held-out quarter was fixed ({QUARTER_FIXED_AT}): the lines commits {FIRST_EXAMPLES}..{QUARTER_FIXED_AT}\n"
              f"# introduced in training_data/problems (git blame at {QUARTER_FIXED_AT}), and today's examples within a\n"
              f"# character-bigram Jaccard of {EDITED_JACCARD} of one. sha1 of the normalised text, 16 hex digits.\n"
              f"# Written by `python -m bench.example_provenance` (bench/example_provenance.py).\n")
    path.write_text(header + yaml.safe_dump(derived, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main() -> None:
    derived = derive()
    write_list(derived)
    kept = sum(written_without_train_errors(e) for e in read_examples(problem_example_files()))
    print(f"{derived['written']} examples written from train.csv's errors by {len(derived['commits'])} commits "
          f"({', '.join(derived['commits'])}), {derived['edited_since']} edited since; "
          f"{kept} of today's examples written without them → {LIST_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

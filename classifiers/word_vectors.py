"""Word vectors distilled from a sentence encoder: what the words of a text mean, at no encoder cost per text.

A sentence encoder reads that 「工资」 and 「薪水」, 「噪音」 and 「吵」 are near where our training letters never
put them side by side, but it costs 15–20 ms of both cores per text (classifiers/sentence_encoder.py). Each word
of the training texts is encoded once, alone, when a model is trained (a few milliseconds a word, remembered in
models/word_vectors/ so a retrain encodes only new words); a text's vector is then a weighted mean of its known
words' vectors (smooth inverse frequency: rare words weigh more; the common direction of the training texts
removed — Arora, Liang & Ma 2017), a table lookup. A word no training text used is left out, as the TF-IDF
views leave it out. The table travels with the model (word_vectors.npz), so reading a message needs neither
the encoder nor its memory.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from classifiers.features import jieba_words, shared_analyzer
from classifiers.sentence_encoder import KNOWN, encode_texts
from common.paths import MODELS_DIR

#: smooth inverse frequency's constant: a word's weight is SIF_A / (SIF_A + its share of the training words)
SIF_A = 1e-3
#: words are encoded this many at a time (the engine's batches)
BATCH = 64


@dataclass(frozen=True)
class WordVectorSpec:
    """Which encoder the words are distilled from, how many characters of a (prepared) text are read, and how
    much the text's vector weighs beside the words' TF-IDF views (each of length 1)."""
    encoder: str
    chars: int
    weight: float

    def __post_init__(self) -> None:
        if self.encoder not in KNOWN:
            raise ValueError(f"unknown encoder {self.encoder!r} for word vectors; use one of {sorted(KNOWN)} or none")
        if self.chars < 1 or not 0 < self.weight <= 10:
            raise ValueError(f"word vectors: chars must be at least 1 and weight in (0, 10], got chars={self.chars}, "
                             f"weight={self.weight}")

    @classmethod
    def from_settings(cls, section: Mapping[str, object], where: str) -> Optional["WordVectorSpec"]:
        """The spec a settings section names (``word_vectors``, ``word_vectors_chars``, ``word_vectors_weight``),
        None for none; ``where`` names the section in the error."""
        name = section.get("word_vectors")
        if not name or str(name).lower() == "none":
            return None
        try:
            return cls(str(name), int(section.get("word_vectors_chars", 80)),
                       float(section.get("word_vectors_weight", 0.5)))
        except ValueError as exc:
            raise ValueError(f"{where}.word_vectors: {exc}") from exc


class WordVectors:
    """The distilled table of one model: its words, their vectors, their weights and the direction removed."""

    def __init__(self, spec: WordVectorSpec, words: Sequence[str], vectors: np.ndarray, weights: np.ndarray,
                 common: np.ndarray) -> None:
        self.spec = spec
        self.index: Dict[str, int] = {word: i for i, word in enumerate(words)}
        self.weighted = (vectors * weights[:, None]).astype(np.float32)
        self.vectors = vectors.astype(np.float32)
        self.weights = weights.astype(np.float32)
        self.common = common.astype(np.float32)

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    @classmethod
    def fit(cls, spec: WordVectorSpec, prepared: Sequence[str],
            encode: Optional[Callable[[List[str]], np.ndarray]] = None) -> "WordVectors":
        """The table of the words of ``prepared`` (texts as the model reads them), each weighed by how rare it
        is among them; ``encode`` (words → unit vectors) defaults to the spec's encoder through the cache."""
        counts: Counter = Counter()
        for text in prepared:
            counts.update(jieba_words(text))  # spaces left out
        words = sorted(counts)
        vectors = (encode or DistilledCache(spec.encoder).vectors)(words) if words else np.zeros((0, KNOWN[spec.encoder]))
        total = max(sum(counts.values()), 1)
        weights = np.array([SIF_A / (SIF_A + counts[word] / total) for word in words], dtype=np.float64)
        made = cls(spec, words, np.asarray(vectors, dtype=np.float32), weights, np.zeros(KNOWN[spec.encoder]))
        sums = np.stack([made._sum(text) for text in prepared]) if prepared else np.zeros((0, made.dim))
        if sums.any():
            made.common = np.linalg.svd(sums, full_matrices=False)[2][0].astype(np.float32)
        return made

    def _sum(self, prepared: str) -> np.ndarray:
        ids = [i for i in map(self.index.get, _words()(prepared[:self.spec.chars])) if i is not None]
        return self.weighted[ids].sum(axis=0) if ids else np.zeros(self.dim, dtype=np.float32)

    def vector(self, prepared: str) -> np.ndarray:
        """The unit vector of a prepared text's first ``chars`` characters (zeros when it has no known word)."""
        total = self._sum(prepared)
        total = total - (total @ self.common) * self.common
        length = float(np.linalg.norm(total))
        return total / length if length > 1e-9 else np.zeros(self.dim, dtype=np.float32)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, words=np.array(list(self.index), dtype=str), vectors=self.vectors,
                            weights=self.weights, common=self.common, spec=np.array(json.dumps(asdict(self.spec))))

    @classmethod
    def load(cls, path: Path) -> Optional["WordVectors"]:
        """The table saved at ``path``; None when the model has none (trained without, or before word vectors)."""
        if not path.exists():
            return None
        data = np.load(path)
        spec = WordVectorSpec(**json.loads(str(data["spec"])))
        return cls(spec, [str(w) for w in data["words"]], data["vectors"], data["weights"], data["common"])


@lru_cache(maxsize=1)
def _words() -> Callable[[str], Tuple[str, ...]]:
    """jieba's words of a text as the models' word view cuts them, remembered with it: a text no longer than
    ``chars`` (most messages) was cut a moment before, for its TF-IDF words."""
    return shared_analyzer(TfidfVectorizer(analyzer=jieba_words))


class DistilledCache:
    """Each word's vector as one encoder gave it, kept in models/word_vectors/ per encoder and version, so a
    retrain after a trainer's few new examples encodes only their new words (a first training of our examples'
    ~6,000 words takes about half a minute)."""

    def __init__(self, encoder: str, directory: Optional[Path] = None) -> None:
        self.encoder = encoder
        package = importlib.metadata.packages_distributions().get(encoder, [encoder])[0]
        version = importlib.metadata.version(package)
        self.path = (directory or MODELS_DIR / "word_vectors") / f"{encoder}-{version}.npz"

    def _known(self) -> Dict[str, np.ndarray]:
        if not self.path.exists():
            return {}
        data = np.load(self.path)
        return dict(zip((str(w) for w in data["words"]), data["vectors"]))

    def vectors(self, words: List[str]) -> np.ndarray:
        known = self._known()
        missing = [word for word in words if word not in known]
        if missing:
            for start in range(0, len(missing), BATCH):
                batch = missing[start:start + BATCH]
                known.update(zip(batch, encode_texts(self.encoder, batch)))
            self._store(known)
        return np.stack([known[word] for word in words]).astype(np.float32)

    def _store(self, known: Dict[str, np.ndarray]) -> None:
        """Written beside and renamed: a training stopped halfway leaves the old cache whole."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.stem}.{os.getpid()}.npz")
        np.savez(partial, words=np.array(list(known), dtype=str), vectors=np.stack(list(known.values())))
        os.replace(partial, self.path)

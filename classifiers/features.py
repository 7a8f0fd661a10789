"""What the problem-type model reads: TF-IDF over character 1–3-grams and jieba words.

Character n-grams survive typos, ASR homophones and unseen compounds; jieba words carry the
meaning of multi-character terms (「农民工」, 「物业费」). Both use sublinear term frequency and
are L2-normalised per view. The fitted vocabulary and IDF are stored as JSON beside the
weights (no pickle), so a model directory can be inspected and loaded safely.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Sequence

import jieba
import numpy as np
import torch
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.normalize import normalize_text

jieba.setLogLevel(60)


def jieba_words(text: str) -> List[str]:
    return [w for w in jieba.lcut(text) if w.strip()]


def _views() -> Dict[str, TfidfVectorizer]:
    return {"chars": TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
            "words": TfidfVectorizer(analyzer=jieba_words, sublinear_tf=True)}


class TextFeatures:
    """Fit on training texts, then turn any text into one sparse row (torch COO tensor)."""

    def __init__(self, views: Dict[str, TfidfVectorizer]) -> None:
        self.views = views

    @classmethod
    def fit(cls, texts: Sequence[str]) -> "TextFeatures":
        views = _views()
        normalized = [normalize_text(t) for t in texts]
        for view in views.values():
            view.fit(normalized)
        return cls(views)

    @property
    def size(self) -> int:
        return sum(len(v.vocabulary_) for v in self.views.values())

    def transform(self, texts: Sequence[str]) -> torch.Tensor:
        normalized = [normalize_text(t) for t in texts]
        matrix = hstack([v.transform(normalized) for v in self.views.values()]).tocoo()
        indices = torch.from_numpy(np.vstack([matrix.row, matrix.col]).astype(np.int64))
        values = torch.from_numpy(matrix.data.astype(np.float32))
        return torch.sparse_coo_tensor(indices, values, matrix.shape, check_invariants=False).coalesce()

    def save(self, path: Path) -> None:
        data = {name: {"vocabulary": {k: int(i) for k, i in v.vocabulary_.items()}, "idf": v.idf_.tolist()}
                for name, v in self.views.items()}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "TextFeatures":
        data = json.loads(path.read_text(encoding="utf-8"))
        views = _views()
        if set(data) != set(views):
            raise ValueError(f"{path}: expected feature views {sorted(views)}, found {sorted(data)}; retrain")
        for name, view in views.items():
            view.set_params(vocabulary=data[name]["vocabulary"])
            view.idf_ = np.asarray(data[name]["idf"], dtype=np.float64)
        return cls(views)

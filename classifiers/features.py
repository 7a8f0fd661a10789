"""What the problem-type model reads: TF-IDF over character 1–3-grams and jieba words.

Character n-grams survive typos, ASR homophones and unseen compounds; jieba words carry the
meaning of multi-character terms (「农民工」, 「物业费」). Both use sublinear term frequency and
are L2-normalised per view. The fitted vocabulary and IDF are stored as JSON beside the
weights (no pickle), so a model directory can be inspected and loaded safely.

Fitting uses scikit-learn's TfidfVectorizer; turning text into a row does the same arithmetic
(sublinear tf × idf, L2 per view) straight from the fitted vocabulary, because the vectorizer's
per-call validation cost about 2 ms per view and message — more than the analysis itself.
Rows come as a SciPy CSR matrix: liblinear trains on it and a message is scored by one sparse ×
dense product in NumPy (torch's sparse tensors cost more to build than the arithmetic in them).
"""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import scipy.sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.normalize import normalize_text
from nlu.words import cut


def jieba_words(text: str) -> List[str]:
    """The words jieba cuts ``text`` into, spaces left out (nlu/words.py)."""
    return [w for w in cut(text) if w.strip()]


def _views() -> Dict[str, TfidfVectorizer]:
    return {"chars": TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
            "words": TfidfVectorizer(analyzer=jieba_words, sublinear_tf=True)}


ANALYSIS_PARAMS = ("analyzer", "ngram_range", "lowercase", "preprocessor", "tokenizer", "token_pattern",
                   "strip_accents", "stop_words")


def shared_analyzer(view: TfidfVectorizer) -> Callable[[str], Tuple[str, ...]]:
    """The view's terms of a text, remembered for the last texts analysed: every message is read
    by three models (intent, problem type, urgency) with the same views, and jieba and the
    n-grams, done once instead of three times, were a tenth of the NLU's time under load."""
    key = repr([(name, getattr(view, name)) for name in ANALYSIS_PARAMS])
    if key not in _ANALYZERS:
        analyze = view.build_analyzer()
        _ANALYZERS[key] = lru_cache(maxsize=256)(lambda text: tuple(analyze(text)))
    return _ANALYZERS[key]


_ANALYZERS: Dict[str, Callable[[str], Tuple[str, ...]]] = {}


class TextFeatures:
    """Fit on training texts, then turn any text into one sparse row (a CSR matrix row)."""

    #: what a text is read as (a model's features may leave out what says nothing about its labels)
    prepared: Callable[[str], str] = staticmethod(normalize_text)

    def __init__(self, views: Dict[str, TfidfVectorizer]) -> None:
        self.views = views
        self._fitted: List[Tuple[Callable[[str], Tuple[str, ...]], Dict[str, int], np.ndarray, int]] = []
        self._terms: Optional[List[Tuple[str, str]]] = None  # column → term, made when first asked (reasons only)
        offset = 0
        for view in views.values():
            self._fitted.append((shared_analyzer(view), view.vocabulary_, view.idf_, offset))
            offset += len(view.vocabulary_)

    @classmethod
    def fit(cls, texts: Sequence[str]) -> "TextFeatures":
        views = _views()
        normalized = [cls.prepared(t) for t in texts]
        for view in views.values():
            view.fit(normalized)
        return cls(views)

    def _row(self, text: str) -> Tuple[List[np.ndarray], List[np.ndarray]]:
        """Column indices and values of one normalised text (one array each per view that found
        a term), as TfidfVectorizer.transform gives."""
        columns: List[np.ndarray] = []
        values: List[np.ndarray] = []
        for analyze, vocabulary, idf, offset in self._fitted:
            counts = Counter(map(vocabulary.get, analyze(text)))  # counted in C; unknown terms under None
            counts.pop(None, None)
            if not counts:
                continue
            index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[index]
            weights /= np.sqrt(np.dot(weights, weights))
            columns.append(index + offset)
            values.append(weights)
        return columns, values

    def recognises(self, text: str) -> bool:
        """At least one known term that carries meaning: a word, a run of two or more characters,
        or a Chinese character. A lone Latin letter or digit (「zxqv」 shares only those with the
        training data) is not evidence of anything, nor a run of Latin letters cut out of a longer
        one (「as」 of 「asdkjh」): Latin counts as whole words (「ok」「hello」)."""
        work = self.prepared(text)
        for name, (analyze, vocabulary, _idf, _offset) in zip(self.views, self._fitted):
            for term in analyze(work):
                if term not in vocabulary or (name != "words" and term.strip().isascii() and term.strip().isalpha()):
                    continue
                if len(term.strip()) > 1 or "\u4e00" <= term <= "\u9fff":
                    return True
        return False

    @property
    def size(self) -> int:
        return self.term_columns

    @property
    def term_columns(self) -> int:
        """The columns that stand for terms, first in every row (subclasses add others after them)."""
        return sum(len(v.vocabulary_) for v in self.views.values())

    def term(self, column: int) -> Tuple[str, str]:
        """The view and term a column stands for: ("words", "救护车"), ("chars", "不落")."""
        if self._terms is None:
            self._terms = [(name, term) for name, view in self.views.items()
                           for term, _ in sorted(view.vocabulary_.items(), key=lambda kv: kv[1])]
        return self._terms[column]

    def rows(self, texts: Sequence[str]) -> List[Tuple[List[np.ndarray], List[np.ndarray]]]:
        """Each text's columns and values (see _row); subclasses add columns of their own."""
        return [self._row(self.prepared(text)) for text in texts]

    def transform(self, texts: Sequence[str]) -> scipy.sparse.csr_matrix:
        return stack_rows(self.rows(texts), self.size)

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


def stack_rows(rows: Sequence[Tuple[List[np.ndarray], List[np.ndarray]]], width: int) -> scipy.sparse.csr_matrix:
    """One CSR matrix (float32) from per-text column and value arrays; a text's columns are
    distinct (each view's terms counted once, views side by side)."""
    lengths = [sum(len(c) for c in cols) for cols, _ in rows]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    columns = [c for cols, _ in rows for c in cols]
    values = [v for _, vals in rows for v in vals]
    return scipy.sparse.csr_matrix(
        (np.concatenate(values).astype(np.float32) if values else np.zeros(0, np.float32),
         np.concatenate(columns) if columns else np.zeros(0, np.int64), indptr), shape=(len(rows), width))

"""The problem-type model: a linear layer over TF-IDF features (classifiers/features.py), trained
with the class-balanced one-vs-rest squared-hinge objective of a linear SVM, solved by liblinear
(scikit-learn's LinearSVC), then calibrated by a softmax temperature fitted on held-out data.
Weights are NumPy arrays saved as weights.npz: neither the Rasa server nor the action server
imports torch to read them (it cost ~2 s and ~200 MB per process at start); a model saved
before as weights.pt is still read, with torch imported for that only.

Why this and not a neural net: with a few hundred to a few thousand messages per deployment,
this objective measured best of everything tried on real messages (fastText-style bags, softmax
regression, sentence-encoder features; bench/reports/classifier.md), trains in seconds on two
cores and answers in about a millisecond, and needs no pretrained weights.
"""
from __future__ import annotations

import hashlib
import json
import logging
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import scipy.sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import LinearSVC

from classifiers.calibration import fit_temperature
from classifiers.freshness import read_meta
from classifiers.features import TextFeatures

log = logging.getLogger(__name__)


@dataclass
class LinearConfig:
    c: float = 1.0  # inverse regularisation strength, as in LinearSVC
    max_iter: int = 1000  # liblinear coordinate-descent passes at most, per label
    tolerance: float = 1e-4  # liblinear's stopping tolerance (LinearSVC's default)
    balanced: bool = True  # weigh classes by inverse frequency: small categories matter as much
    calibration_share: float = 0.15  # held out to fit the temperature, then trained on everything
    seed: int = 13
    # scale each label's term columns by the log-count ratio of the terms' presence in that label's texts
    # against the others' before solving (NBSVM: Wang & Manning 2012; log_count_ratios below)
    log_count_ratio: bool = False


Progress = Callable[[int, int], None]


#: the count every term is given in every label before the log-count ratios are taken (Laplace smoothing)
RATIO_SMOOTHING = 1.0


def log_count_ratios(x: scipy.sparse.csr_matrix, targets: np.ndarray, n_labels: int, sample_weight: np.ndarray,
                     term_columns: int) -> np.ndarray:
    """(term_columns × labels): for label k and term j, log((pₖⱼ / ‖pₖ‖₁) / (qₖⱼ / ‖qₖ‖₁)), where pₖⱼ counts
    the texts of label k containing term j and qₖⱼ those of the other labels (each text counted by its
    sample weight, plus RATIO_SMOOTHING). A term that tells the labels apart keeps its weight or grows; one
    found as often everywhere shrinks towards zero. With a few hundred letters per label this measured
    better than the words' TF-IDF alone (settings/problem_type.yml)."""
    present = x[:, :term_columns]  # a new matrix: its data is replaced below, not x's
    present.data = np.ones_like(present.data, dtype=np.float64)
    by_label = scipy.sparse.csr_matrix((sample_weight.astype(np.float64), (targets, np.arange(len(targets)))),
                                       shape=(n_labels, len(targets)))
    counts = np.asarray((by_label @ present).todense())  # labels × terms
    inside = counts + RATIO_SMOOTHING
    outside = counts.sum(axis=0, keepdims=True) - counts + RATIO_SMOOTHING
    return (np.log(inside / inside.sum(axis=1, keepdims=True))
            - np.log(outside / outside.sum(axis=1, keepdims=True))).T


def _scaled_columns(rows: scipy.sparse.csr_matrix, scale: np.ndarray) -> scipy.sparse.csr_matrix:
    """``rows`` with column j times scale[j], its indices sorted as liblinear reads them."""
    scaled = (rows @ scipy.sparse.diags(scale)).tocsr()
    scaled.sort_indices()
    return scaled


def _fit_weights(x: scipy.sparse.csr_matrix, targets: np.ndarray, n_labels: int, config: LinearConfig,
                 sample_weight: np.ndarray, progress: Optional[Progress],
                 term_columns: int = 0) -> Tuple[np.ndarray, np.ndarray]:
    """Minimise, for each label k, ½‖wₖ‖² + ½bₖ² + C Σᵢ cᵢ max(0, 1 − yᵢₖ (xᵢ·wₖ + bₖ))², yᵢₖ = ±1,
    with liblinear's dual coordinate descent (scikit-learn's LinearSVC on one label at a time,
    so that progress is reported per label): about 60× faster on two cores than L-BFGS in torch
    on the same objective, which took 100 s for our 2,700 examples. ``intercept_scaling=1``
    makes liblinear regularise the bias as ½bₖ²; cᵢ is the row's weight (balanced per class).
    With ``config.log_count_ratio`` label k is solved over rows whose first ``term_columns`` columns are
    scaled by its log-count ratios, and those are folded into its weights: a text is scored as before,
    one sparse row times the weight matrix."""
    n = x.shape[0]
    ratios = (log_count_ratios(x, targets, n_labels, sample_weight, term_columns)
              if config.log_count_ratio and term_columns else None)
    per_row = sample_weight.astype(np.float32)
    if config.balanced:
        counts = np.maximum(np.bincount(targets, minlength=n_labels).astype(np.float32), 1)
        per_row = per_row * (n / (n_labels * counts)).astype(np.float32)[targets]
    rows = x.astype(np.float64)
    rows.sort_indices()  # liblinear reads each row in column order
    wanted = targets
    row_weight = per_row.astype(np.float64)
    weight = np.zeros((x.shape[1], n_labels), dtype=np.float32)
    bias = np.zeros(n_labels, dtype=np.float32)
    for k in range(n_labels):
        scale = None if ratios is None else np.concatenate([ratios[:, k], np.ones(x.shape[1] - term_columns)])
        label_rows = rows if scale is None else _scaled_columns(rows, scale)
        solver = LinearSVC(C=config.c, loss="squared_hinge", dual=True, tol=config.tolerance,
                           max_iter=config.max_iter, intercept_scaling=1.0, random_state=config.seed)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            solver.fit(label_rows, (wanted == k).astype(np.int64), sample_weight=row_weight)
        if any(issubclass(w.category, ConvergenceWarning) for w in caught):
            log.warning("label %d of %d: liblinear stopped at max_iter=%d before the tolerance", k + 1, n_labels,
                        config.max_iter)
        weight[:, k] = solver.coef_[0] if scale is None else solver.coef_[0] * scale
        bias[k] = solver.intercept_[0]
        if progress:
            progress(k + 1, n_labels)
    return weight, bias


class LinearTextClassifier:
    """Train, predict with calibrated probabilities, save and load. ``features_type`` is what turns
    text into a row (the urgency model adds hazard concepts to the words)."""

    features_type = TextFeatures

    def __init__(self, labels: List[str], features: TextFeatures, weight: np.ndarray, bias: np.ndarray,
                 config: Optional[LinearConfig] = None, temperature: float = 1.0) -> None:
        self.labels = list(labels)
        self.features = features
        self.weight = weight  # features × labels, float32
        self.bias = bias
        self.config = config or LinearConfig()
        self.temperature = temperature

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str], config: Optional[LinearConfig] = None,
              progress: Optional[Progress] = None,
              sample_weight: Optional[Sequence[float]] = None) -> "LinearTextClassifier":
        """Train; when every label has enough examples, first fit the softmax temperature on a
        held-out share, then train again on everything and keep that temperature.
        ``sample_weight`` lets a caller mix sources (a city's tickets at 1, our examples lower)."""
        config = config or cls.default_config()
        if not texts or len(texts) != len(labels):
            raise ValueError("training needs as many labels as texts, and at least one text")
        weights = list(sample_weight) if sample_weight is not None else [1.0] * len(texts)
        if len(weights) != len(texts):
            raise ValueError("sample_weight needs one weight per text")
        label_list = sorted(set(labels))
        if len(label_list) < 2:
            raise ValueError(f"training needs examples of at least two labels, not only {label_list}")
        temperature = 1.0
        held_out = sorted(_stratified_holdout(list(labels), texts, config.calibration_share, config.seed))
        if held_out:
            skip = set(held_out)
            keep = [i for i in range(len(texts)) if i not in skip]
            probe = cls._fit([texts[i] for i in keep], [labels[i] for i in keep], [weights[i] for i in keep],
                             label_list, config, None)
            index = {label: i for i, label in enumerate(label_list)}
            targets = np.array([index[labels[i]] for i in held_out])
            temperature = fit_temperature(probe.scores([texts[i] for i in held_out]), targets)
        model = cls._fit(list(texts), list(labels), weights, label_list, config, progress)
        model.temperature = temperature
        return model

    @classmethod
    def default_config(cls) -> LinearConfig:
        """How this kind of model is trained when the caller does not say."""
        return LinearConfig()

    @classmethod
    def _fit(cls, texts: List[str], labels: List[str], weights: List[float], label_list: List[str],
             config: LinearConfig, progress: Optional[Progress]) -> "LinearTextClassifier":
        features = cls.features_type.fit(texts)
        index = {label: i for i, label in enumerate(label_list)}
        targets = np.array([index[y] for y in labels])
        weight, bias = _fit_weights(features.transform(texts), targets, len(label_list), config,
                                    np.asarray(weights, dtype=np.float32), progress, features.term_columns)
        return cls(label_list, features, weight, bias, config)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        return self._scores(self.features.transform(texts))

    def _scores(self, rows: scipy.sparse.csr_matrix) -> np.ndarray:
        return np.asarray(rows @ self.weight) + self.bias

    def predict_known(self, texts: Sequence[str]) -> List[Optional[List[float]]]:
        """Probabilities per text, or None for a text without a meaningful term the model knows
        (emoji only, another script, letters typed at random): no evidence is not a guess."""
        probs = self._proba(self.features.transform(texts))
        return [probs[i].tolist() if self.features.recognises(text) else None for i, text in enumerate(texts)]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self._proba(self.features.transform(texts))

    def _proba(self, rows: scipy.sparse.csr_matrix) -> np.ndarray:
        logits = self._scores(rows) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True)

    def predict(self, text: str, top_k: int = 3) -> List[Tuple[str, float]]:
        probs = self.predict_proba([text])[0]
        best = np.argsort(-probs, kind="stable")[:min(top_k, len(self.labels))]
        return [(self.labels[i], float(probs[i])) for i in best]

    def save(self, directory: Path, extra_meta: Optional[Dict[str, object]] = None) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez(directory / "weights.npz", weight=self.weight, bias=self.bias)
        self.features.save(directory / "features.json")
        meta = {"labels": self.labels, "config": asdict(self.config), "temperature": self.temperature,
                "model": "linear-squared-hinge"}
        meta.update(extra_meta or {})
        (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "LinearTextClassifier":
        meta = cls.read_meta(directory)
        if meta.get("model") != "linear-squared-hinge":
            raise ValueError(f"{directory} holds a model of another kind ({meta.get('model', 'n-gram')}); "
                             "run `intake train --force`")
        tensors = _read_weights(directory)
        features = cls.features_type.load(directory / "features.json")
        if tensors["weight"].shape != (features.size, len(meta["labels"])):
            raise ValueError(f"{directory}: weights {tuple(tensors['weight'].shape)} do not match "
                             f"{features.size} features × {len(meta['labels'])} labels; retrain")
        return cls(meta["labels"], features, tensors["weight"], tensors["bias"], LinearConfig(**meta["config"]),
                   float(meta.get("temperature", 1.0)))

    read_meta = staticmethod(read_meta)


def _read_weights(directory: Path) -> Dict[str, np.ndarray]:
    """weight (features × labels) and bias, float32; from weights.pt for a model saved before
    the weights were NumPy's (a version a trainer may still activate)."""
    if (directory / "weights.npz").exists():
        with np.load(directory / "weights.npz") as stored:
            return {"weight": stored["weight"].astype(np.float32), "bias": stored["bias"].astype(np.float32)}
    import torch  # only for a model saved as weights.pt

    tensors = torch.load(directory / "weights.pt", weights_only=True)
    return {"weight": tensors["weight"].numpy(), "bias": tensors["bias"].numpy()}


#: a label with fewer examples keeps them all for training: none is held out to fit the temperature
MIN_TO_HOLD_OUT = 5


def _stratified_holdout(labels: List[str], texts: Sequence[str], share: float, seed: int) -> set:
    """Indices to hold out (share of each label that has at least MIN_TO_HOLD_OUT examples). A label with
    fewer keeps all of its examples: it used to turn calibration off for the whole model (temperature 1), and
    four examples of a new leaf left every message at a confidence of 0.01–0.03, each one sent to review.
    Whether an example is held out is its own draw (a keyed hash of its text), not its place in one shuffle
    of all, so neither the other examples nor their order change it: one example more (a trainer's correction,
    a new leaf's examples) reshuffled every label's share, moved the temperature and flipped messages near the
    fallback threshold that had nothing to do with it (「就按这个来」: affirm 0.452 → 0.435, under the 0.45
    threshold, after one example of unpaid wages)."""
    by_label: Dict[str, List[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    if share <= 0:
        return set()
    held = set()
    for members in by_label.values():
        if len(members) < MIN_TO_HOLD_OUT:
            continue
        drawn = sorted(members, key=lambda i: (_draw(texts[i], seed), i))
        held.update(drawn[:max(1, int(len(members) * share))])
    return held


def _draw(text: str, seed: int) -> bytes:
    """A text's place in its label's order for the calibration share: the same for the same text and seed
    whatever else is trained beside it."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8, key=str(seed).encode("ascii")).digest()

"""Problem-type prediction as the rest of the product sees it: taxonomy category, department,
confidence and alternatives, plus the review flag when confidence is below the threshold.

The category filed is chosen top-down: the first-level category (大类) holding the most probability
over all its leaves, then its most probable leaf. A letter about a training centre's fees spreads its
probability over several 教育文体 leaves; the single most probable leaf may sit under 商贸旅游 with less
than 教育文体's sum. Chosen on the second kept-aside leaf set and the 'dev' real letters (both at least
as good; bench/reports/leaves.md, classifier_letters.md), then measured on the letters only ever
measured: level 1 0.803 → 0.824 ('kept') and 0.824 → 0.876 ('kept2')."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

from classifiers.freshness import PROBLEM_MODEL_DIR
from classifiers.linear_model import LinearTextClassifier
from classifiers.problem_features import ProblemTypeModel
from classifiers.taxonomy import Category, Taxonomy, default_taxonomy
from dispatch.review import category_review_below
# the problem as the ticket states it is what is classified: 「我要举报有人在小区里卖假药」 was filed 违章建筑 (举报
# read as a sign of it) under the description 「有人在小区里卖假药」, which reads 治安案件 — the console showed both
from nlu.courtesy import problem_text

MODEL_DIR = PROBLEM_MODEL_DIR


@dataclass
class CategoryPrediction:
    category: Category
    confidence: float
    alternatives: List[Dict[str, object]] = field(default_factory=list)
    needs_review: bool = False

    def to_dict(self) -> Dict[str, object]:
        return {"level1": self.category.level1, "level2": self.category.level2,
                "level3": self.category.level3, "department": self.category.department,
                "default_urgency": self.category.default_urgency, "sla_days": self.category.sla_days,
                "confidence": round(self.confidence, 4), "alternatives": self.alternatives,
                "needs_review": self.needs_review}


class ProblemTypeClassifier:
    def __init__(self, model: LinearTextClassifier, taxonomy: Taxonomy, threshold: float) -> None:
        unknown = [label for label in model.labels if label not in taxonomy]
        if unknown:
            raise ValueError(f"the model predicts categories missing from {taxonomy.source}: {unknown}; "
                             "retrain with `intake train`")
        self.model = model
        self.taxonomy = taxonomy
        self.threshold = threshold
        # each label's first-level category as a number, for summing probabilities per category
        firsts = {name: i for i, name in enumerate(sorted({label.split("/")[0] for label in model.labels}))}
        self._first = np.array([firsts[label.split("/")[0]] for label in model.labels])

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> "ProblemTypeClassifier":
        if not (directory / "meta.json").exists():
            raise FileNotFoundError(f"no problem-type model in {directory}; run `intake train`")
        return cls(ProblemTypeModel.load(directory), default_taxonomy(), category_review_below())

    def filed(self, probabilities: np.ndarray) -> int:
        """The leaf filed for these probabilities (one per label): the most probable leaf of the
        first-level category whose leaves hold the most probability together."""
        mass = np.bincount(self._first, weights=probabilities)
        return int(np.argmax(np.where(self._first == int(np.argmax(mass)), probabilities, -1.0)))

    def ranked(self, text: str, top_k: int = 3) -> List[Tuple[str, float]]:
        """(label, probability) of the leaf filed, then of the other most probable leaves."""
        probabilities = self.model.predict_proba([problem_text(text)])[0]
        best = self.filed(probabilities)
        others = [int(i) for i in np.argsort(-probabilities, kind="stable") if i != best]
        return [(self.model.labels[i], float(probabilities[i])) for i in [best, *others][:top_k]]

    def classify(self, text: str) -> CategoryPrediction:
        ranked = self.ranked(text, top_k=3)
        best_label, best_p = ranked[0]
        alternatives = []
        for label, p in ranked[1:]:
            cat = self.taxonomy.get(label)
            alternatives.append({"level1": cat.level1, "level2": cat.level2, "level3": cat.level3,
                                 "department": cat.department, "confidence": round(p, 4)})
        return CategoryPrediction(self.taxonomy.get(best_label), best_p, alternatives,
                                  needs_review=best_p < self.threshold)

    def classify_at_depth(self, text: str, depth: int) -> Tuple[str, float]:
        """The category the product files (classify's leaf) cut to ``depth`` levels (1: 大类), with
        the probability of that cut category: the sum over the leaves below it."""
        probs = self.model.predict_proba([problem_text(text)])[0]
        answer = "/".join(self.model.labels[self.filed(probs)].split("/")[:depth])
        return answer, float(sum(p for label, p in zip(self.model.labels, probs)
                                 if "/".join(label.split("/")[:depth]) == answer))


def shared_classifier(directory: str) -> ProblemTypeClassifier:
    """One loaded model per version and process: the Rasa components that classify (the message,
    a correction, each of several problems) share it instead of loading copies. ``directory``
    is followed to the version it points at (classifiers/registry.py), so activating another
    version reaches this process with its next message."""
    return _loaded(os.path.realpath(directory))


@lru_cache(maxsize=4)
def _loaded(version_directory: str) -> ProblemTypeClassifier:
    return ProblemTypeClassifier.load(Path(version_directory))


def default_classifier() -> ProblemTypeClassifier:
    return shared_classifier(str(MODEL_DIR))

"""Which category a message is filed under: top-down, the first-level category whose leaves hold the
most probability, then its most probable leaf — not the single most probable leaf of all."""
from __future__ import annotations

import numpy as np
import pytest

from classifiers.linear_model import LinearTextClassifier
from classifiers.problem_type import ProblemTypeClassifier
from classifiers.taxonomy import default_taxonomy

FEES, CENTRES, PRICES = ("教育文体/教育收费/乱收费", "教育文体/教育行政管理/校外机构管理", "商贸旅游/市场监管/物价监督")


def classifier() -> ProblemTypeClassifier:
    texts = ["学校乱收补课费", "学校收资料费", "培训班没有执照", "托管班跑路了", "猪肉涨价太快", "停车费涨价了"]
    labels = [FEES, FEES, CENTRES, CENTRES, PRICES, PRICES]
    return ProblemTypeClassifier(LinearTextClassifier.train(texts, labels), default_taxonomy(), threshold=0.5)


def test_the_first_level_with_most_probability_is_filed():
    model = classifier()
    order = model.model.labels
    probabilities = np.array([{FEES: 0.32, CENTRES: 0.30, PRICES: 0.38}[label] for label in order])
    # 商贸旅游 has the most probable leaf (0.38), 教育文体 the most probability (0.62): its best leaf is filed
    assert order[model.filed(probabilities)] == FEES
    probabilities = np.array([{FEES: 0.10, CENTRES: 0.15, PRICES: 0.75}[label] for label in order])
    assert order[model.filed(probabilities)] == PRICES


def test_the_filed_leaf_leads_the_ranking_and_its_level_one_is_the_answer():
    model = classifier()
    ranked = model.ranked("培训班乱涨学费", top_k=3)
    assert len({label for label, _ in ranked}) == 3
    assert ranked[0][0] == model.classify("培训班乱涨学费").category.path
    level1, confidence = model.classify_at_depth("培训班乱涨学费", 1)
    assert level1 == ranked[0][0].split("/")[0]
    assert confidence == pytest.approx(sum(p for label, p in ranked if label.startswith(level1 + "/")))

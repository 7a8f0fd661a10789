"""The linear model's weights on disk: NumPy's format, and a version saved before as torch's still read."""
from __future__ import annotations

import numpy as np

from classifiers.linear_model import LinearTextClassifier

TEXTS = ["路灯坏了晚上很黑", "楼道的灯不亮了", "路灯一直不亮", "老板拖欠工资三个月", "公司不发工资", "工地欠薪不给钱",
         "楼上装修噪音太大", "半夜施工很吵", "广场舞音响太吵"] * 2
LABELS = ["路灯", "路灯", "路灯", "欠薪", "欠薪", "欠薪", "噪音", "噪音", "噪音"] * 2


def test_saved_weights_are_numpy_and_read_back_the_same(tmp_path):
    model = LinearTextClassifier.train(TEXTS, LABELS)
    model.save(tmp_path)
    assert (tmp_path / "weights.npz").exists() and not (tmp_path / "weights.pt").exists()
    loaded = LinearTextClassifier.load(tmp_path)
    probe = ["小区路灯坏了", "老板不给工资"]
    np.testing.assert_array_equal(loaded.predict_proba(probe), model.predict_proba(probe))
    assert loaded.predict("小区路灯坏了")[0][0] == "路灯"


def test_a_version_saved_as_torch_weights_still_loads(tmp_path):
    import torch

    model = LinearTextClassifier.train(TEXTS, LABELS)
    model.save(tmp_path)
    (tmp_path / "weights.npz").unlink()
    torch.save({"weight": torch.from_numpy(model.weight), "bias": torch.from_numpy(model.bias)}, tmp_path / "weights.pt")
    loaded = LinearTextClassifier.load(tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(["路灯不亮"]), model.predict_proba(["路灯不亮"]))


def test_a_label_with_few_examples_leaves_the_model_calibrated():
    """Four examples of a new leaf (a trainer's first examples, or one operator correction accepted) turned the
    temperature off for the whole model: the shipped model read every message at 0.01–0.03 and sent each to review.
    The few examples stay in training and the temperature is fitted on the other labels."""
    texts = [f"{t}{n}" for n in range(3) for t in TEXTS] + ["社保卡丢了去哪里补办"]
    labels = LABELS * 3 + ["社保卡"]
    many = LinearTextClassifier.train([f"{t}{n}" for n in range(3) for t in TEXTS], LABELS * 3)
    few = LinearTextClassifier.train(texts, labels)
    assert few.temperature != 1.0 and abs(np.log(few.temperature / many.temperature)) < np.log(3)
    assert few.predict("楼上装修噪音太大")[0] == ("噪音", few.predict("楼上装修噪音太大")[0][1])
    assert few.predict("楼上装修噪音太大")[0][1] > 0.5

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


def test_log_count_ratios_favour_the_terms_that_tell_labels_apart_and_fold_into_the_weights():
    """NBSVM: each label is solved over its terms scaled by how much more often its texts contain them; the
    scaling is folded into the weights, so a text is scored as before (one row times the weights)."""
    import scipy.sparse

    from classifiers.linear_model import LinearConfig, log_count_ratios

    # terms: 0 only in label 0's texts, 1 in every text, 2 only in label 1's; column 3 is not a term
    x = scipy.sparse.csr_matrix(np.array([[0.5, 0.5, 0, 1], [0.7, 0.3, 0, 1], [0, 0.6, 0.4, 1], [0, 0.2, 0.8, 1]]))
    ratios = log_count_ratios(x, np.array([0, 0, 1, 1]), 2, np.ones(4), term_columns=3)
    assert ratios.shape == (3, 2)
    assert ratios[0, 0] > 0 > ratios[0, 1] and ratios[2, 1] > 0 > ratios[2, 0]
    assert abs(ratios[1, 0]) < ratios[0, 0] and abs(ratios[1, 1]) < ratios[2, 1]
    # a text counts by its weight: label 0's second text weighed at 0 leaves term 0 in one text of two
    lighter = log_count_ratios(x, np.array([0, 0, 1, 1]), 2, np.array([1.0, 0.0, 1.0, 1.0]), term_columns=3)
    assert lighter[0, 0] < ratios[0, 0]

    plain = LinearTextClassifier.train(TEXTS, LABELS)
    scaled = LinearTextClassifier.train(TEXTS, LABELS, LinearConfig(log_count_ratio=True))
    assert not np.allclose(scaled.weight, plain.weight)
    probe = ["小区路灯坏了", "老板不给工资", "晚上施工噪音"]
    assert [scaled.predict(text)[0][0] for text in probe] == ["路灯", "欠薪", "噪音"]
    rows = scaled.features.transform(probe)
    np.testing.assert_allclose(scaled.scores(probe), rows @ scaled.weight + scaled.bias, rtol=1e-5)

def test_the_calibration_share_of_a_label_does_not_move_when_other_examples_come():
    """One example added anywhere reshuffled every label's calibration share (the temperature moved, and 「就按这个来」
    fell under the fallback threshold after one example of unpaid wages was written). An example's draw is its own:
    other labels' shares stay as they were, in whatever order the examples come."""
    from classifiers.linear_model import _stratified_holdout

    texts = [f"{t}{n}" for n in range(4) for t in TEXTS]
    labels = LABELS * 4
    before = _stratified_holdout(labels, texts, 0.15, 13)
    after = _stratified_holdout(["欠薪"] + labels, ["物流公司拖欠工资"] + texts, 0.15, 13)
    unmoved = {texts[i] for i in before if labels[i] != "欠薪"}
    assert unmoved == {(["物流公司拖欠工资"] + texts)[i] for i in after if (["欠薪"] + labels)[i] != "欠薪"}
    order = list(reversed(range(len(texts))))
    shuffled = _stratified_holdout([labels[i] for i in order], [texts[i] for i in order], 0.15, 13)
    assert {texts[order[i]] for i in shuffled} == {texts[i] for i in before}

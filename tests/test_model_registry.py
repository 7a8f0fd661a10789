"""Versions of the problem-type model: a model trained before versions existed is adopted,
training makes a version that is not live until activated, activation and rollback swap the
link every process loads from (and a process that already loaded a version follows it),
comparison on the same file records each version's figures."""
from __future__ import annotations

import csv

import pytest

from classifiers.compare import compare_versions
from classifiers.examples import Example
from classifiers.problem_type import shared_classifier
from classifiers.registry import Registry, RegistryError

LIGHT, NOISE, WATER = ("城乡建设/城市建设和市政管理/城市公共设施", "环境保护/环境污染/噪音污染",
                       "城乡建设/城市建设和市政管理/自来水供应")


def examples(extra_water: bool) -> list:
    rows = [("路灯坏了", LIGHT), ("路灯不亮", LIGHT), ("楼道灯坏了好久", LIGHT), ("晚上路灯全黑", LIGHT),
            ("楼上装修太吵", NOISE), ("半夜施工噪音大", NOISE), ("广场舞音响太响", NOISE), ("工地机器轰鸣", NOISE)]
    if extra_water:
        rows += [("家里停水了", WATER), ("自来水发黄", WATER), ("水压太低", WATER), ("停水两天了", WATER)]
    return [Example(text, label, "test") for text, label in rows]


def test_versions_train_activate_roll_back_and_compare(tmp_path):
    registry = Registry(versions_dir=tmp_path / "problem_type_versions", link=tmp_path / "problem_type")
    assert registry.versions() == [] and registry.active() is None
    with pytest.raises(RegistryError):
        registry.rollback("trainer-a")

    first = registry.train("trainer-a", examples(False), "data-1")
    assert registry.active() is None  # trained is not live
    registry.activate(first.version, "trainer-a")
    loaded = shared_classifier(str(tmp_path / "problem_type"))
    assert set(loaded.model.labels) == {LIGHT, NOISE}

    second = registry.train("trainer-b", examples(True), "data-2")
    registry.activate(second.version, "admin-c")
    # the same path now loads the new version: a running service follows with its next message
    assert set(shared_classifier(str(tmp_path / "problem_type")).model.labels) == {LIGHT, NOISE, WATER}
    assert registry.active() == second.version

    test = tmp_path / "test.csv"
    with test.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "text", "label"])
        for text, label in [("路灯一直不亮", LIGHT), ("隔壁装修很吵", NOISE), ("小区停水", WATER), ("水龙头没水", WATER)]:
            writer.writerow(["", text, label])
    report = compare_versions(registry, [first.version, second.version], test, tmp_path / "compare")
    f1 = {s["model"]: s["macro_f1"] for s in report["results"]}
    assert f1[second.version] > f1[first.version]
    assert (tmp_path / "compare" / f"confusion_{second.version}.png").exists()
    assert registry.get(second.version).evaluations[0].messages == 4

    back = registry.rollback("admin-c")
    assert back.version == first.version and registry.active() == first.version
    assert set(shared_classifier(str(tmp_path / "problem_type")).model.labels) == {LIGHT, NOISE}
    assert [a.by for a in registry.get(first.version).activations] == ["trainer-a", "admin-c"]


def test_a_model_trained_before_versions_is_adopted(tmp_path):
    from classifiers.linear_model import LinearTextClassifier

    plain = tmp_path / "problem_type"
    model = LinearTextClassifier.train([e.text for e in examples(False)], [e.label for e in examples(False)])
    model.save(plain, {"fingerprint": "old", "examples": 8})
    registry = Registry(versions_dir=tmp_path / "problem_type_versions", link=plain)
    assert plain.is_symlink() and registry.active() == registry.versions()[0].version
    assert registry.versions()[0].data_fingerprint == "old"
    assert set(shared_classifier(str(plain)).model.labels) == {LIGHT, NOISE}


def test_dialogue_archives_are_versions_activated_and_rolled_back(tmp_path):
    import os
    import time

    from classifiers.dialogue_versions import DialogueVersions

    archives, link = tmp_path / "dialogue", tmp_path / "dialogue_active.tar.gz"
    archives.mkdir()
    assert DialogueVersions(archives, link).model_path() == archives  # nothing trained yet
    for n, name in enumerate(["20261101-000000-old.tar.gz", "20261102-000000-mid.tar.gz", "20261103-000000-new.tar.gz"]):
        (archives / name).write_bytes(b"archive %d" % n)
        os.utime(archives / name, (time.time() - 100 + n, time.time() - 100 + n))
    versions = DialogueVersions(archives, link)  # adopted; the newest is active
    assert versions.active() == "20261103-000000-new.tar.gz" and versions.model_path() == link
    assert os.path.realpath(link) == str(archives / "20261103-000000-new.tar.gz")
    versions.activate("20261101-000000-old.tar.gz", "trainer-a")
    assert os.path.realpath(link) == str(archives / "20261101-000000-old.tar.gz")
    with pytest.raises(RegistryError):
        versions.activate("no-such.tar.gz", "trainer-a")
    assert versions.rollback("trainer-a").version == "20261103-000000-new.tar.gz"
    (archives / "20261104-000000-newer.tar.gz").write_bytes(b"trained since")
    made = DialogueVersions(archives, link).activate_newest("intake train", "data-fp")
    assert (made.version, made.data_fingerprint) == ("20261104-000000-newer.tar.gz", "data-fp")
    versions.activate("20261101-000000-old.tar.gz", "trainer-b")
    versions.prune(keep=2)  # the active one stays, and the newest other
    assert sorted(p.name for p in archives.glob("*.tar.gz")) == ["20261101-000000-old.tar.gz", "20261104-000000-newer.tar.gz"]
    assert [v.version for v in DialogueVersions(archives, link).versions()] == [
        "20261104-000000-newer.tar.gz", "20261101-000000-old.tar.gz"]

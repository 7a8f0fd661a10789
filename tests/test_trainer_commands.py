"""Trainer commands through the real CLI: evaluate, import tickets, import taxonomy."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from classifiers.examples import problem_example_files, read_examples

INTAKE = [sys.executable, "-m", "intake.cli"]


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*INTAKE, *args], capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def write_csv(path: Path, rows, header=("title", "text", "label")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """Our own examples, labelled at level 1, split 3:1 into train and test files."""
    folder = tmp_path_factory.mktemp("eval")
    examples = read_examples(problem_example_files())
    rows = [("", e.text, e.label.split("/")[0]) for e in examples]
    train = [r for i, r in enumerate(rows) if i % 4]
    test = [r for i, r in enumerate(rows) if not i % 4]
    return write_csv(folder / "train.csv", train), write_csv(folder / "test.csv", test), folder


def test_evaluate_train_test_reports_both_models(split):
    train, test, folder = split
    out = folder / "report"
    run("evaluate", "classifier", "--train", str(train), "--test", str(test), "--out", str(out))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    models = {r["model"]: r for r in report["results"]}
    assert set(models) == {"linear (ours) + shipped examples", "linear (ours), file only",
                           "TF-IDF + linear SVM (baseline)"}
    ours = models["linear (ours), file only"]
    # 15 level-1 labels (chance ≈ 0.07), some with only 25 short examples split 3:1
    assert ours["macro_f1"] > 0.45 and ours["accuracy"] > 0.6 and 0 <= ours["ece"] <= 1
    assert ours["per_class"]["环境保护"]["support"] > 0
    # the test messages are our own examples: they must not be learned by the model that adds them
    with_examples = models["linear (ours) + shipped examples"]
    assert abs(with_examples["accuracy"] - ours["accuracy"]) < 0.1
    assert (out / "confusion_matrix.png").stat().st_size > 10000


def test_evaluate_cross_validation(split):
    train, _, folder = split
    out = folder / "cv"
    # two folds: what is tested is the command, not the figure (three cost CI 75 s)
    result = run("evaluate", "classifier", "--train", str(train), "--cv", "2", "--out", str(out))
    assert "2-fold cross-validation" in result.stdout
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["results"][0]["accuracy"] > 0.5


def test_evaluate_unknown_label_names_the_row(split, tmp_path):
    train, _, _ = split
    test = write_csv(tmp_path / "bad.csv", [("", "路灯坏了", "城乡建设"), ("", "飞船坠落了", "航天管理")])
    result = run("evaluate", "classifier", "--train", str(train), "--test", str(test), check=False)
    assert result.returncode == 2
    assert "row 3" in result.stdout and "航天管理" in result.stdout


@pytest.mark.parametrize("content,message", [
    ("title,text,label\n,路灯坏了,城乡建设,多余\n", "row 2: more cells"),
    ("title,text,label\n,,城乡建设\n", "row 2: empty text"),
    ("title,text,label\n,😀😀,城乡建设\n", "row 2: empty text"),
    ("title,text,label\n,路灯坏了,\n", "row 2: empty label"),
    ("name,label\n路灯,城乡建设\n", "needs columns"),
])
def test_malformed_evaluation_files(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = run("evaluate", "classifier", "--train", str(path), "--cv", "2", check=False)
    assert result.returncode == 2 and message in result.stdout


def test_broken_xlsx_is_reported(tmp_path):
    path = tmp_path / "tickets.xlsx"
    path.write_bytes(b"this is not a workbook")
    result = run("import", "tickets", str(path), "--out", str(tmp_path / "out.yml"), check=False)
    assert result.returncode == 2 and "cannot read the workbook" in result.stdout


def test_import_tickets_dedups_and_writes_rasa_yaml(tmp_path):
    source = write_csv(tmp_path / "history.csv", [
        ("路灯", "幸福路的路灯不亮了", "城乡建设/城市建设和市政管理/城市公共设施"),
        ("", "幸福路的路灯不亮了！", "城市公共设施"),
        ("噪音", "工地夜里施工太吵", "噪音污染"),
    ])
    out = tmp_path / "imported.yml"
    result = run("import", "tickets", str(source), "--out", str(out))
    assert "3 rows read, 2 examples kept, 1 duplicates merged" in result.stdout
    examples = read_examples([out])
    assert {e.label for e in examples} == {"城乡建设/城市建设和市政管理/城市公共设施", "环境保护/环境污染/噪音污染"}


def test_import_tickets_rejects_unknown_and_ambiguous_labels(tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [("", "路灯不亮", "城市公共设施"), ("", "说不清", "其他")])
    result = run("import", "tickets", str(bad), "--out", str(tmp_path / "x.yml"), check=False)
    assert result.returncode == 2 and "row 3" in result.stdout and "ambiguous" in result.stdout


def test_import_taxonomy_builds_a_valid_tree(tmp_path):
    tree = write_csv(tmp_path / "tree.csv", [("城市管理", "市容环境", "占道经营"), ("城市管理", "市容环境", "乱贴广告"),
                                             ("民生服务", "供水供电", "")], header=("level1", "level2", "level3"))
    rules = tmp_path / "departments.yml"
    rules.write_text("default: {department: 街道办, default_urgency: 一般, sla_days: 5}\n"
                     "rules:\n  民生服务/供水供电: {department: 水电公司, default_urgency: 紧急, sla_days: 1}\n",
                     encoding="utf-8")
    out = tmp_path / "taxonomy.yml"
    result = run("import", "taxonomy", str(tree), "--departments", str(rules), "--out", str(out))
    assert "3 categories" in result.stdout
    from classifiers.taxonomy import Taxonomy

    taxonomy = Taxonomy.load(out)
    assert taxonomy.get("民生服务/供水供电").department == "水电公司"
    assert taxonomy.get("城市管理/市容环境/占道经营").department == "街道办"
    missing = write_csv(tmp_path / "bad_tree.csv", [("城市管理",)], header=("level1",))
    result = run("import", "taxonomy", str(missing), "--departments", str(rules), "--out", str(out), check=False)
    assert result.returncode == 2 and "missing column" in result.stdout


def test_models_list_shows_the_active_dialogue_version(stack):
    from classifiers.dialogue_versions import DialogueVersions

    listed = run("models", "list", "--dialogue").stdout
    assert f"* {DialogueVersions().active()}" in listed
    assert run("models", "activate", "no-such.tar.gz", "--dialogue", check=False).returncode == 2

"""`intake evaluate classifier`: trains on one labelled file and reports on another (or k-fold
cross-validation on one file) for our linear model — trained on the file together with our shipped
examples, as `intake train` would for a deployment, and on the file alone — beside the TF-IDF +
linear SVM baseline: accuracy, macro-F1, per-class P/R/F1, calibration (ECE), training and
inference time, and a confusion-matrix PNG. Also measures the shipped model on real messages."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from classifiers.baseline import TfidfSvmBaseline  # noqa: E402
from classifiers.calibration import expected_calibration_error  # noqa: E402
from classifiers.datasets import LabelledText, check_known_labels  # noqa: E402
from classifiers.examples import Example, examples_for_labels  # noqa: E402
from classifiers.linear_model import LinearConfig  # noqa: E402
from classifiers.problem_features import ProblemTypeModel  # noqa: E402
from classifiers.sentence_encoder import EncoderSpec  # noqa: E402
from classifiers.word_vectors import WordVectorSpec  # noqa: E402
from nlu.normalize import normalize_text  # noqa: E402

#: weight of one of our examples beside one of the deployment's labelled messages
SHIPPED_EXAMPLE_WEIGHT = 1.0
#: fonts that draw the Chinese labels of our charts, the first one installed wins (Debian: fonts-noto-cjk)
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "DejaVu Sans"]


def use_cjk_fonts() -> None:
    """Make charts draw Chinese: matplotlib keeps the font list it found the first time it ran, so
    fonts installed after that (./test.sh installs fonts-noto-cjk) are added here, not left as boxes."""
    from matplotlib import font_manager

    if not any("CJK" in font.name for font in font_manager.fontManager.ttflist):
        for path in font_manager.findSystemFonts():
            if "CJK" in path:
                font_manager.fontManager.addfont(path)
    plt.rcParams["font.sans-serif"] = CJK_FONTS


@dataclass
class ModelResult:
    name: str
    gold: List[str] = field(default_factory=list)
    predicted: List[str] = field(default_factory=list)
    confidences: List[float] = field(default_factory=list)
    train_seconds: float = 0.0
    infer_seconds: float = 0.0

    def extend(self, gold, predicted, confidences, train_s, infer_s) -> None:
        self.gold += list(gold)
        self.predicted += list(predicted)
        self.confidences += list(confidences)
        self.train_seconds += train_s
        self.infer_seconds += infer_s

    def summary(self, folds: int = 1) -> Dict[str, object]:
        labels = sorted(set(self.gold) | set(self.predicted))
        p, r, f, support = precision_recall_fscore_support(self.gold, self.predicted, labels=labels, zero_division=0)
        out = {
            "model": self.name,
            "accuracy": accuracy_score(self.gold, self.predicted),
            # macro over the true labels: a category the test set does not contain cannot be averaged in
            "macro_f1": f1_score(self.gold, self.predicted, labels=sorted(set(self.gold)), average="macro",
                                 zero_division=0),
            "train_seconds_per_fit": self.train_seconds / folds,
            "inference_ms_per_message": 1000 * self.infer_seconds / max(1, len(self.gold)),
            "per_class": {label: {"precision": p[i], "recall": r[i], "f1": f[i], "support": int(support[i])}
                          for i, label in enumerate(labels)},
        }
        if self.confidences:
            correct = [g == q for g, q in zip(self.gold, self.predicted)]
            out["ece"] = expected_calibration_error(self.confidences, correct)
        return out


def _ours(train: Sequence[LabelledText], test: Sequence[LabelledText], config: Optional[LinearConfig],
          shipped: Sequence[Example], model_type: type = ProblemTypeModel):
    texts = [r.text for r in train] + [e.text for e in shipped]
    labels = [r.label for r in train] + [e.label for e in shipped]
    weights = [1.0] * len(train) + [SHIPPED_EXAMPLE_WEIGHT] * len(shipped)
    started = time.perf_counter()
    model = model_type.train(texts, labels, config, sample_weight=weights)
    train_s = time.perf_counter() - started
    started = time.perf_counter()
    predictions = [model.predict(r.text, top_k=1)[0] for r in test]
    infer_s = time.perf_counter() - started
    return [p[0] for p in predictions], [p[1] for p in predictions], train_s, infer_s


def _baseline(train: Sequence[LabelledText], test: Sequence[LabelledText]):
    started = time.perf_counter()
    model = TfidfSvmBaseline.train([r.text for r in train], [r.label for r in train])
    train_s = time.perf_counter() - started
    started = time.perf_counter()
    predicted = model.predict([r.text for r in test])
    return predicted, [], train_s, time.perf_counter() - started


@dataclass(frozen=True)
class Variant:
    """Our model trained another way than the settings say (a benchmark compares them): on the file only, or
    with those of our examples ``examples`` keeps (a set measured only without the examples written from it)."""
    name: str
    model_type: type = ProblemTypeModel
    config: Optional[LinearConfig] = None
    examples: Optional[Callable[[Example], bool]] = None


def encoder_variant(encoder: Optional[EncoderSpec], word_vectors: Optional[WordVectorSpec] = None) -> Variant:
    """Our model reading ``encoder`` (a sentence vector) and ``word_vectors`` beside the words, whatever
    settings/problem_type.yml says."""
    reads = [f"{encoder.name} ({encoder.chars} characters, weight {encoder.weight:g})"] if encoder else []
    reads.append(f"{word_vectors.encoder} word vectors ({word_vectors.chars} characters, weight {word_vectors.weight:g})"
                 if word_vectors else "no word vectors")
    return Variant(f"linear (ours) + {' + '.join(reads)}, file only", ProblemTypeModel.with_encoder(encoder, word_vectors))


def _models(variants: Sequence[Variant] = ()) -> List[ModelResult]:
    return [ModelResult("linear (ours) + shipped examples"), ModelResult("linear (ours), file only"),
            ModelResult("TF-IDF + linear SVM (baseline)")] + [ModelResult(v.name) for v in variants]


def _run_split(train: Sequence[LabelledText], test: Sequence[LabelledText], config: Optional[LinearConfig],
               results: List[ModelResult], variants: Sequence[Variant] = ()) -> None:
    """Train each model on ``train`` and add its answers on ``test`` to ``results``; then each variant of ours."""
    with_examples, alone, base = results[:3]
    gold = [r.label for r in test]
    # an example that is also a test message would be learned, not measured
    tested = {normalize_text(r.text) for r in test}
    shipped = [e for e in examples_for_labels({r.label for r in train}) if normalize_text(e.text) not in tested]
    with_examples.extend(gold, *_ours(train, test, config, shipped))
    alone.extend(gold, *_ours(train, test, config, []))
    base.extend(gold, *_baseline(train, test))
    for result, variant in zip(results[3:], variants):
        kept = [e for e in shipped if variant.examples(e)] if variant.examples else []
        result.extend(gold, *_ours(train, test, variant.config, kept, variant.model_type))


def evaluate_split(train: List[LabelledText], test: List[LabelledText], test_path: Path,
                   config: Optional[LinearConfig] = None, variants: Sequence[Variant] = ()) -> List[ModelResult]:
    check_known_labels(test, {r.label for r in train}, test_path)
    results = _models(variants)
    _run_split(train, test, config, results, variants)
    return results


def cross_validate(rows: List[LabelledText], folds: int, config: Optional[LinearConfig] = None,
                   progress: Optional[Callable[[int], None]] = None) -> List[ModelResult]:
    results = _models()
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
    for fold, (train_idx, test_idx) in enumerate(splitter.split(rows, [r.label for r in rows]), start=1):
        _run_split([rows[i] for i in train_idx], [rows[i] for i in test_idx], config, results)
        if progress:
            progress(fold)
    return results


def confusion_png(result: ModelResult, path: Path, title: str) -> None:
    labels = sorted(set(result.gold) | set(result.predicted))
    matrix = confusion_matrix(result.gold, result.predicted, labels=labels)
    use_cjk_fonts()
    size = max(6, 0.5 * len(labels) + 3)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                ax.text(j, i, int(matrix[i, j]), ha="center", va="center",
                        color="white" if matrix[i, j] > matrix.max() / 2 else "black", fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(results: List[ModelResult], out_dir: Path, title: str, folds: int = 1) -> Dict[str, object]:
    out_dir.mkdir(parents=True, exist_ok=True)
    summaries = [r.summary(folds) for r in results]
    confusion_png(results[0], out_dir / "confusion_matrix.png", f"{title}: {results[0].name}")
    (out_dir / "report.json").write_text(json.dumps({"title": title, "results": summaries}, ensure_ascii=False,
                                                    indent=1, default=float), encoding="utf-8")
    lines = [f"# {title}", "", "| model | accuracy | macro-F1 | ECE | train s/fit | ms/message |", "|---|---|---|---|---|---|"]
    for s in summaries:
        ece = f"{s['ece']:.3f}" if "ece" in s else "–"
        lines.append(f"| {s['model']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} | {ece} | "
                     f"{s['train_seconds_per_fit']:.1f} | {s['inference_ms_per_message']:.2f} |")
    lines += ["", "Per class (ours):", "", "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, m in summaries[0]["per_class"].items():
        lines.append(f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    lines += ["", "![confusion matrix](confusion_matrix.png)", ""]
    (out_dir / "report.md").write_text("\n".join(lines), encoding="utf-8")
    return {"title": title, "results": summaries, "markdown": "\n".join(lines)}


def evaluate_shipped(rows: List[LabelledText], test_path: Path, classifier=None,
                     name: str = "shipped linear (our examples only)") -> List[ModelResult]:
    """The shipped model (trained only on our examples) — or ``classifier``, a version of it — on
    real labelled messages. Labels may be level-1 names, level-2 paths or full paths; the model's
    probabilities are summed up to that level, so the reported confidence is the confidence in
    the level being compared."""
    from classifiers.problem_type import default_classifier

    classifier = classifier or default_classifier()
    depth = max(len(r.label.split("/")) for r in rows)
    known = {"/".join(p.split("/")[:depth]) for p in classifier.taxonomy.paths()}
    check_known_labels(rows, known, test_path, what=f"level-{depth} categories of the taxonomy")
    result = ModelResult(name)
    started = time.perf_counter()
    answers = [classifier.classify_at_depth(r.text, depth) for r in rows]
    elapsed = time.perf_counter() - started
    result.extend([r.label for r in rows], [a[0] for a in answers], [a[1] for a in answers], 0.0, elapsed)
    return [result]

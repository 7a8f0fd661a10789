"""The urgency model: three grades (特急/紧急/一般), calibrated, from what a report puts at risk.

Trigger words (settings/urgency.yml) miss hazards told in other words: a tree lying across a road,
tiles that already hit a car, an old man whose carer is in hospital. This model reads the words
(TF-IDF, as the problem-type model) and the hazard concepts of settings/hazards.yml — one column per
concept and per pair found together, so 「老人」 with 「没人接」 can weigh more than either alone —
and a sentence encoder's vector of the report (classifiers/sentence_encoder.py), which reads what the
words mean together, with the same class-balanced linear layer and softmax temperature
(classifiers/linear_model.py), trained on training_data/urgency; a letter longer than the encoder reads
goes to a twin trained without the vector. nlu/urgency.py combines it with the rules: the higher
grade wins.

A grade the model gives comes with the concepts that pushed it, so an operator reads why
(「道路被挡、道路交通（模型：特急 0.83）」).
"""
from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import scipy.sparse
import yaml

from classifiers.features import TextFeatures, stack_rows
from classifiers.freshness import URGENCY_DATA_DIR, URGENCY_MODEL_DIR, urgency_data_fingerprint
from classifiers.linear_model import LinearConfig, LinearTextClassifier
from classifiers.sentence_encoder import EncoderSpec, append_vectors, load_spec, save_spec
from common.paths import SETTINGS_DIR
from nlu.hazard import HazardLexicon, default_lexicon
from nlu.normalize import normalize_text
from nlu.vague import content_chars
from nlu.words import tagged

logger = logging.getLogger(__name__)

GRADES = ("特急", "紧急", "一般")
MODEL_DIR = URGENCY_MODEL_DIR
DATA_DIR = URGENCY_DATA_DIR
CONCEPT_NORM = 1.0  # length of a message's concept columns together; each TF-IDF view has length 1
LETTERS_DIR = "letters"  # beside the model: the words-only model for letters the encoder does not read
REPORT_LENGTH = 80  # characters: the concepts of longer texts weigh less
CONTENT_TAGS = ("n", "v", "a", "l", "i")  # jieba tags of nouns, verbs, adjectives, set phrases, idioms


class HazardFeatures:
    """The words (TextFeatures) plus one column per hazard or meaning concept and per pair of concepts
    one of which is a hazard, then, when settings/urgency.yml names one, a sentence encoder's vector
    of the report (classifiers/sentence_encoder.py)."""

    def __init__(self, text: TextFeatures, lexicon: HazardLexicon, names: List[str],
                 encoder: Optional[EncoderSpec] = None) -> None:
        if names != lexicon.names:
            raise ValueError(f"the model was trained on hazard concepts {names}, settings/hazards.yml has "
                             f"{lexicon.names}; run `intake train`")
        self.text = text
        self.lexicon = lexicon
        self.names = names
        self.encoder = encoder
        # who is exposed and how bad it is mean something only beside a hazard: 「已经」「有人」「孩子」 are
        # in most long letters. So they have no column of their own, only pairs with a hazard.
        kinds = {c.name: c.kind for c in lexicon.concepts}
        self._single = {i for i, name in enumerate(names) if kinds[name] in ("hazard", "meaning")}
        self.pairs = [(a, b) for a, b in combinations(range(len(names)), 2)
                      if "hazard" in (kinds[names[a]], kinds[names[b]])]
        self._pair_column = {pair: len(names) + i for i, pair in enumerate(self.pairs)}

    @classmethod
    def fit(cls, texts: Sequence[str]) -> "HazardFeatures":
        lexicon = default_lexicon()
        return cls(TextFeatures.fit(texts), lexicon, lexicon.names, configured_encoder())

    @property
    def size(self) -> int:
        return self._encoder_column + (self.encoder.dim if self.encoder else 0)

    @property
    def term_columns(self) -> int:
        """The words' columns come first (classifiers/linear_model.log_count_ratios scales those only)."""
        return self.text.term_columns

    @property
    def _encoder_column(self) -> int:
        return self.text.size + len(self.names) + len(self.pairs)

    def concept_columns(self, text: str) -> List[int]:
        """Columns (after the words) of the concepts and pairs found in ``text``."""
        found = [self.names.index(name) for name in self.lexicon.found(normalize_text(text))]
        return ([i for i in found if i in self._single]
                + [self._pair_column[pair] for pair in combinations(found, 2) if pair in self._pair_column])

    def transform(self, texts: Sequence[str]) -> scipy.sparse.csr_matrix:
        rows = self.text.rows(texts)
        for (columns, values), text in zip(rows, texts):
            extra = self.concept_columns(text)
            if extra:
                columns.append(self.text.size + np.asarray(extra, dtype=np.int64))
                # one unit-length view as the words are, so a long letter naming many concepts in
                # passing does not outweigh a short report naming two
                values.append(np.full(len(extra), self.concept_value(text, len(extra))))
        if self.encoder:
            append_vectors(rows, texts, self.encoder, self._encoder_column)
        return stack_rows(rows, self.size)

    @staticmethod
    def concept_value(text: str, columns: int) -> float:
        """A concept column's value: the concepts of a message together have length CONCEPT_NORM, less
        for a text longer than a report (a word met once in a two-page letter is weaker evidence)."""
        return CONCEPT_NORM / max(1, columns) ** 0.5 * min(1.0, (REPORT_LENGTH / max(1, len(text))) ** 0.5)

    def recognises(self, text: str) -> bool:
        return self.text.recognises(text) or bool(self.lexicon.found(normalize_text(text)))

    def column_concepts(self, column: int) -> Tuple[str, ...]:
        """The concept names a concept or pair column (counted after the words) stands for."""
        if column < len(self.names):
            return (self.names[column],)
        a, b = self.pairs[column - len(self.names)]
        return self.names[a], self.names[b]

    def save(self, path: Path) -> None:
        self.text.save(path)
        path.with_name("concepts.json").write_text(json.dumps(self.names, ensure_ascii=False), encoding="utf-8")
        save_spec(path.with_name("encoder.json"), self.encoder)

    @classmethod
    def load(cls, path: Path) -> "HazardFeatures":
        """The features a model was trained with, its encoder included (a model saved before there
        was one has none)."""
        names = json.loads(path.with_name("concepts.json").read_text(encoding="utf-8"))
        return cls(TextFeatures.load(path), default_lexicon(), names, load_spec(path.with_name("encoder.json")))


def model_settings() -> Dict[str, object]:
    """settings/urgency.yml's `model` section: the encoder and the thresholds the model is read with."""
    data = yaml.safe_load((SETTINGS_DIR / "urgency.yml").read_text(encoding="utf-8")) or {}
    return data.get("model") or {}


def configured_encoder() -> Optional[EncoderSpec]:
    """The sentence encoder settings/urgency.yml model.encoder names (None for none)."""
    return EncoderSpec.from_settings(model_settings(), "settings/urgency.yml model", chars=60, longest=100)


class UrgencyClassifier(LinearTextClassifier):
    features_type = HazardFeatures


class WordsOnlyFeatures(HazardFeatures):
    """The words and concepts without the encoder, whatever the settings say: what the model reads
    a letter longer than the encoder's ``longest`` with."""

    @classmethod
    def fit(cls, texts: Sequence[str]) -> "HazardFeatures":
        lexicon = default_lexicon()
        return cls(TextFeatures.fit(texts), lexicon, lexicon.names, None)


class LetterUrgencyClassifier(UrgencyClassifier):
    features_type = WordsOnlyFeatures


@dataclass
class UrgencyReading:
    """What the model says of one message. ``doubt``: P(特急) of a message the model could have
    graded 特急 (a hazard named, or a short report) when that reached the review threshold without
    reaching 特急's — a person should look (nlu/urgency.py); None otherwise."""
    level: str
    probabilities: Dict[str, float]  # empty where the model was not asked (a long letter naming no hazard)
    concepts: List[str] = field(default_factory=list)  # labels of the concepts that pushed the grade
    doubt: Optional[float] = None

    def reason(self) -> str:
        said = "、".join(self.concepts)
        return f"{said}（模型：{self.level} {self.probabilities[self.level]:.2f}）" if said else \
            f"模型判断{self.level}（{self.probabilities[self.level]:.2f}）"


@dataclass(frozen=True)
class Thresholds:
    """特急 when its probability reaches ``top``; 紧急 when 特急 + 紧急 reach ``urgent``. A report
    naming no hazard concept is raised only when it is short (``unnamed_length`` characters at most)
    and the probability reaches ``unnamed``: the words alone are weaker evidence; and only when it
    says something (``unnamed_min_content`` characters besides the place and the words that open a
    report, nlu/vague.content_chars): on 「还有一个事」 the model's probabilities mean nothing."""
    top: float = 0.5
    urgent: float = 0.5
    unnamed: float = 0.7
    unnamed_length: int = 100
    review_top: float = 0.1  # a lower grade with P(特急) this high goes to a person (nlu/urgency.py)
    unnamed_min_content: int = 3

    @classmethod
    def configured(cls) -> "Thresholds":
        model = model_settings()
        made = cls(float(model.get("top_at", cls.top)), float(model.get("urgent_at", cls.urgent)),
                   float(model.get("unnamed_at", cls.unnamed)), int(model.get("unnamed_length", cls.unnamed_length)),
                   float(model.get("review_top_at", cls.review_top)),
                   int(model.get("unnamed_min_content", cls.unnamed_min_content)))
        if (not all(0 < value <= 1 for value in (made.top, made.urgent, made.unnamed, made.review_top))
                or made.unnamed_length < 0 or made.unnamed_min_content < 0):
            raise ValueError("settings/urgency.yml model.top_at, urgent_at, unnamed_at and review_top_at must be "
                             "in (0, 1], model.unnamed_length and unnamed_min_content numbers of characters")
        return made


class UrgencyModel:
    """Grades a message with ``classifier``; when that reads a sentence encoder's vector, a text longer
    than the encoder reads (a letter) is graded by ``letters``, trained on the same reports without
    the vector. Every training report is report-length, so the encoder says nothing learnt of a letter:
    given no vector, the model with one graded real letters worse than the words alone (紧急-or-higher
    recall 0.78 → 0.65), and reading each letter's opening cost 5 ms more per letter."""

    def __init__(self, classifier: UrgencyClassifier, thresholds: Optional[Thresholds] = None,
                 letters: Optional[UrgencyClassifier] = None) -> None:
        self.classifier = classifier
        self.letters = letters
        self.thresholds = thresholds or Thresholds.configured()
        self._column = {label: i for i, label in enumerate(classifier.labels)}
        if set(self._column) != set(GRADES):
            raise ValueError(f"an urgency model needs the grades {GRADES}, this one has {classifier.labels}")
        if classifier.features.encoder and (letters is None or letters.labels != classifier.labels):
            raise ValueError("an urgency model reading a sentence encoder needs its words-only model for letters; "
                             "run `intake train`")

    @classmethod
    def train(cls, texts: Sequence[str], grades: Sequence[str], config: Optional[LinearConfig] = None,
              thresholds: Optional[Thresholds] = None) -> "UrgencyModel":
        unknown = set(grades) - set(GRADES)
        if unknown:
            raise ValueError(f"unknown urgency grades {sorted(unknown)}; use {GRADES}")
        classifier = UrgencyClassifier.train(texts, grades, config)
        letters = LetterUrgencyClassifier.train(texts, grades, config) if classifier.features.encoder else None
        return cls(classifier, thresholds, letters)

    def classifier_for(self, text: str) -> UrgencyClassifier:
        """The classifier that grades ``text``: the letters' one past the encoder's longest text."""
        encoder = self.classifier.features.encoder
        return self.letters if encoder and self.letters and len(text) > encoder.longest else self.classifier

    def grade(self, probabilities: Dict[str, float], named: bool = True) -> str:
        top, urgent = ((self.thresholds.top, self.thresholds.urgent) if named
                       else (self.thresholds.unnamed, self.thresholds.unnamed))
        if probabilities["特急"] >= top:
            return "特急"
        if probabilities["特急"] + probabilities["紧急"] >= urgent:
            return "紧急"
        return "一般"

    def read(self, text: str) -> Optional[UrgencyReading]:
        """The model's grade of ``text``, or None when it knows nothing the text says. A report
        naming a hazard (settings/hazards.yml, kind hazard) is graded by the thresholds; one naming
        none only when it is short and the model is sure (「铁路道口的杆子也不落了」 says a danger in
        words no list holds; a long letter naming nothing is routine mail), and its reason then
        names the words that weighed most."""
        classifier = self.classifier_for(text)
        features: HazardFeatures = classifier.features
        if not features.recognises(text):
            return None
        named = bool(features.lexicon.hazards.intersection(features.lexicon.found(normalize_text(text))))
        if not named and (len(text) > self.thresholds.unnamed_length
                          or content_chars(text) < self.thresholds.unnamed_min_content):
            # nothing the model says could raise it or send it to a person: not asked (scoring a
            # letter costs milliseconds for nothing)
            return UrgencyReading("一般", {})
        known = classifier.predict_proba([text])[0]
        probabilities = {label: float(known[i]) for label, i in self._column.items()}
        level = self.grade(probabilities, named=named)
        doubt = (probabilities["特急"] if level != "特急" and probabilities["特急"] >= self.thresholds.review_top
                 else None)
        if level == "一般" and (doubt is None or named):
            return UrgencyReading(level, probabilities, doubt=doubt)
        weighed = level if level != "一般" else "特急"  # what raised it, or what the doubt is of
        pushing = self._pushing(classifier, text, weighed)
        words = [] if pushing else self._weighing_words(classifier, text, weighed)
        if not named and words and all(self._says_who(features.lexicon, word) for word in words):
            # 「有小孩在旁边玩」 read 特急 0.72 on 「小孩」 alone: who is there says nothing of a danger (nor of a
            # doubt) until a hazard is named, as the features give exposure no column of its own
            return UrgencyReading("一般", probabilities)
        if level == "一般":
            return UrgencyReading(level, probabilities, doubt=doubt)
        return UrgencyReading(level, probabilities, pushing or [f"「{word}」" for word in words], doubt)

    @staticmethod
    def _says_who(lexicon: HazardLexicon, word: str) -> bool:
        """Whether ``word`` names who is exposed (a word of an exposure concept: 「小孩」「老人」「行人」), read by
        the lexicon as it reads the report (its exceptions and negations included)."""
        return bool(lexicon.exposures.intersection(lexicon.found(word)))

    def _pushing(self, classifier: UrgencyClassifier, text: str, level: str, most: int = 3) -> List[str]:
        """Labels of the concepts whose columns add most to ``level``'s score, strongest first."""
        features: HazardFeatures = classifier.features
        weights = classifier.weight[:, self._column[level]]
        scored: Dict[str, float] = {}
        for column in features.concept_columns(text):
            gain = float(weights[features.text.size + column])
            for name in features.column_concepts(column):
                scored[name] = scored.get(name, 0.0) + gain
        ranked = [name for name, gain in sorted(scored.items(), key=lambda kv: -kv[1]) if gain > 0]
        return [features.lexicon.labels[name] for name in ranked[:most]]

    def _weighing_words(self, classifier: UrgencyClassifier, text: str, level: str, most: int = 3) -> List[str]:
        """The content words of ``text`` (nouns, verbs, adjectives and set phrases of two characters
        or more, by jieba's part-of-speech tagger; never a negation) adding most to ``level``'s score:
        what an operator checks (quoted in the reason) when no hazard concept was named."""
        features: HazardFeatures = classifier.features
        row = features.text.transform([text])
        weights = classifier.weight[:, self._column[level]]
        content = {word for word, tag in tagged(normalize_text(text))
                   if len(word) > 1 and tag[:1] in CONTENT_TAGS and word not in features.lexicon.negation.negations}
        gains: Dict[str, float] = {}
        for column, value in zip(row.indices, row.data):
            view, term = features.text.term(int(column))
            if view == "words" and term in content:
                gains[term] = float(value * weights[column])
        ranked = [term for term, gain in sorted(gains.items(), key=lambda kv: -kv[1]) if gain > 0]
        return ranked[:most]

    def save(self, directory: Path, extra_meta: Optional[Dict[str, object]] = None) -> None:
        self.classifier.save(directory, extra_meta)
        if self.letters is not None:
            self.letters.save(directory / LETTERS_DIR)

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> "UrgencyModel":
        letters = directory / LETTERS_DIR
        return cls(UrgencyClassifier.load(directory),
                   letters=LetterUrgencyClassifier.load(letters) if letters.exists() else None)


def read_reports(paths: Sequence[Path]) -> List[Tuple[str, str, str]]:
    """(text, grade, file name) of every [style, text, grade] item — or [style, text, grade, reason]: a
    kept-aside set that joined the training reports keeps the reason it expected; precise errors for bad items."""
    reports: List[Tuple[str, str, str]] = []
    for path in paths:
        items = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("items") or []
        for i, item in enumerate(items):
            if (not isinstance(item, list) or len(item) not in (3, 4) or item[2] not in GRADES
                    or not str(item[1]).strip()):
                raise ValueError(f"{path}: item {i} must be [style, text, 特急|紧急|一般] (a fourth, the reason a "
                                 f"kept-aside set expected, may follow): {item}")
            reports.append((str(item[1]), item[2], path.name))
    return reports


def training_reports(directory: Path = DATA_DIR) -> List[Tuple[str, str]]:
    """(text, grade) of every report in training_data/urgency/*.yml."""
    reports = [(text, grade) for text, grade, _ in read_reports(sorted(directory.glob("*.yml")))]
    if not reports:
        raise ValueError(f"{directory}: no urgency training reports")
    return reports


def train_urgency_model(directory: Path = MODEL_DIR) -> Dict[str, object]:
    """Train on training_data/urgency and replace the model in ``directory`` (written beside, then
    renamed, so a process loading it never reads half a model)."""
    started = time.perf_counter()
    reports = training_reports()
    model = UrgencyModel.train([t for t, _ in reports], [g for _, g in reports])
    staging, old = directory.with_name(directory.name + ".new"), directory.with_name(directory.name + ".old")
    shutil.rmtree(staging, ignore_errors=True)
    model.save(staging, {"fingerprint": urgency_data_fingerprint(), "examples": len(reports)})
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    staging.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    return {"examples": len(reports), "seconds": time.perf_counter() - started}


_loaded: Dict[str, object] = {"stamp": None, "model": None}


def shared_model() -> Optional[UrgencyModel]:
    """The trained model, loaded once per process and again when `intake train` replaced it (its
    meta.json changed); None before any was trained, or when the one on disk no longer fits the
    settings (logged once: the trigger rules still grade every message)."""
    try:
        stamp = (MODEL_DIR / "meta.json").stat().st_mtime_ns
    except FileNotFoundError:
        return None
    if stamp != _loaded["stamp"]:
        _loaded["stamp"] = stamp
        try:
            _loaded["model"] = UrgencyModel.load(MODEL_DIR)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            logger.error("the urgency model in %s cannot be used (%s); grading by the trigger rules until "
                         "`intake train`", MODEL_DIR, exc)
            _loaded["model"] = None
    return _loaded["model"]

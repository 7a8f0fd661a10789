"""What the problem-type model reads: the words (classifiers/features.py), the mean of their word vectors
distilled from a sentence encoder (classifiers/word_vectors.py, no encoder per message) and, when
settings/problem_type.yml names one, a sentence encoder's vector of the text's opening.

The opening of a message or letter says what it is about (a letter's title, a resident's first
sentence); an encoder trained on many languages' sentences reads that meaning where the words differ
from every training example. It is a deployment's choice because it costs CPU on every message
(classifiers/sentence_encoder.py). A model keeps the encoder it was trained with (encoder.json
beside its weights), whatever the settings say later.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from classifiers.features import TextFeatures
from classifiers.linear_model import LinearConfig, LinearTextClassifier
from classifiers.sentence_encoder import EncoderSpec, append_vectors, load_spec, save_spec
from classifiers.word_vectors import WordVectors, WordVectorSpec
from common.paths import SETTINGS_DIR
from nlu.location import place_as_kind
from nlu.numerals import digits_in_address
from nlu.normalize import normalize_text

SETTINGS = SETTINGS_DIR / "problem_type.yml"


#: a letter's opening says what it is about: the model reads at most this many characters, which spares the
#: longest letters (a fifth of train.csv's run past it) milliseconds of n-grams and words and changed nothing
#: measurable (5-fold cross-validation on train.csv's non-held-out rows, two shuffles pooled: macro-F1 0.820
#: reading the whole letter, 0.818 its first 1000 characters, 0.820 its first 600)
READS_CHARS = 600


def read_as(text: str) -> str:
    """What the model reads of a text: its opening, its estate said as 「小区」 (nlu/location.place_as_kind),
    building, unit and room numbers said in words read as digits first (「锦绣家园十二栋一单元一零二楼上漏水」 kept
    「十二栋一单元一零二」 and went to 冬季采暖; said in digits it goes to 物业服务)."""
    return place_as_kind(digits_in_address(text[:READS_CHARS]))


def _model_settings() -> dict:
    data = yaml.safe_load(SETTINGS.read_text(encoding="utf-8")) if SETTINGS.exists() else None
    return (data or {}).get("model") or {}


def configured_encoder() -> Optional[EncoderSpec]:
    """The encoder settings/problem_type.yml model.encoder names (None for none)."""
    return EncoderSpec.from_settings(_model_settings(), "settings/problem_type.yml model", chars=40, longest=None)


def configured_word_vectors() -> Optional[WordVectorSpec]:
    """The word vectors settings/problem_type.yml model.word_vectors names (None for none)."""
    return WordVectorSpec.from_settings(_model_settings(), "settings/problem_type.yml model")


def configured_training() -> LinearConfig:
    """How settings/problem_type.yml says the model is trained (model.log_count_ratio)."""
    flag = _model_settings().get("log_count_ratio", False)
    if not isinstance(flag, bool):
        raise ValueError(f"settings/problem_type.yml model.log_count_ratio: true or false, not {flag!r}")
    return LinearConfig(log_count_ratio=flag)


class ProblemFeatures(TextFeatures):
    """TF-IDF words and characters of the text's opening with its estate's name and building number left
    out (read_as: 「锦绣家园3栋」 → 「小区」), then its distilled word vectors' mean (when the model has them),
    then the encoder's vector (when there is one) in the last columns."""

    prepared = staticmethod(read_as)

    def __init__(self, views: Dict[str, TfidfVectorizer], encoder: Optional[EncoderSpec] = None,
                 word_vectors: Optional[WordVectors] = None) -> None:
        super().__init__(views)
        self.encoder = encoder
        self.word_vectors = word_vectors

    @classmethod
    def fit(cls, texts: Sequence[str]) -> "ProblemFeatures":
        features = super().fit(texts)
        features.encoder = cls.encoder_to_fit()
        spec = cls.word_vectors_to_fit()
        features.word_vectors = WordVectors.fit(spec, [cls.prepared(t) for t in texts]) if spec else None
        return features

    @staticmethod
    def encoder_to_fit() -> Optional[EncoderSpec]:
        return configured_encoder()

    @staticmethod
    def word_vectors_to_fit() -> Optional[WordVectorSpec]:
        return configured_word_vectors()

    @property
    def _words_size(self) -> int:
        return self.word_vectors.dim if self.word_vectors else 0

    @property
    def size(self) -> int:
        return super().size + self._words_size + (self.encoder.dim if self.encoder else 0)

    def rows(self, texts: Sequence[str]) -> List[Tuple[List[np.ndarray], List[np.ndarray]]]:
        prepared = [self.prepared(text) for text in texts]
        rows = [self._row(text) for text in prepared]
        if self.word_vectors:
            columns = self.term_columns + np.arange(self.word_vectors.dim, dtype=np.int64)
            weight = self.word_vectors.spec.weight
            for (row_columns, values), text in zip(rows, prepared):
                row_columns.append(columns)
                values.append(self.word_vectors.vector(text) * weight)
        if self.encoder:
            append_vectors(rows, [normalize_text(text) for text in texts], self.encoder,
                           self.term_columns + self._words_size)
        return rows

    def save(self, path: Path) -> None:
        super().save(path)
        save_spec(path.with_name("encoder.json"), self.encoder)
        vectors = path.with_name("word_vectors.npz")
        if self.word_vectors:
            self.word_vectors.save(vectors)
        elif vectors.exists():
            vectors.unlink()

    @classmethod
    def load(cls, path: Path) -> "ProblemFeatures":
        features = super().load(path)
        features.encoder = load_spec(path.with_name("encoder.json"))
        features.word_vectors = WordVectors.load(path.with_name("word_vectors.npz"))
        return features


class ProblemTypeModel(LinearTextClassifier):
    """The problem-type model: the linear model over ProblemFeatures."""

    features_type = ProblemFeatures
    default_config = staticmethod(configured_training)

    @classmethod
    def with_encoder(cls, spec: Optional[EncoderSpec], word_vectors: Optional[WordVectorSpec] = None) -> type:
        """This model with ``spec`` as its encoder and ``word_vectors`` as its word vectors whatever the settings
        say (benchmarks compare them)."""
        features = type("FixedEncoderFeatures", (ProblemFeatures,), {"encoder_to_fit": staticmethod(lambda: spec),
                                                                     "word_vectors_to_fit": staticmethod(lambda: word_vectors)})
        return type("FixedEncoderProblemTypeModel", (cls,), {"features_type": features})

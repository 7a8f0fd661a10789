"""What the problem-type model reads: the words (classifiers/features.py) and, when
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


def configured_training() -> LinearConfig:
    """How settings/problem_type.yml says the model is trained (model.log_count_ratio)."""
    flag = _model_settings().get("log_count_ratio", False)
    if not isinstance(flag, bool):
        raise ValueError(f"settings/problem_type.yml model.log_count_ratio: true or false, not {flag!r}")
    return LinearConfig(log_count_ratio=flag)


class ProblemFeatures(TextFeatures):
    """TF-IDF words and characters of the text's opening with its estate's name and building number left
    out (read_as: 「锦绣家园3栋」 → 「小区」), then the encoder's vector (when there is one) in the last
    columns."""

    prepared = staticmethod(read_as)

    def __init__(self, views: Dict[str, TfidfVectorizer], encoder: Optional[EncoderSpec] = None) -> None:
        super().__init__(views)
        self.encoder = encoder

    @classmethod
    def fit(cls, texts: Sequence[str]) -> "ProblemFeatures":
        features = super().fit(texts)
        features.encoder = cls.encoder_to_fit()
        return features

    @staticmethod
    def encoder_to_fit() -> Optional[EncoderSpec]:
        return configured_encoder()

    @property
    def size(self) -> int:
        return super().size + (self.encoder.dim if self.encoder else 0)

    def rows(self, texts: Sequence[str]) -> List[Tuple[List[np.ndarray], List[np.ndarray]]]:
        rows = super().rows(texts)
        if self.encoder:
            append_vectors(rows, [normalize_text(text) for text in texts], self.encoder, super().size)
        return rows

    def save(self, path: Path) -> None:
        super().save(path)
        save_spec(path.with_name("encoder.json"), self.encoder)

    @classmethod
    def load(cls, path: Path) -> "ProblemFeatures":
        features = super().load(path)
        features.encoder = load_spec(path.with_name("encoder.json"))
        return features


class ProblemTypeModel(LinearTextClassifier):
    """The problem-type model: the linear model over ProblemFeatures."""

    features_type = ProblemFeatures
    default_config = staticmethod(configured_training)

    @classmethod
    def with_encoder(cls, spec: Optional[EncoderSpec]) -> type:
        """This model with ``spec`` as its encoder whatever the settings say (benchmarks compare both)."""
        features = type("FixedEncoderFeatures", (ProblemFeatures,), {"encoder_to_fit": staticmethod(lambda: spec)})
        return type("FixedEncoderProblemTypeModel", (cls,), {"features_type": features})

"""The baseline every classifier change is measured against: TF-IDF over character 1–3-grams
and jieba words, with a linear SVM (scikit-learn)."""
from __future__ import annotations

from typing import List, Sequence

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from classifiers.features import jieba_words
from nlu.normalize import normalize_text


class TfidfSvmBaseline:
    def __init__(self) -> None:
        self.chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1)
        self.words = TfidfVectorizer(analyzer=jieba_words, sublinear_tf=True, min_df=1)
        self.svm = LinearSVC(C=1.0)

    def _features(self, texts: Sequence[str], fit: bool = False):
        texts = [normalize_text(t) for t in texts]
        if fit:
            return hstack([self.chars.fit_transform(texts), self.words.fit_transform(texts)]).tocsr()
        return hstack([self.chars.transform(texts), self.words.transform(texts)]).tocsr()

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str]) -> "TfidfSvmBaseline":
        model = cls()
        model.svm.fit(model._features(texts, fit=True), list(labels))
        return model

    def predict(self, texts: Sequence[str]) -> List[str]:
        return list(self.svm.predict(self._features(texts)))

"""Message analysis: normalised text → one entry per problem with category, urgency and place.

Serves POST /api/analyze and `intake analyze`; the Rasa components call the same building
blocks, so a message is understood the same way in chat and through the API.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, Iterator, Optional

from classifiers.problem_type import CategoryPrediction, ProblemTypeClassifier, default_classifier
from classifiers.taxonomy import Category
from nlu.address import Address
from nlu.location import extract_location
from nlu.normalize import has_meaningful_text, normalize_text
from nlu.split import split_problems
from nlu.urgency import assess_urgency

CHANNELS = ("web", "wechat", "voice")


class AnalysisError(ValueError):
    """The input cannot be analysed; ``message`` is shown to the caller as is."""


@dataclass
class Analyzer:
    classifier: ProblemTypeClassifier

    @classmethod
    def default(cls) -> "Analyzer":
        return cls(default_classifier())

    def _label(self, text: str):
        return self.classifier.model.predict(text, top_k=1)[0]

    def analyze(self, text: str, channel: str = "web") -> Dict[str, object]:
        if not isinstance(text, str):
            raise AnalysisError("'text' must be a string")
        if channel not in CHANNELS:
            raise AnalysisError(f"'channel' must be one of {', '.join(CHANNELS)}")
        normalized = normalize_text(text)
        if not has_meaningful_text(normalized):
            raise AnalysisError("the text contains no words to analyse (empty, spaces or emoji only)")
        problems = split_problems(normalized, self._label)
        message_place = extract_location(normalized)
        issues = [self.issue(p, message_place.address if message_place else None) for p in problems]
        return {"normalized_text": normalized, "channel": channel, "issues": issues}

    def issue(self, text: str, message_address: Optional[Address] = None,
              category: Optional[Category] = None) -> Dict[str, object]:
        """Analyse one problem; ``category`` skips classification when the caller already knows it."""
        prediction = (CategoryPrediction(category, 1.0) if category else self.classifier.classify(text))
        urgency = assess_urgency(text, prediction.category.default_urgency)
        match = extract_location(text)
        address = match.address if match else (message_address or Address())
        return {"description": text, "category": prediction.to_dict(),
                "urgency": urgency.to_dict(), "location": address.to_dict()}


def analyze_lines(lines: Iterable[str], analyzer: Analyzer, channel: str = "web") -> Iterator[Dict[str, object]]:
    """Analyse each line; a line that cannot be analysed yields {"line": n, "error": ...}."""
    for number, line in enumerate(lines, start=1):
        try:
            yield {"line": number, **analyzer.analyze(line.rstrip("\n"), channel)}
        except AnalysisError as exc:
            yield {"line": number, "error": str(exc)}

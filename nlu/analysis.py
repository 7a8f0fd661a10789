"""Message analysis: normalised text → one entry per problem with category, urgency and place.

Serves POST /api/analyze and `intake analyze`; the Rasa components call the same building
blocks, so a message is understood the same way in chat and through the API.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

from classifiers.problem_type import CategoryPrediction, ProblemTypeClassifier, default_classifier
from classifiers.taxonomy import Category
from dispatch.location import FINE_PARTS, only_fine_parts
from nlu.locate import Located
from nlu.locate import locate
from nlu.normalize import has_meaningful_text, normalize_text
from nlu.part_place import estate_place, within
from nlu.split import split_problems
from nlu.urgency import assess_urgency, category_floor
from nlu.words import load_tagger

CHANNELS = ("web", "wechat", "voice")
#: the parts of an address that tell two places apart when a message is split (two buildings of
#: one estate are one place here: 「3栋…，还有5栋也…」 is one problem in two buildings)
PLACE_KEY = ("street", "community", "estate", "road", "house_number", "poi")


class AnalysisError(ValueError):
    """The input cannot be analysed; ``message`` is shown to the caller as is."""


@dataclass
class Analyzer:
    classifier: ProblemTypeClassifier

    @classmethod
    def default(cls) -> "Analyzer":
        load_tagger()  # not on the first message that needs part-of-speech tags
        return cls(default_classifier())

    def label(self, text: str):
        """(category label, probability) of one clause, as split_problems needs it."""
        return self.classifier.ranked(text, top_k=1)[0]

    def place_of(self, text: str) -> Optional[Tuple[str, ...]]:
        """The place a clause names, as split_problems compares them (None when it names none
        that a ticket could be filed at)."""
        located = locate(text)
        if not located.address.is_dispatchable():
            return None  # 「该路」「那边」: not a place to file a ticket at
        key = tuple(getattr(located.address, part) or "" for part in PLACE_KEY)
        return key if any(key) else None

    def split(self, normalized: str) -> List[str]:
        """The text of each problem in a normalised message."""
        return split_problems(normalized, self.label, self.place_of)

    def analyze(self, text: str, channel: str = "web") -> Dict[str, object]:
        if not isinstance(text, str):
            raise AnalysisError("'text' must be a string")
        if channel not in CHANNELS:
            raise AnalysisError(f"'channel' must be one of {', '.join(CHANNELS)}")
        normalized = normalize_text(text)
        if not has_meaningful_text(normalized):
            raise AnalysisError("the text contains no words to analyse (empty, spaces or emoji only)")
        issues = self.issues(normalized, self.split(normalized))
        return {"normalized_text": normalized, "channel": channel, "issues": issues}

    def issues(self, normalized: str, problems: List[str]) -> List[Dict[str, object]]:
        """Analyse each problem of a normalised message; a part that names no place of its own is
        placed where the message as a whole is."""
        message_place = locate(normalized)
        fallback = message_place if message_place.found else None
        # a message with one problem is that problem (its text may differ in spaces the split
        # dropped): its place is already known
        single = len(problems) == 1
        return [self.issue(p, fallback, place=message_place if single or p == normalized else None) for p in problems]

    def issue(self, text: str, message_place: Optional[Located] = None,
              category: Optional[Category] = None, place: Optional[Located] = None) -> Dict[str, object]:
        """Analyse one problem. ``message_place`` is used when this part of the message names no
        place; ``place`` (an address field, a pin) wins over the text; ``category`` skips
        classification when the caller already knows it."""
        prediction = (CategoryPrediction(category, 1.0) if category else self.classifier.classify(text))
        urgency = assess_urgency(text, category_floor(prediction.to_dict()))
        located = place or locate(text)
        if message_place is not None and not (place is not None and place.found):
            located = _in_message_place(text, located, message_place)
        return {"description": text, "category": prediction.to_dict(), "urgency": urgency.to_dict(),
                "location": located.address.to_dict(),
                "placement": {**located.placement.to_dict(), "doubts": located.doubts}}


def _in_message_place(text: str, own: Located, message: Located) -> Located:
    """Where a part of a message is (nlu/part_place.py): its own place; a building said alone in the
    message's place; the message's estate for its gate or grounds; else the message's place."""
    whole = message.address
    if own.found and only_fine_parts(own.address) and not only_fine_parts(whole) and whole.text:
        return replace(message, address=within(own.address, whole))
    if own.found:
        return own
    estate = estate_place(text, whole)
    return replace(message, address=estate) if estate is not None else message


def analyze_lines(lines: Iterable[str], analyzer: Analyzer, channel: str = "web") -> Iterator[Dict[str, object]]:
    """Analyse each line; a line that cannot be analysed yields {"line": n, "error": ...}."""
    for number, line in enumerate(lines, start=1):
        try:
            yield {"line": number, **analyzer.analyze(line.rstrip("\n"), channel)}
        except AnalysisError as exc:
            yield {"line": number, "error": str(exc)}

"""Rasa component: a message that reports several problems gets `problems` in its parse result,
one entry per problem (text, category, urgency, place), as /api/analyze splits it.

「楼道灯坏了，另外小区门口的垃圾好几天没人清运」 is two tickets for two departments; the intake
form files one each after a single confirmation. Messages with one problem get nothing here.
"""
from __future__ import annotations

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from classifiers.rasa_component import ClassifyingAnnotator
from nlu.analysis import Analyzer


def compact(issue: Dict[str, Any]) -> Dict[str, Any]:
    """What the conversation keeps of an analysed problem (no alternatives: trackers stay small)."""
    category = {k: v for k, v in issue["category"].items() if k != "alternatives"}
    return {"description": issue["description"], "problem_type": category, "urgency": issue["urgency"],
            "address": issue["location"], "placement": issue["placement"]}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ProblemSplitter(ClassifyingAnnotator):
    def annotate(self, message: Message) -> None:
        # the message text is already normalised (TextNormalizer); most messages are one problem,
        # and only those with several are analysed part by part
        text = message.get(TEXT)
        analyzer = Analyzer(self.classifier)
        parts = analyzer.split(text)
        if len(parts) > 1:
            message.set("problems", [compact(issue) for issue in analyzer.issues(text, parts)], add_to_output=True)

"""Rasa component: the problem-type prediction (`problem_type`) in the parse result.

The linear model is trained by `intake train` from training_data/problems and loaded from
models/problem_type; the same model serves /api/analyze, so both always agree.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from classifiers.problem_type import MODEL_DIR, ProblemTypeClassifier, shared_classifier
from nlu.components import MessageAnnotator


class ClassifyingAnnotator(MessageAnnotator):
    """An annotator that reads the problem-type model (one copy per process, shared)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"model_dir": str(MODEL_DIR)}

    @property
    def classifier(self) -> ProblemTypeClassifier:
        # Loaded by warm_up when the server loads the model; Rasa also builds these components
        # for the training graph, where the model may not exist yet and is not needed.
        return shared_classifier(str(Path(self.config["model_dir"])))

    def warm_up(self) -> None:
        self.classifier.classify("路灯坏了")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ProblemTypeComponent(ClassifyingAnnotator):

    def annotate(self, message: Message) -> None:
        prediction = self.classifier.classify(message.get(TEXT))
        message.set("problem_type", prediction.to_dict(), add_to_output=True)

"""Rasa component: the problem-type prediction (`problem_type`) in the parse result.

The torch model is trained by `intake train` from training_data/problems and loaded from
models/problem_type; the same model serves /api/analyze, so both always agree.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from classifiers.problem_type import MODEL_DIR, ProblemTypeClassifier
from nlu.components import MessageAnnotator


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ProblemTypeComponent(MessageAnnotator):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"model_dir": str(MODEL_DIR)}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self._classifier: Optional[ProblemTypeClassifier] = None

    @property
    def classifier(self) -> ProblemTypeClassifier:
        # Loaded by warm_up when the server loads the model; Rasa also builds this component for
        # the training graph, where the model may not exist yet and is not needed.
        if self._classifier is None:
            self._classifier = ProblemTypeClassifier.load(Path(self.config["model_dir"]))
        return self._classifier

    def warm_up(self) -> None:
        self.classifier.classify("路灯坏了")

    def annotate(self, message: Message) -> None:
        prediction = self.classifier.classify(message.get(TEXT))
        message.set("problem_type", prediction.to_dict(), add_to_output=True)

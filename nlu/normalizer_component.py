"""Rasa component: puts every message (training and live) into the canonical text form, with a building,
unit or room its speaker repaired mid-report read in (nlu/correction.repair_in_report)."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components import MessageAnnotator
from nlu.correction import repair_in_report
from nlu.normalize import normalize_text


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class TextNormalizer(MessageAnnotator):
    def annotate(self, message: Message) -> None:
        message.set(TEXT, repair_in_report(normalize_text(message.get(TEXT))))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if example.get(TEXT):
                self.annotate(example)
        return training_data

"""Rasa component: the urgency grade and its reasons in the parse result (`urgency`)."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import MessageAnnotator
from nlu.urgency import assess_urgency


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class UrgencyDetector(MessageAnnotator):
    def warm_up(self) -> None:
        assess_urgency("起火了")

    def annotate(self, message: Message) -> None:
        message.set("urgency", assess_urgency(message.get(TEXT)).to_dict(), add_to_output=True)

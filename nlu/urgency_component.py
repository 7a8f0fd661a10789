"""Rasa component: the urgency grade and its reasons in the parse result (`urgency`): the trigger
rules and the urgency model (nlu/urgency.py), both loaded when the server starts."""
from __future__ import annotations

import logging

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from classifiers.urgency_model import shared_model
from nlu.components import MessageAnnotator
from nlu.urgency import assess_urgency

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class UrgencyDetector(MessageAnnotator):
    def warm_up(self) -> None:
        if shared_model() is None:
            logger.warning("no urgency model in models/urgency: grading by the trigger rules alone until `intake train`")
        assess_urgency("一棵树倒在马路中间")

    def annotate(self, message: Message) -> None:
        message.set("urgency", assess_urgency(message.get(TEXT)).to_dict(), add_to_output=True)

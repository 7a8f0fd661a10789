"""Rasa component: the `location` entity plus the structured `address` in the parse result."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import MessageAnnotator
from nlu.location import extract_location


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LocationExtractor(MessageAnnotator):
    def annotate(self, message: Message) -> None:
        match = extract_location(message.get(TEXT))
        if match is None:
            return
        entity = {"entity": "location", "start": match.start, "end": match.end,
                  "value": match.address.text, "confidence_entity": 1.0,
                  "extractor": self.__class__.__name__}
        message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        message.set("address", match.address.to_dict(), add_to_output=True)

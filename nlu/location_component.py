"""Rasa component: the `location` entity, the structured `address` and its `placement` in the
deployment's gazetteer (with the candidates to choose from) in the parse result.

A location pin (WeChat location message, or the web page's "send my position") arrives as message
metadata `{"location": {"lat", "lng", "label"}}` and is placed at the nearest gazetteer unit.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import MessageAnnotator
from nlu.gazetteer import default_gazetteer
from nlu.locate import locate
from nlu.placement import place_pin
from nlu.words import load_tagger


def pin_of(metadata: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    pin = (metadata or {}).get("location") if isinstance(metadata, dict) else None
    if isinstance(pin, dict) and isinstance(pin.get("lat"), (int, float)) and isinstance(pin.get("lng"), (int, float)):
        return pin
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LocationExtractor(MessageAnnotator):
    def warm_up(self) -> None:
        locate("盐田区海山街道")  # the gazetteer and its pinyin index
        load_tagger()  # jieba's dictionary, for the tags that tell where an estate's name starts

    def annotate(self, message: Message) -> None:
        text = message.get(TEXT)
        pin = pin_of(message.get("metadata"))
        if pin:
            address, placement = place_pin(float(pin["lat"]), float(pin["lng"]), str(pin.get("label") or ""),
                                           default_gazetteer())
            start, end, doubts = 0, len(text), []
        else:
            located = locate(text)
            if not located.found and not located.doubts:
                return
            address, placement = located.address, located.placement
            start, end, doubts = located.start, located.end, located.doubts
        entity = {"entity": "location", "start": start, "end": end,
                  "value": address.text or address.display(), "confidence_entity": 1.0,
                  "extractor": self.__class__.__name__}
        message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        message.set("address", address.to_dict(), add_to_output=True)
        message.set("placement", {**placement.to_dict(), "doubts": doubts}, add_to_output=True)

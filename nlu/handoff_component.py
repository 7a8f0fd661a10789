"""Rasa component: a distressed or abusive message, or a complaint about the hotline itself, is a request
for a person.

Sets `distress` ({"kind": "distressed"|"abusive"|"about_service"}) and the intent `request_handoff`, whatever the
intent model said, so that the handoff rule answers it; runs before FallbackClassifier.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import MessageAnnotator, settle_intent
from nlu.conversation_settings import conversation_settings
from nlu.distress import handoff_kind

HANDOFF_INTENT = "request_handoff"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DistressDetector(MessageAnnotator):
    def warm_up(self) -> None:
        conversation_settings()

    def annotate(self, message: Message) -> None:
        kind = handoff_kind(message.get(TEXT))
        if kind is None:
            return
        message.set("distress", {"kind": kind}, add_to_output=True)
        settle_intent(message, HANDOFF_INTENT)

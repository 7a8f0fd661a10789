"""Rasa component: a message written in another language (three or more Latin words, more letters than Chinese
characters: nlu/normalize.mostly_latin) is not understood, whatever the intent model made of it — 「hello the street
light is broken near my home」 read as a greeting and was welcomed in Chinese. The fallback answers it in both
languages that reports are taken in Chinese (actions/fallback.py); twice in a row, a person takes over.
Runs before FallbackClassifier, after the rules that settle an intent from our own readings."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import MessageAnnotator, settle_intent
from nlu.normalize import mostly_latin

FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class OtherLanguage(MessageAnnotator):
    def annotate(self, message: Message) -> None:
        if mostly_latin(message.get(TEXT) or ""):
            settle_intent(message, FALLBACK_INTENT)

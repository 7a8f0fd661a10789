"""Rasa component: a report that goes on from the message before (「不过旁边已经有人放了锥桶围起来了」,
nlu/continuation.py) is a detail — intent `inform` — not a new report; so is a message that is only a phone
number (「我的电话是13812345678」, read as a report at 0.58: after filing it began a new intake instead of
reaching the ticket's contact). Only a message the intent model read as a report is changed; runs after
CorrectionReader (a correction stays one)."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import MessageAnnotator, settle_intent
from nlu.contact import only_a_phone
from nlu.continuation import continues

DETAIL_INTENT = "inform"
REPORT_INTENT = "report_problem"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ContinuationReader(MessageAnnotator):
    def annotate(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == REPORT_INTENT and (continues(text) or only_a_phone(text)):
            settle_intent(message, DETAIL_INTENT)

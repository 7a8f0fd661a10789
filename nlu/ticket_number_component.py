"""Rasa component: a message that is only a ticket's number asks for that ticket's status.

「20261201000001」 sent after 「请提供工单号」 came out of the intent model as nlu_fallback and was
answered 「抱歉，我没有完全理解」. Sets the intent `query_status` (the status action reads the number
and answers only for the resident's own tickets); runs before FallbackClassifier.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import MessageAnnotator, settle_intent
from nlu.ticket_number import only_a_ticket_number

STATUS_INTENT = "query_status"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TicketNumberReader(MessageAnnotator):
    def annotate(self, message: Message) -> None:
        if only_a_ticket_number(message.get(TEXT) or "") is None:
            return
        settle_intent(message, STATUS_INTENT)

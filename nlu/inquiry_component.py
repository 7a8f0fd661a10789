"""Rasa component: a consultation read as a status question is a consultation.

「我想问一下养老金什么时候能到账」 was read as asking after the resident's tickets and answered 「没有找到您在
本渠道登记的工单」. A question about a policy or a procedure (nlu/inquiry.py) that names no ticket and no
earlier report of theirs (nlu/inquiry.about_own_matter) is a consultation: intent `report_problem`, filed to the
department its category names with no place asked (actions/intake_form). Runs after PressingReport and
before TicketNumberReader.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from nlu.components import MessageAnnotator, settle_intent, status_question_text
from nlu.inquiry import about_own_matter, is_inquiry

REPORT_INTENT = "report_problem"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InquiryNotStatus(MessageAnnotator):
    def annotate(self, message: Message) -> None:
        text = status_question_text(message)
        if text is not None and is_inquiry(text) and not about_own_matter(text):
            settle_intent(message, REPORT_INTENT)

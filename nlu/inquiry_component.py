"""Rasa component: a consultation read as a status question, or as asking how to report, is a consultation.

「我想问一下养老金什么时候能到账」 was read as asking after the resident's tickets and answered 「没有找到您在
本渠道登记的工单」. A question about a policy or a procedure (nlu/inquiry.py) that names no ticket and no
earlier report of theirs (nlu/inquiry.about_own_matter) is a consultation: intent `report_problem`, filed to the
department its category names with no place asked (actions/intake_form). Runs after PressingReport and
before TicketNumberReader.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import MessageAnnotator, settle_intent, status_question_text
from nlu.inquiry import about_own_matter, is_inquiry

REPORT_INTENT = "report_problem"


#: what a question about reporting itself names (「反映问题需要准备什么材料」 asks how to report, as the model reads it)
_ABOUT_REPORTING = ("反映", "登记", "报修", "诉求", "工单", "平台", "你们")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InquiryNotStatus(MessageAnnotator):
    def annotate(self, message: Message) -> None:
        text = status_question_text(message)
        consulting = text is not None and is_inquiry(text) and not about_own_matter(text)
        if consulting or self._policy_not_reporting(message):
            settle_intent(message, REPORT_INTENT)

    @staticmethod
    def _policy_not_reporting(message: Message) -> bool:
        """「孩子上小学要准备什么材料」 read as asking how to report (its words are those of 「投诉需要准备什么材料」): a
        question about a policy that names nothing of reporting is a consultation, on the chat and the hotline
        (where it was no report at all)."""
        text = message.get(TEXT) or ""
        return ((message.get(INTENT) or {}).get(INTENT_NAME_KEY) == "ask_how_to_report" and is_inquiry(text)
                and not any(word in text for word in _ABOUT_REPORTING))

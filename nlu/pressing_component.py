"""Rasa component: a status question that presses on a matter (nlu/pressing.py) and tells the problem
and a place a ticket can be filed at is a report (intent `report_problem`); without a problem the model
is sure of or without such a place it stays a status question. Runs after ReportInGreeting and before
TicketNumberReader (a ticket's number asks for that ticket)."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from dispatch.location import Address
from nlu.components import MessageAnnotator, settle_intent, status_question_text
from nlu.pressing import presses

REPORT_INTENT = "report_problem"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PressingReport(MessageAnnotator):
    def annotate(self, message: Message) -> None:
        text = status_question_text(message)
        if text is None or not presses(text):
            return
        problem = message.get("problem_type") or {}
        if problem.get("needs_review", True) or not problem.get("level3"):
            return
        if Address.from_dict(message.get("address")).is_dispatchable():
            settle_intent(message, REPORT_INTENT)

"""Answers a question about the service itself (intent ask_how_to_report): a question settings/conversation.yml
`service_answers` has an answer for (anonymity, whether someone comes) gets it — 「能不能匿名反映？」 was told how to
describe a problem —; any other, the general explanation (utter_how_to_report). Asked while a report is being
told, the form goes on after it (bot/data/rules.yml); a wish for the reporter's name kept back is noted on the
report's ticket (slot reporter_note)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.parse_data import latest_text
from nlu.conversation_settings import conversation_settings


class ActionHowToReport(Action):
    def name(self) -> Text:
        return "action_how_to_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        service = conversation_settings().service_answer(latest_text(tracker))
        if not service:
            dispatcher.utter_message(response="utter_how_to_report")
            return []
        dispatcher.utter_message(text=service.answer)
        # 「能不能匿名反映？」 before or while reporting: the report's ticket carries the wish
        return [SlotSet("reporter_note", service.note)] if service.note else []

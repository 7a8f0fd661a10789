"""A new conversation session (the resident came back after `session_expires_after_minutes`):
a report that was told but not filed is kept, and the resident is asked whether to go on —
with the summary when it only waited for a confirmation, or for what is still missing."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.intake_draft import INTAKE_SLOTS, short

#: carried over so that a later correction is answered about the tickets just filed
KEPT_AFTER_FILING = ("ticket_id", "stage")


def carried(tracker: Tracker) -> Dict[str, Any]:
    """The slots of a half-told report, or of the tickets just filed."""
    stage = tracker.get_slot("stage")
    told = {name: tracker.get_slot(name) for name in INTAKE_SLOTS if tracker.get_slot(name) is not None}
    if stage == "filed" or not (told.get("problem_description") or told.get("location")):
        return {name: tracker.get_slot(name) for name in KEPT_AFTER_FILING if tracker.get_slot(name)}
    return {**told, "stage": stage if stage == "confirming" else None}


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        slots = carried(tracker)
        if slots.get("stage") == "confirming" and slots.get("intake_summary"):
            dispatcher.utter_message(text="您上次反映的诉求还没有提交：\n" + slots["intake_summary"]
                                          + "\n无误请回复“确认”提交；需要修改请直接告诉我；不需要了请回复“取消”。")
        elif slots.get("problem_description"):
            dispatcher.utter_message(text=f"您上次反映的「{short(slots['problem_description'], 30)}」还没有登记完。"
                                          "请告诉我问题发生的具体地点；不需要了请回复“取消”。")
        elif slots.get("location"):
            dispatcher.utter_message(text=f"您上次说到「{slots['location']}」，还没有说明遇到了什么问题。"
                                          "请直接告诉我；不需要了请回复“取消”。")
        return [SessionStarted(), *[SlotSet(name, value) for name, value in slots.items()],
                ActionExecuted("action_listen")]

"""Asking for and recording satisfaction with a closed ticket (the 满意率 of 三率).

The app server runs `EXTERNAL_ticket_closed` in the resident's conversation when a department
closes their ticket; the question waits for their channel. 满意 / 基本满意 are recorded;
不满意 reopens the ticket with the resident's reason (asked for when they gave none).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.file_ticket import ticket_store
from actions.intake_draft import short
from actions.parse_data import latest_text
from common.privacy import mask_pii
from nlu.satisfaction import read_rating

BUTTONS = [{"title": r, "payload": r} for r in ("满意", "基本满意", "不满意")]


def _closed_ticket_id(tracker: Tracker) -> str:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "ticket_id":
            return str(entity.get("value"))
    return tracker.get_slot("rating_ticket") or ""


class ActionAskSatisfaction(Action):
    def name(self) -> Text:
        return "action_ask_satisfaction"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        ticket = ticket_store().get(_closed_ticket_id(tracker))
        if ticket is None or mask_pii(ticket.resident_id() or "") != mask_pii(tracker.sender_id):
            return []
        note = f"处理说明：{ticket.status_notes}。" if ticket.status_notes else ""
        dispatcher.utter_message(text=f"您反映的问题（工单 {ticket.id}：{short(ticket.description, 30)}）已办结。{note}"
                                      "请问您对处理结果满意吗？请回复“满意”“基本满意”或“不满意”。", buttons=BUTTONS)
        return [SlotSet("rating_ticket", ticket.id), SlotSet("rating_pending", None), SlotSet("stage", "rating")]


class ActionRecordRating(Action):
    def name(self) -> Text:
        return "action_record_rating"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        ticket_id = tracker.get_slot("rating_ticket")
        text = latest_text(tracker).strip()
        rating, rest = read_rating(text)
        if tracker.get_slot("rating_pending") == "不满意" and rating is None:
            rating, rest = "不满意", text  # the reason asked for
        if rating is None:
            dispatcher.utter_message(text="请回复“满意”“基本满意”或“不满意”，您的评价会用于考核承办部门。", buttons=BUTTONS)
            return []
        if rating == "不满意" and not rest and ("满意" in text or "差评" in text):
            dispatcher.utter_message(text="很抱歉没有让您满意。请问哪里没有解决好？我们会把您的意见转给承办部门重新办理。")
            return [SlotSet("rating_pending", "不满意")]
        ticket = ticket_store().rate(ticket_id, rating, text if rating == "不满意" else (rest or None))
        if ticket is None:
            return [SlotSet("stage", None), SlotSet("rating_ticket", None)]
        if rating == "不满意":
            dispatcher.utter_message(text=f"已记录您的意见，工单 {ticket.id} 已重新打开，转回{ticket.department or '承办部门'}"
                                          "重新办理，办理结果会再通知您。")
        elif rating == "基本满意" and rest:
            # 「还行吧，就是太慢了」: what fell short is kept with the rating for the department's review
            dispatcher.utter_message(text=f"感谢您的评价！您提到的“{rest}”已随评价记在工单上。"
                                          "如还有其他问题，请随时告诉我。")
        else:
            dispatcher.utter_message(text="感谢您的评价！如还有其他问题，请随时告诉我。")
        return [SlotSet("stage", None), SlotSet("rating_ticket", None), SlotSet("rating_pending", None)]

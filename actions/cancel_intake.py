"""「取消」「算了，不报了」: drops the report being told, files nothing, and says so; a filed ticket
is not withdrawn here (the department has it), the resident is told how, and why they withdraw it
(「…，灯已经好了」) is added to it for the department."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.file_ticket import ticket_store
from actions.intake_draft import INTAKE_SLOTS, cleared
from actions.parse_data import latest_text
from nlu.withdrawal import asks_if_done, reason_given


class ActionCancelIntake(Action):
    def name(self) -> Text:
        return "action_cancel_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        in_progress = tracker.active_loop.get("name") or tracker.get_slot("stage") in ("confirming", "emergency") \
            or any(tracker.get_slot(name) for name in ("problem_description", "location"))
        filed = [i for i in (tracker.get_slot("ticket_id") or "").split(",") if i]
        if not in_progress and filed and asks_if_done(latest_text(tracker)):
            # 「我的那个工单 是不是已经办结了」 read as a withdrawal: it asks where the ticket stands
            return [FollowupAction("action_query_status")]
        if not in_progress and filed and tracker.get_slot("stage") == "filed":
            # 「我刚才报的那个能取消吗」: a filed ticket is the department's now; a person withdraws it
            reason = reason_given(latest_text(tracker))
            if reason:
                # 「…，灯已经好了」: the news goes on the tickets, where the department reads it before going out
                for ticket_id in filed:
                    ticket = ticket_store().get(ticket_id)
                    if ticket is not None:
                        ticket_store().amend(ticket_id, actor="resident", note="居民要求撤销",
                                             description=f"{ticket.description}（补充：{reason}）")
                dispatcher.utter_message(text=f"已把您说的情况补充到工单 {'、'.join(filed)}，承办部门核实后会办结。"
                                              "工单已经派出，不能在这里撤销；需要坐席为您撤销的话，请回复“转人工”。")
                return []
            dispatcher.utter_message(text=f"工单 {'、'.join(filed)} 已经登记并派给承办部门，不能在这里撤销。"
                                          "如果问题已经解决或不需要处理了，请回复“转人工”，由坐席为您撤销；"
                                          "也可以直接告诉我现在的情况，我会补充到工单上。")
            return []
        dispatcher.utter_message(response="utter_cancelled" if in_progress else "utter_nothing_to_cancel")
        events: List[Dict[Text, Any]] = cleared(tracker, (*INTAKE_SLOTS, "stage"))
        if tracker.active_loop.get("name"):
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events

"""A correction after filing (「不对，是32栋」): within the amend window (settings/conversation.yml)
the open ticket is changed and its history keeps what it said before; later, or when the new
place is unclear, nothing is changed and the resident is told what to do."""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.corrections import Change, nothing_said, read_change, regrade, which_problem
from actions.file_ticket import ticket_store
from actions.intake_draft import category_line, place_line
from actions.parse_data import latest, latest_text
from dispatch.schema import CategoryRef, Location, Ticket
from common import clock
from nlu.conversation_settings import conversation_settings


def _problem(ticket: Ticket) -> Dict[str, Any]:
    return {"description": ticket.description, "problem_type": ticket.category.dict()}


def amend(ticket: Ticket, change: Change, is_target: bool, old_place: Optional[dict], reason: str) -> Optional[Ticket]:
    """Apply ``change`` to one of the resident's tickets: the place to every ticket that shared
    it, the category and the note to the ticket the correction is about, the urgency to all."""
    fields: Dict[str, Any] = {}
    if change.place_settled and ticket.location.dict() == old_place:
        fields["location"] = Location(**change.place["location_detail"])
    category = change.category if is_target and change.category else None
    if category:
        fields.update(category=CategoryRef(**{k: category.get(k) for k in ("level1", "level2", "level3", "confidence")}),
                      department=category.get("department"), sla_days=category.get("sla_days"))
    description = ticket.description + change.note if is_target and change.note else None
    if description:
        fields["description"] = description
    grade = regrade(description or ticket.description, category or {"default_urgency": None}, change.claim)
    if grade.level != ticket.urgency:
        fields.update(urgency=grade.level, urgency_reasons=grade.reasons)
    if not fields:
        return None
    return ticket_store().amend(ticket.id, actor="resident", note=reason, **fields)


class ActionAmendTicket(Action):
    def name(self) -> Text:
        return "action_amend_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        ids = [i for i in (tracker.get_slot("ticket_id") or "").split(",") if i]
        tickets = [t for t in (ticket_store().get(i) for i in ids) if t is not None]
        if not tickets:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        window = timedelta(minutes=conversation_settings().amend_window_minutes)
        if clock.now() - tickets[0].created_at > window or any(t.status != "open" for t in tickets):
            dispatcher.utter_message(text=f"工单 {'、'.join(t.id for t in tickets)} 已经派往承办部门，不能在这里直接修改了。"
                                          "请回复“转人工”，由坐席帮您更正；如果是另一个问题，请直接说明情况和地点。")
            return []
        correction = latest(tracker, "correction") or {}
        target = which_problem([_problem(t) for t in tickets], correction.get("withdrawn") or [])
        change = read_change(tracker, tickets[target].location.dict(), tickets[target].category.dict())
        if change.empty or (change.place and not change.place_settled and not change.category):
            dispatcher.utter_message(text="抱歉，我没能看出工单要改哪一项。请直接说正确的内容，例如“是5栋”"
                                          "“地址是海景花园3栋”“问题是油烟”；工单暂未修改。" if not nothing_said(tracker)
                                     else "好的，请告诉我工单需要修改的地方，例如“是5栋不是3栋”。")
            return []
        old_place = tickets[target].location.dict()
        updated = 0
        for index, ticket in enumerate(tickets):
            amended = amend(ticket, change, index == target, old_place, latest_text(tracker))
            if amended is not None:
                updated += 1
                dispatcher.utter_message(text=f"已更新工单 {amended.id}：\n问题：{amended.description[:80]}（{category_line(amended)}）\n"
                                              f"地点：{place_line(amended.location)}\n紧急程度：{amended.urgency}；"
                                              f"承办部门：{amended.department or '待定'}；"
                                              f"预计{amended.deadline:%m月%d日%H:%M}前办结。")
        if not updated:
            dispatcher.utter_message(text="工单上已经是您说的内容，不需要修改。")
        return []

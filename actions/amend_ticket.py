"""A correction or an added detail after filing (「不对，是32栋」, 「3栋旁边」): within the amend window
(settings/conversation.yml) the open ticket is changed and its history keeps what it said before;
later, or when the new place is unclear, nothing is changed and the resident is told what to do."""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.corrections import (Change, another_place, claim_reply, nothing_said, placed_anew, read_change, regrade,
                                 reworded, which_problem)
from actions.file_ticket import ticket_store
from actions.intake_draft import category_line, place_line, short
from actions.last_place import offer
from actions.parse_data import latest, latest_intent, latest_text
from dispatch.schema import CategoryRef, Location, Ticket
from common import clock
from common.privacy import mask_pii
from nlu.urgency import Urgency, default_rules
from nlu.contact import only_a_phone
from nlu.vague import is_bare_request
from nlu.conversation_settings import conversation_settings


def ticket_problem(ticket: Ticket) -> Dict[str, Any]:
    """A filed ticket as a problem of the intake (its words and category), as corrections read problems."""
    return {"description": ticket.description, "problem_type": ticket.category.dict()}


def amend(ticket: Ticket, change: Change, is_target: bool, old_place: Optional[dict], reason: str) -> Optional[Ticket]:
    """Apply ``change`` to one of the resident's tickets: the place to every ticket that shared
    it, the category and the note to the ticket the correction is about, the urgency to all."""
    fields: Dict[str, Any] = {}
    words = ticket.description
    if change.place_settled and ticket.location.dict() == old_place:
        fields["location"] = Location(**change.place["location_detail"])
        # 「改一下，是8栋不是3栋」 after filing moved the ticket to 8栋 while its words still said 3栋
        words = placed_anew(words, ticket.location.text, fields["location"].text)
    category = change.category if is_target and change.category else None
    if category:
        fields.update(category=CategoryRef(**{k: category.get(k) for k in ("level1", "level2", "level3", "confidence")}),
                      department=category.get("department"), sla_days=category.get("sla_days"))
    if is_target:
        words = reworded(words, change.pairs) + (change.note or "")
    description = words if words != ticket.description else None
    if description:
        fields["description"] = description
    grade = regrade(description or ticket.description, category or {"default_urgency": None}, change.claim)
    ranks = default_rules().ranks
    if not category and not change.claim and ranks[grade.level] < ranks[ticket.urgency]:
        # a detail added (「补充一下，是从昨天开始的」) lowers no grade: the ticket's came from its category's
        # least grade or a reading of its first words that the regrade here does not repeat
        grade = None
    if grade is not None and grade.level != ticket.urgency:
        fields.update(urgency=grade.level, urgency_reasons=grade.reasons)
    if not fields:
        return None
    return ticket_store().amend(ticket.id, actor="resident", note=reason, **fields)


#: the slots Rasa fills from any message (bot/domain/intake.yml mappings)
CONSUMED_SLOTS = ("location", "problem_description")


class ActionAmendTicket(Action):
    def name(self) -> Text:
        return "action_amend_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        # the message was about the filed tickets: what Rasa mapped from it (the place, the text)
        # must not be taken by the next intake as its own
        return self.answer(dispatcher, tracker) or [SlotSet(name, None) for name in CONSUMED_SLOTS]

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
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
        target = which_problem([ticket_problem(t) for t in tickets], correction.get("withdrawn") or [])
        adding = latest_intent(tracker) == "inform"
        number = only_a_phone(latest_text(tracker)) if adding else None
        if number:
            # 「我电话13800001111」 after filing: the number for the call back, never words on the ticket
            for ticket in tickets:
                ticket_store().amend(ticket.id, actor="resident", note="居民补充联系电话", contact=number)
            dispatcher.utter_message(text=f"已在工单 {'、'.join(t.id for t in tickets)} 上补充联系电话 {mask_pii(number)}，"
                                          "承办部门会通过这个号码联系您。")
            return []
        change = read_change(tracker, tickets[target].location.dict(), tickets[target].category.dict(),
                             tickets[target].description)
        if adding and change.place_settled and another_place(tickets[target].location.dict(),
                                                             change.place["location_detail"]):
            # 「海景花园5栋」 after a ticket at 阳光花园: a correction of the place, or another matter there.
            # The place is kept for the next intake (validate_intake_form keeps a place told before).
            said = change.place["location_detail"].get("text") or place_line(Location(**change.place["location_detail"]))
            if is_bare_request(latest_text(tracker)):
                dispatcher.utter_message(text=f"好的，请问{said}那边是什么问题？请说一下情况。")
            else:
                dispatcher.utter_message(text=f"工单 {tickets[target].id} 登记的地点是{place_line(tickets[target].location)}。"
                                              f"如果是要把地点改为{said}，请回复“不对，是{said}”；如果是{said}的另一个问题，"
                                              "请说一下是什么问题。")
            return [SlotSet(name, value) for name, value in change.place.items()] + [SlotSet("problem_description", None)]
        if change.empty or (change.place and not change.place_settled and not change.category):
            if adding:
                dispatcher.utter_message(text=f"请问这是要补充工单 {tickets[target].id}，还是反映一个新的问题？补充请直接说明"
                                              "（例如“在3栋旁边”），新的问题请说一下情况和地点。")
            else:
                dispatcher.utter_message(text="抱歉，我没能看出工单要改哪一项。请直接说正确的内容，例如“是5栋”"
                                              "“地址是海景花园3栋”“问题是油烟”；工单暂未修改。" if not nothing_said(tracker)
                                         else "好的，请告诉我工单需要修改的地方，例如“是5栋不是3栋”。")
            return []
        old_place = tickets[target].location.dict()
        updated: List[Ticket] = []
        for index, ticket in enumerate(tickets):
            amended = amend(ticket, change, index == target, old_place, latest_text(tracker))
            if amended is not None:
                updated.append(amended)
                dispatcher.utter_message(text=f"已{'补充' if adding else '更新'}工单 {amended.id}：\n问题：{short(amended.description, 80)}（{category_line(amended)}）\n"
                                              f"地点：{place_line(amended.location)}\n紧急程度：{amended.urgency}；"
                                              f"承办部门：{amended.department or '待定'}；"
                                              f"预计{amended.deadline:%m月%d日%H:%M}前办结。")
        if not updated:
            if change.claim:
                # 「这个很急」 about a ticket already filed 特急: what the resident asks is done, said in those words
                kept = tickets[target]
                dispatcher.utter_message(text=f"工单 {kept.id} 已按{kept.urgency}登记"
                                              f"{'，正在即接即办' if kept.urgency == '特急' else ''}，不需要修改。")
            else:
                dispatcher.utter_message(text="工单上已经是您说的内容，不需要修改。")
            return []
        if change.claim and any(t.urgency != change.claim for t in updated):
            # 「这个其实不急，慢慢来」 about a leak kept at 紧急 by what it says: the resident is told why, as before filing
            kept = updated[0]
            dispatcher.utter_message(text=claim_reply(change.claim, Urgency(level=kept.urgency,
                                                                            reasons=kept.urgency_reasons)))
        if change.place_settled:
            # the next report is offered the place as corrected, not as first filed (last_place.py)
            return offer(updated) + [SlotSet(name, None) for name in CONSUMED_SLOTS]
        return []

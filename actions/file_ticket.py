"""Files the confirmed intake (or a 特急 one at once) — one ticket per problem — and tells the
resident each ticket's number, department and deadline."""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Dict, List, Mapping, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.intake_draft import (INTAKE_SLOTS, category_line, channel_of, cleared, drafts, media_store, place_line,
                                  short, slot_values)
from actions.last_place import offer
from dispatch.review import review_reasons
from dispatch.schema import Ticket
from dispatch.store import TicketStore, is_repeat

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def ticket_store() -> TicketStore:
    return TicketStore()


#: the review queues (dispatch/review.py) as the resident is told of them
REVIEWED = {"category": "分类", "place": "地点"}


def in_doubt(ticket: Ticket) -> List[str]:
    """What an operator reviews before dispatch, as the review queues decide it: the category, the
    place or both (「医保卡丢了去哪里补办」 was told 「复核分类和地点」 with no doubt about the place)."""
    return [REVIEWED[reason] for reason in review_reasons(ticket, grey_duplicate=False) if reason in REVIEWED]


def filed_text(ticket: Ticket) -> str:
    lines = [f"已为您登记诉求，工单号：{ticket.id}。",
             f"问题：{short(ticket.description)}（{category_line(ticket)}）",
             f"地点：{place_line(ticket.location)}"]
    if ticket.media:
        lines.append(f"照片：{len(ticket.media)}张，已随工单提交")
    if ticket.urgency == "特急":
        lines.append(f"紧急程度：特急，已按即接即办处理，承办部门：{ticket.department or '待定'}。")
    else:
        lines.append(f"紧急程度：{ticket.urgency}；承办部门：{ticket.department or '待定'}；"
                     f"预计{ticket.deadline:%m月%d日%H:%M}前办结，{ticket.respond_by:%m月%d日%H:%M}前会有工作人员响应。")
    if ticket.duplicate_of:
        lines.append(f"该地点已有相同问题的工单 {ticket.duplicate_of} 正在办理，您的反映已合并，会一并答复。")
    if ticket.needs_review:
        lines.append(f"您的诉求将由人工坐席复核{'和'.join(in_doubt(ticket))}后派单。")
    return "\n".join(lines)


def repeated_text(ticket: Ticket) -> str:
    """The resident told again a problem of theirs still being dealt with: recorded as a 催办 on it."""
    return (f"您之前反映过这个问题，工单 {ticket.id} 正在办理（承办部门：{ticket.department or '待定'}，"
            f"办结时限：{ticket.deadline:%m月%d日%H:%M}）。这次的反映已作为催办记到该工单上，坐席和承办部门都能看到，"
            "不再重复登记。")


def file_intake(dispatcher: CollectingDispatcher, tracker: Tracker,
                values: Mapping[str, Any]) -> List[Dict[Text, Any]]:
    """File every ticket of the intake, say so, and return the slot events that close it."""
    tickets: List[Ticket] = []
    planned = drafts(tracker, values)
    for number, draft in enumerate(planned, start=1):
        ticket, created = ticket_store().file(draft.ticket, draft.sla_days)
        repeat = is_repeat(draft.ticket, ticket, created)
        log.info("ticket %s %s (%s, %s)", ticket.id, "urged again" if repeat else "filed" if created else "already filed",
                 ticket.category.level2, ticket.urgency)
        tickets.append(ticket)
        last = "\n发送“查询进度”可随时了解办理情况。" if number == len(planned) else ""
        dispatcher.utter_message(text=(repeated_text(ticket) if repeat else filed_text(ticket)) + last)
    if any(t.media for t in tickets):  # the photos went with this report; the next one starts without
        media_store().attach(tracker.sender_id, channel_of(tracker), [t.id for t in tickets])
    return cleared(tracker, INTAKE_SLOTS) + offer(tickets) + [SlotSet("ticket_id", ",".join(t.id for t in tickets)),
                                                              SlotSet("stage", "filed")]


class ActionFileTicket(Action):
    def name(self) -> Text:
        return "action_file_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        return file_intake(dispatcher, tracker, slot_values(tracker))

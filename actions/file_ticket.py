"""Files the completed intake as a ticket and tells the resident its number and deadline."""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.parse_data import intake_key
from dispatch.schema import Ticket, TicketIn
from dispatch.store import TicketStore
from nlu.urgency import default_rules

log = logging.getLogger(__name__)

#: Rasa input channel name → the channel recorded on the ticket
CHANNELS = {"rest": "web", "web": "web", "wechat": "wechat", "voice": "voice"}
INTAKE_SLOTS = ("problem_description", "location", "location_detail", "problem_category", "urgency",
                "urgency_reasons", "contact", "location_candidates")


@lru_cache(maxsize=1)
def ticket_store() -> TicketStore:
    return TicketStore()


def ticket_from_slots(tracker: Tracker) -> tuple[TicketIn, float | None]:
    category: Dict[str, Any] = tracker.get_slot("problem_category") or {}
    ticket = TicketIn.from_analysis(
        description=tracker.get_slot("problem_description"),
        category=category,
        location=tracker.get_slot("location_detail") or {"text": tracker.get_slot("location")},
        urgency=tracker.get_slot("urgency"),
        urgency_reasons=tracker.get_slot("urgency_reasons"),
        channel=CHANNELS.get(tracker.get_latest_input_channel() or "", "web"),
        reporter=tracker.sender_id,
        contact=tracker.get_slot("contact"),
        idempotency_key=intake_key(tracker),
    )
    return ticket, category.get("sla_days")


def place_line(ticket: Ticket) -> str:
    """What the resident said, then where the gazetteer put it and who handles it there:
    「盐梅路（盐田区梅沙街道；属地：梅沙街道办事处）」."""
    place = ticket.location
    said = place.text or place.display() or "未提供"
    admin = "".join(p for p in (place.district, place.street, place.community, place.grid) if p and p not in said)
    extra = "；".join(p for p in (admin, f"属地：{place.responsible_unit}" if place.responsible_unit else "") if p)
    return f"{said}（{extra}）" if extra else said


def confirmation(ticket: Ticket) -> str:
    lines: List[str] = []
    advice = default_rules().levels.get(ticket.urgency, {}).get("advice")
    if advice:
        lines.append(f"⚠️ {advice}")
    lines.append(f"已为您登记诉求，工单号：{ticket.id}。")
    category = "/".join(p for p in (ticket.category.level1, ticket.category.level2, ticket.category.level3) if p)
    lines.append(f"问题：{ticket.description[:60]}{'…' if len(ticket.description) > 60 else ''}（{category or '待分类'}）")
    lines.append(f"地点：{place_line(ticket)}")
    if ticket.urgency == "特急":
        lines.append(f"紧急程度：特急，已按即接即办处理，承办部门：{ticket.department or '待定'}。")
    else:
        lines.append(f"紧急程度：{ticket.urgency}；承办部门：{ticket.department or '待定'}；"
                     f"预计{ticket.deadline:%m月%d日%H:%M}前办结，{ticket.respond_by:%m月%d日%H:%M}前会有工作人员响应。")
    if ticket.duplicate_of:
        lines.append(f"该地点已有相同问题的工单 {ticket.duplicate_of} 正在办理，您的反映已合并，会一并答复。")
    if ticket.needs_review:
        lines.append("您的诉求将由人工坐席复核分类和地点后派单。")
    lines.append("发送“查询进度”可随时了解办理情况。")
    return "\n".join(lines)


class ActionFileTicket(Action):
    def name(self) -> Text:
        return "action_file_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        ticket_in, sla_days = ticket_from_slots(tracker)
        ticket, created = ticket_store().file(ticket_in, sla_days)
        log.info("ticket %s %s (%s, %s)", ticket.id, "filed" if created else "already filed",
                 ticket.category.level2, ticket.urgency)
        dispatcher.utter_message(text=confirmation(ticket))
        return [SlotSet(slot, None) for slot in INTAKE_SLOTS] + [SlotSet("ticket_id", ticket.id)]

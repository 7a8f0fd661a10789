"""The tickets an intake will become, built from its slots: what the summary shows the resident
before filing and what `action_file_ticket` files are the same objects.

One message may report several problems (slot `problems`); each becomes its own ticket, at its
own place when the message named one for it, else at the intake's place.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Mapping, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.parse_data import intake_key
from dispatch.deadlines import deadlines
from dispatch.media import MediaStore
from dispatch.schema import MAX_DESCRIPTION, TicketIn, part_key
from common.privacy import mask_pii
from dispatch.location import Address
from nlu.contact import without_phone
from nlu.courtesy import problem_text
from nlu.inquiry import inquiry_place
from nlu.normalize import simplified, strip_emoji
from nlu.subject import subject_of
from nlu.urgency import needs_top_review

#: Rasa input channel name → the channel recorded on the ticket
CHANNELS = {"rest": "web", "web": "web", "wechat": "wechat", "voice": "voice"}
#: everything an intake collects; cleared once it is filed or cancelled
INTAKE_SLOTS = ("problem_description", "problem_issue", "classified_text", "location", "location_detail",
                "location_candidates", "location_issue", "location_hint", "location_place", "location_option_1",
                "location_option_2", "location_option_3", "problem_category", "urgency", "urgency_claim", "urgency_reasons",
                "problems", "contact", "contact_issue", "detail_since", "detail_households", "intake_summary", "inquiry",
                "reporter_note")
#: an optional question the resident chose not to answer
NOT_GIVEN = "未提供"
#: details asked for some categories, kept on the ticket after the resident's words
DETAILS = (("detail_since", "开始时间"), ("detail_households", "影响范围"))


def channel_of(tracker: Tracker) -> str:
    """The channel a ticket, a handoff or a status question is recorded under."""
    return CHANNELS.get(tracker.get_latest_input_channel() or "", "web")


@dataclass
class Draft:
    ticket: TicketIn
    sla_days: Optional[float]


def slot_values(tracker: Tracker, updates: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The tracker's slots with this action's changes applied."""
    values = dict(tracker.slots)
    values.update(updates or {})
    return values


def changed_slots(current: Mapping[str, Any], values: Mapping[str, Any], keep: tuple = ()) -> List[Dict[str, Any]]:
    """SlotSet events for the values that differ from ``current`` (the tracker's slots) and for
    ``keep`` always: every event stays in the tracker, and Rasa reads and sends the whole tracker
    on each turn."""
    return [SlotSet(name, value) for name, value in values.items() if name in keep or current.get(name) != value]


@lru_cache(maxsize=1)
def media_store() -> MediaStore:
    return MediaStore()


def cleared(tracker: Tracker, names: Iterable[str]) -> List[Dict[str, Any]]:
    return changed_slots(tracker.slots, {name: None for name in names})


def _location(values: Mapping[str, Any]) -> Dict[str, Any]:
    if values.get("location_detail") or values.get("location") or not values.get("inquiry"):
        return values.get("location_detail") or {"text": values.get("location")}
    return inquiry_place().to_dict()


def _own_place(problem: Mapping[str, Any], common: Dict[str, Any]) -> Dict[str, Any]:
    """The place named with this problem (an imprecise one goes to an operator's review), else
    the intake's place."""
    address = Address.from_dict(problem.get("address"))
    return address.to_dict() if address.text else common


def stated(said: str) -> str:
    """The problem as the ticket states it, as an operator writes a work order: without the greeting and
    「我想反映一下就是」 before it, without a phone number given with it (that is the contact), and without
    emoji (「😡😡楼下KTV…」: a work order carries none, and many city systems store text that cannot hold
    them), in simplified characters (「海景花園3棟電梯壞了」 reached the department as typed)."""
    return problem_text(simplified(strip_emoji(without_phone(said) or said).strip() or said))


def with_note(description: str, note: Optional[str]) -> str:
    """The description with what the ticket carries besides the problem (since when, how many, a wish for the
    reporter's name kept back) after it, within the length a ticket holds: the note is cut last."""
    if not note:
        return description[:MAX_DESCRIPTION]
    room = MAX_DESCRIPTION - len(note) - 2
    return f"{description[:room] if room > 0 else description}（{note}）"[:MAX_DESCRIPTION]


def drafts(tracker: Tracker, values: Mapping[str, Any]) -> List[Draft]:
    contact = values.get("contact")
    channel = channel_of(tracker)
    common = dict(channel=channel, reporter=tracker.sender_id,
                  contact=contact if contact and contact != NOT_GIVEN else None,
                  media=media_store().waiting(tracker.sender_id, channel))  # photos sent for this report
    key = intake_key(tracker)
    problems: List[Dict[str, Any]] = values.get("problems") or []
    if len(problems) > 1:
        result = []
        for number, problem in enumerate(problems, start=1):
            category = problem.get("problem_type") or {}
            urgency = problem.get("urgency") or {}
            told = stated(problem["description"])
            ticket = TicketIn.from_analysis(
                description=with_note(told, values.get("reporter_note")), category=category, subject=subject_of(told),
                location=_own_place(problem, _location(values)), urgency=urgency.get("level", "一般"),
                urgency_reasons=urgency.get("reasons") or [],
                urgency_review=needs_top_review(urgency.get("reasons") or []), idempotency_key=part_key(key, number),
                **common)
            result.append(Draft(ticket, category.get("sla_days")))
        return result
    category = values.get("problem_category") or {}
    details = "；".join(f"{label}：{values[name]}" for name, label in DETAILS if values.get(name) not in (None, NOT_GIVEN))
    # classified_text: the problem as validated and revised. problem_description is also what Rasa
    # maps from any later message (「每天晚上」 said to the summary), and filed that as the problem
    description = stated(values.get("classified_text") or values.get("problem_description") or "")
    ticket = TicketIn.from_analysis(
        description=with_note(description, "；".join(p for p in (details, values.get("reporter_note")) if p)),
        category=category,
        subject=subject_of(description), location=_location(values),
        urgency=values.get("urgency") or "一般", urgency_reasons=values.get("urgency_reasons") or [],
        urgency_review=needs_top_review(values.get("urgency_reasons") or []), idempotency_key=key, **common)
    return [Draft(ticket, category.get("sla_days"))]


def place_line(place: Address) -> str:
    """What the resident said, then where the gazetteer put it and who handles it there:
    「盐梅路（盐田区梅沙街道；属地：梅沙街道办事处）」."""
    said = place.text or place.display() or "未提供"
    admin = "".join(p for p in (place.district, place.street, place.community, place.grid) if p and p not in said)
    extra = "；".join(p for p in (admin, f"属地：{place.responsible_unit}" if place.responsible_unit else "") if p)
    return f"{said}（{extra}）" if extra else said


def category_line(ticket: TicketIn) -> str:
    return "/".join(p for p in (ticket.category.level1, ticket.category.level2, ticket.category.level3) if p) or "待分类"


def short(text: str, limit: int = 60) -> str:
    """A description as a reply shows it: its first characters, an ID or phone number in it masked (「我的身份证号是
    4403…」 was shown back whole in the summary; the ticket keeps it for the department, public views mask it)."""
    text = mask_pii(text)
    return text[:limit] + ("…" if len(text) > limit else "")


def draft_lines(draft: Draft, now: datetime) -> List[str]:
    ticket = draft.ticket
    respond_by, resolve_by = deadlines(now, ticket.urgency, draft.sla_days)
    lines = [f"问题：{short(ticket.description)}（{category_line(ticket)}）", f"地点：{place_line(ticket.location)}"]
    if ticket.contact:
        lines.append(f"联系电话：{mask_pii(ticket.contact)}（仅承办部门可见）")
    if ticket.media:
        lines.append(f"照片：{len(ticket.media)}张")
    if ticket.urgency == "特急":
        lines.append(f"紧急程度：特急，即接即办；承办部门：{ticket.department or '待定'}")
    else:
        lines.append(f"紧急程度：{ticket.urgency}；承办部门：{ticket.department or '待定'}；"
                     f"预计{resolve_by:%m月%d日%H:%M}前办结，{respond_by:%m月%d日%H:%M}前响应")
    return lines


def timing_line(draft: Draft, now: datetime) -> str:
    """When the department answers and finishes a draft filed now, for a resident asking how soon
    (「你们多久能处理」 at the summary): its grade's deadlines, as the summary shows them."""
    ticket = draft.ticket
    if ticket.urgency == "特急":
        return f"按特急登记，提交后即接即办，{ticket.department or '承办部门'}会立即处理"
    respond_by, resolve_by = deadlines(now, ticket.urgency, draft.sla_days)
    return (f"按{ticket.urgency}登记，提交后{ticket.department or '承办部门'}会在{respond_by:%m月%d日%H:%M}前响应，"
            f"{resolve_by:%m月%d日%H:%M}前办结")


def summary(all_drafts: List[Draft], now: datetime) -> str:
    if len(all_drafts) == 1:
        return "\n".join(draft_lines(all_drafts[0], now))
    parts = [f"您反映了{len(all_drafts)}个问题，将分别登记："]
    for number, draft in enumerate(all_drafts, start=1):
        first, *rest = draft_lines(draft, now)
        parts.append(f"{number}. {first}")
        parts.extend(f"   {line}" for line in rest)
    return "\n".join(parts)


def stage_for(all_drafts: List[Draft]) -> str:
    """特急 is filed at once (即接即办); anything else waits for the resident's confirmation."""
    return "emergency" if any(d.ticket.urgency == "特急" for d in all_drafts) else "confirming"

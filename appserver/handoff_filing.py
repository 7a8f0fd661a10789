"""An operator files the ticket for a resident they are talking with (a handed-off conversation).

A resident handed to a person (「转人工」, not understood twice, distressed) had told half a report; the
operator could talk with them and hand them back, but not file anything: the resident had to tell the
agent the whole report again. POST /api/console/handoffs/{id}/file takes what the operator settled —
the problem, the place, and when they choose them the category and the grade — reads the rest as
Open311 does (category, grade, place in the gazetteer), files the ticket under the resident's own
conversation (so 「查询进度」, status notices and the satisfaction question reach them), tells the resident
its number on their channel and keeps it on the entry. The operator is the review: the ticket is
delivered at once. The same problem and place sent twice (a double click) is one ticket.
"""
from __future__ import annotations

import hashlib
from typing import Optional

from aiohttp import web
from pydantic import BaseModel, Field, ValidationError, validator

from appserver.console_auth import account_of
from appserver.console_handoffs import PREFIX, entry_of, require_mine, say_to_resident
from appserver.errors import json_error, read_model
from common.json_body import dumps
from common.validation import field_problems
from dispatch.schema import Ticket, TicketIn
from nlu.locate import locate
from nlu.subject import subject_of

URGENCIES = ("特急", "紧急", "一般")
#: the reason a grade the operator chose gives (shown beside the grade, as the agent's reasons are)
CHOSEN = "坐席判定"


class Filing(BaseModel):
    description: str = Field(..., min_length=1, max_length=2000)
    place: str = Field("", max_length=200)
    category: Optional[str] = Field(None, max_length=200)  # 「大类/小类/细项」; none: read from the problem
    urgency: Optional[str] = None  # none: read from the problem

    @validator("description", "place", "category", pre=True)
    def _stripped(cls, value):
        return value.strip() if isinstance(value, str) else value

    @validator("urgency")
    def _known_grade(cls, value):
        if value not in (None, "", *URGENCIES):
            raise ValueError(f"must be one of {', '.join(URGENCIES)}")
        return value or None


def told(ticket: Ticket, created: bool) -> str:
    """What the resident reads: the number, what and where, who and by when."""
    place = ticket.location.text or ticket.location.display() or "待核实"
    line = (f"{PREFIX}已为您登记诉求，工单号：{ticket.id}。\n问题：{ticket.description}\n地点：{place}\n"
            f"紧急程度：{ticket.urgency}；承办部门：{ticket.department or '待定'}；预计{ticket.deadline:%m月%d日%H:%M}前办结。")
    if ticket.duplicate_of:
        line += f"\n该地点已有相同问题的工单 {ticket.duplicate_of} 正在办理，您的反映已合并，会一并答复。"
    elif not created:
        line = f"{PREFIX}这个诉求已经登记过了，工单号：{ticket.id}。"
    return line + "\n发送“查询进度”可随时了解办理情况。"


async def file_for_resident(request: web.Request) -> web.Response:
    entry, sender = entry_of(request)
    filing = await read_model(request, Filing)
    require_mine(request, entry)
    taxonomy = request.app["taxonomy"]
    if filing.category and filing.category not in taxonomy:
        return json_error(422, f"分类「{filing.category}」不存在，请从列表中选择（大类/小类/细项）")
    place = locate(filing.place) if filing.place else None
    issue = request.app["analyzer"].issue(filing.description, None,
                                          taxonomy.get(filing.category) if filing.category else None,
                                          place=place if place is not None and place.found else None)
    location = dict(issue["location"])
    if filing.place:
        location["text"] = filing.place  # as the operator wrote it, found in the gazetteer or not
    elif not location.get("text"):
        return json_error(400, "请填写地点（小区楼栋、路名门牌或地标）：问题里没有可识别的地点")
    level, reasons = ((filing.urgency, [CHOSEN]) if filing.urgency
                      else (issue["urgency"]["level"], issue["urgency"]["reasons"]))
    contact = request.app["handoffs"].raw_pending(entry.id).get("contact")
    key = hashlib.sha256(f"{filing.description}\n{filing.place}".encode()).hexdigest()[:16]
    try:
        ticket_in = TicketIn.from_analysis(
            filing.description, issue["category"], location, level, reasons, channel=entry.channel,
            reporter=sender, contact=contact if contact and any(ch.isdigit() for ch in str(contact)) else None,
            subject=subject_of(filing.description), idempotency_key=f"handoff-{entry.id}-{key}")
    except ValidationError as exc:
        return json_error(400, field_problems(exc))
    ticket_in = ticket_in.copy(update={"needs_review": False, "urgency_review": False})  # the operator reviewed it
    ticket, created = request.app["store"].file(ticket_in, issue["category"].get("sla_days"))
    if created:
        request.app["delivery_worker"].wake()
        request.app["handoffs"].filed(entry.id, ticket.id)
    await say_to_resident(request, sender, entry.channel, told(ticket, created))
    operator = account_of(request).username
    request.app["audit"].record(operator, "handoff_file", str(entry.id), ticket=ticket.id)
    return web.json_response({"ticket": {"id": ticket.id, "department": ticket.department, "urgency": ticket.urgency,
                                         "deadline": ticket.deadline, "duplicate_of": ticket.duplicate_of},
                              "created": created}, status=201 if created else 200, dumps=dumps)


ROUTES = [web.post("/api/console/handoffs/{handoff_id}/file", file_for_resident)]

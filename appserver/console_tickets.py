"""One intake as an operator works on it: GET /api/console/tickets/{id} (the ticket, why it is
queued, what the agent understood with its confidence and alternatives, duplicate candidates, its
history and the resident's conversation) and the changes an operator makes — correct the problem
type, the place or the urgency; approve and dispatch; reject with a reason; merge into an existing
ticket; reply to the resident on their channel; say what a resident's message meant when the agent
read it as another intent (POST /api/console/tickets/{id}/intent: an example for the NLU inbox).

Every change names the version the operator saw (``version``, the ticket's updated_at): if
someone else changed the ticket since, the answer is 409 with the ticket as it is now. Every
correction of what the agent understood is also put in the NLU inbox for trainers, and every
change is in the audit log.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, Optional

from aiohttp import web
from pydantic import BaseModel, Field, validator

from appserver.console_auth import account_of
from appserver.errors import json_error, read_model
from appserver.rasa_conversation import transcript
from classifiers.corrections import correctable_intents
from common.json_body import dumps
from common.privacy import mask_pii
from dispatch.location import Address
from dispatch.review import ReviewError, StaleTicket
from dispatch.schema import URGENCIES, CategoryRef, Ticket
from nlu.analysis import CHANNELS as CONVERSATION_CHANNELS  # a resident talks with the agent on these
from nlu.locate import locate
from nlu.urgency import Urgency, default_rules

MAX_REPLY = 500


class Edit(BaseModel):
    version: datetime
    category: Optional[str] = Field(None, max_length=200)
    place: Optional[str] = Field(None, max_length=200)
    urgency: Optional[str] = None
    note: Optional[str] = Field(None, max_length=500)

    @validator("urgency")
    def _known(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and value not in URGENCIES:
            raise ValueError(f"must be one of {', '.join(URGENCIES)}")
        return value


class Decision(BaseModel):
    version: datetime
    note: Optional[str] = Field(None, max_length=500)
    reason: Optional[str] = Field(None, max_length=500)
    into: Optional[str] = Field(None, max_length=32)


class IntentCorrection(BaseModel):
    text: str = Field(..., min_length=1, max_length=2000)  # a resident message of the ticket's conversation
    intent: str = Field(..., min_length=1, max_length=64)


class Reply(BaseModel):
    text: str = Field(..., min_length=1, max_length=MAX_REPLY)


def _ticket_or_404(request: web.Request) -> Ticket:
    ticket = request.app["store"].get(request.match_info["ticket_id"])
    if ticket is None:
        raise web.HTTPNotFound(text=dumps({"error": f"没有工单{request.match_info['ticket_id']}"}),
                               content_type="application/json")
    return ticket


def _shown(ticket: Ticket) -> Dict[str, Any]:
    """The ticket as the console shows it: the contact and any number written into the problem masked
    (operators call back through the department's system, which has it), the version to send back
    with a change."""
    shown = ticket.dict()
    shown["contact"] = mask_pii(ticket.contact) if ticket.contact else None
    shown["description"] = mask_pii(ticket.description)
    shown["version"] = ticket.updated_at.isoformat()
    return shown


def _stale(exc: StaleTicket) -> web.Response:
    return json_error(409, str(exc), ticket=_shown(exc.ticket))


async def get_ticket(request: web.Request) -> web.Response:
    ticket = _ticket_or_404(request)
    store, queue = request.app["store"], request.app["review_queue"]
    understood = request.app["analyzer"].classifier.classify(ticket.description).to_dict()
    candidates = [t for t in (store.get(i) for i in queue.duplicate_candidates(ticket.id)) if t is not None]
    return web.json_response({
        "ticket": _shown(ticket),
        "review": queue.review_of(ticket.id),
        "understood": {"category": understood, "urgency_reasons": ticket.urgency_reasons,
                       "placement": ticket.location.placement},
        "duplicates": [_shown(t) for t in candidates],
        # the grade's level and handler (settings/sla.yml): 「C」 alone told an operator nothing
        "grade": store.sla.grades[ticket.grade].dict() if ticket.grade in store.sla.grades else None,
        "history": [e.dict() for e in store.history(ticket.id)],
        "transcript": (await transcript(request.app, ticket.reporter))["said"] if _conversed(ticket) else [],
        "intents": correctable_intents(),
    }, dumps=dumps)


def _conversed(ticket: Ticket) -> bool:
    """Tickets from a conversation (web, WeChat, a call) have one in Rasa under their reporter."""
    return bool(ticket.reporter) and ticket.channel in CONVERSATION_CHANNELS


def _category(request: web.Request, path: str):
    taxonomy = request.app["taxonomy"]
    if path not in taxonomy:
        raise web.HTTPUnprocessableEntity(text=dumps({"error": f"没有分类“{path}”，请从分类列表中选择"}),
                                          content_type="application/json")
    return taxonomy.get(path)


def _place(text: str) -> Address:
    located = locate(text)
    if not located.found:
        raise web.HTTPUnprocessableEntity(text=dumps({"error": f"未能识别地点“{text}”，请写明街道、社区或小区和楼栋"}),
                                          content_type="application/json")
    return Address.from_dict({**located.address.to_dict(), "placement": located.placement.status})


async def edit_ticket(request: web.Request) -> web.Response:
    edit = await read_model(request, Edit)
    ticket = _ticket_or_404(request)
    operator = account_of(request).username
    fields: Dict[str, Any] = {}
    corrections = []
    if edit.category:
        category = _category(request, edit.category)
        fields.update(category=CategoryRef(level1=category.level1, level2=category.level2, level3=category.level3,
                                           confidence=1.0),
                      department=category.department, sla_days=category.sla_days)
        corrections.append(("category", _path(ticket), category.path))
        if not edit.urgency:
            # a category an operator settles is certain: its least grade applies (one the agent guessed
            # with little confidence set none, settings/thresholds.yml category_grade_from)
            floor = default_rules().with_floor(Urgency(level=ticket.urgency, reasons=list(ticket.urgency_reasons)),
                                               category.default_urgency)
            if floor.level != ticket.urgency:
                fields.update(urgency=floor.level, urgency_reasons=floor.reasons)
    if edit.place:
        fields["location"] = _place(edit.place)
        corrections.append(("place", ticket.location.dict(), fields["location"].dict()))
    if edit.urgency and edit.urgency != ticket.urgency:
        fields.update(urgency=edit.urgency, urgency_reasons=[f"坐席调整：{edit.note or '人工判定'}"])
        corrections.append(("urgency", ticket.urgency, edit.urgency))
    if not fields:
        return json_error(400, "nothing to change: send category, place or urgency")
    try:
        changed = request.app["store"].amend(ticket.id, f"operator:{operator}", edit.note, seen=edit.version, **fields)
    except StaleTicket as exc:
        return _stale(exc)
    if changed.status != "open":
        return json_error(409, f"工单{ticket.id}已办结，不能再修改", ticket=_shown(changed))
    for field, predicted, corrected in corrections:
        if predicted != corrected:  # what the agent had right is no correction
            request.app["inbox"].add(field, ticket.description, predicted, corrected, operator, ticket.id)
    request.app["audit"].record(operator, "edit", ticket.id, **{f: c for f, _, c in corrections}, note=edit.note)
    request.app["delivery_worker"].wake()
    return web.json_response({"ticket": _shown(changed)}, dumps=dumps)


def _path(ticket: Ticket) -> Optional[str]:
    return "/".join(p for p in (ticket.category.level1, ticket.category.level2, ticket.category.level3) if p) or None


def tell_resident(request: web.Request, ticket: Ticket, text: str) -> bool:
    """A message to the resident on their channel (web page poll, WeChat customer service, the
    hotline's callback list); False when the ticket came without a conversation."""
    resident = ticket.resident_id()
    if not resident or ticket.channel not in CONVERSATION_CHANNELS:
        return False
    request.app["notifications"].add(resident, ticket.channel, [{"text": text}])
    return True


async def decide(request: web.Request) -> web.Response:
    action = request.match_info["decision"]
    decision = await read_model(request, Decision)
    ticket = _ticket_or_404(request)
    operator = account_of(request).username
    decisions = request.app["review_decisions"]
    actor = f"operator:{operator}"
    held = request.app["review_queue"].review_of(ticket.id).get("held", False)
    try:
        if action == "approve":
            decided = decisions.approve(ticket.id, actor, decision.version, decision.note)
            told = f"您的工单{ticket.id}已经人工复核，已派至{decided.department or '承办部门'}办理。"
        elif action == "reject":
            decided = decisions.reject(ticket.id, actor, decision.reason or "", decision.version)
            told = f"您的工单{ticket.id}经人工复核不予受理，原因：{decision.reason.strip()}。如有疑问请再次联系我们。"
        else:
            if not decision.into:
                return json_error(400, "merge needs 'into': the ticket to merge into")
            decided = decisions.merge(ticket.id, decision.into.strip(), actor, decision.version)
            told = f"您反映的问题与工单{decided.duplicate_of}相同，已合并办理，办结后会一并答复您。"
    except StaleTicket as exc:
        return _stale(exc)
    except ReviewError as exc:
        return json_error(409, str(exc))
    # a ticket that was delivered when filed needs no news on approval; every other decision does
    notified = tell_resident(request, decided, told) if (action != "approve" or held) else False
    request.app["audit"].record(operator, action, ticket.id, reason=decision.reason, into=decision.into,
                                note=decision.note, resident_told=notified)
    request.app["delivery_worker"].wake()
    return web.json_response({"ticket": _shown(decided), "resident_told": notified}, dumps=dumps)


async def reply(request: web.Request) -> web.Response:
    said = await read_model(request, Reply)
    ticket = _ticket_or_404(request)
    operator = account_of(request).username
    if not tell_resident(request, ticket, f"【人工坐席】{said.text.strip()}"):
        return json_error(409, f"工单{ticket.id}来自{ticket.channel}，没有可以回复的会话")
    request.app["audit"].record(operator, "reply", ticket.id, text=said.text)
    return web.json_response({"sent": True})


async def correct_intent(request: web.Request) -> web.Response:
    """The agent read one of the resident's messages as the wrong intent (「快点处理」 at the summary
    as a status question): the message and the right intent go to the NLU inbox. The ticket
    itself does not change, so no version is needed."""
    said = await read_model(request, IntentCorrection)
    ticket = _ticket_or_404(request)
    intents = correctable_intents()
    if said.intent not in intents:
        return json_error(422, f"意图须是以下之一：{'、'.join(intents)}")
    if not _conversed(ticket):
        return json_error(409, f"工单{ticket.id}来自{ticket.channel}，没有与机器人的对话")
    told = [s for s in (await transcript(request.app, ticket.reporter))["said"]
            if s["who"] == "resident" and s["text"] == said.text]
    if not told:
        return json_error(422, "这句话不在该工单居民的对话记录里")
    if told[-1].get("intent") == said.intent:
        return json_error(409, f"机器人已把这句话理解为 {said.intent}，无需更正")
    operator = account_of(request).username
    example = request.app["inbox"].add("intent", said.text, told[-1].get("intent"), said.intent, operator, ticket.id)
    request.app["audit"].record(operator, "intent_correction", ticket.id, text=said.text,
                                predicted=told[-1].get("intent"), corrected=said.intent)
    return web.json_response({"example": example.dict()}, dumps=dumps)


async def categories(request: web.Request) -> web.Response:
    taxonomy = request.app["taxonomy"]
    return web.json_response([{"path": p, "department": taxonomy.get(p).department} for p in taxonomy.paths()],
                             dumps=dumps)


async def ticket_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(request.app["console_static"] / "ticket.html")


ROUTES = [web.get("/api/console/tickets/{ticket_id}", get_ticket),
          web.post("/api/console/tickets/{ticket_id}/edit", edit_ticket),
          web.post("/api/console/tickets/{ticket_id}/{decision:approve|reject|merge}", decide),
          web.post("/api/console/tickets/{ticket_id}/reply", reply),
          web.post("/api/console/tickets/{ticket_id}/intent", correct_intent),
          web.get("/api/console/categories", categories),
          web.get("/console/tickets/{ticket_id}", ticket_page)]

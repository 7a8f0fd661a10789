"""What the console keeps for people other than operators: the NLU inbox of operators'
corrections for trainers (GET /api/console/inbox, page /console/inbox; POST
/api/console/inbox/decide accepts category corrections into training_data/problems/corrections.yml,
intent corrections into training_data/nlu/corrections.yml and urgency corrections into
training_data/urgency/corrections.yml, or sets examples aside) and the audit log for admins (GET /api/console/audit)."""
from __future__ import annotations

from typing import List

from aiohttp import web
from pydantic import BaseModel, Field, validator

from appserver.console_auth import account_of
from appserver.errors import json_error, query_limit, read_model
from classifiers.corrections import (CORRECTIONS_FILE, INTENT_CORRECTIONS_FILE, URGENCY_CORRECTIONS_FILE, AcceptReport,
                                     add_corrections, add_intent_corrections, add_urgency_corrections,
                                     correctable_intents)
from common.json_body import dumps
from console.inbox import FIELDS, STATES

TRAINABLE = ("category", "intent", "urgency")  # a place correction is checked against the gazetteer, not trained


class Decision(BaseModel):
    ids: List[int] = Field(..., min_items=1, max_items=500)
    decision: str

    @validator("decision")
    def _known(cls, value: str) -> str:
        if value not in ("accept", "reject"):
            raise ValueError("must be accept or reject")
        return value


async def inbox(request: web.Request) -> web.Response:
    state, field = request.query.get("state", "pending"), request.query.get("field") or None
    if state not in (*STATES, "all"):
        return json_error(400, f"'state' must be one of {', '.join((*STATES, 'all'))}")
    if field and field not in FIELDS:
        return json_error(400, f"'field' must be one of {', '.join(FIELDS)}")
    found = request.app["inbox"].list(None if state == "all" else state, field, limit=query_limit(request))
    return web.json_response({"counts": request.app["inbox"].counts(), "examples": [e.dict() for e in found]},
                             dumps=dumps)


async def decide(request: web.Request) -> web.Response:
    """Accept: category, intent and urgency corrections are written as training examples (already there: accepted;
    a conflict with an existing example or another kind of correction: left pending, with why).
    Reject: set aside."""
    wanted = await read_model(request, Decision)
    trainer = account_of(request).username
    inbox = request.app["inbox"]
    found = inbox.pending(wanted.ids)
    if wanted.decision == "reject":
        done = inbox.decide([e.id for e in found], "rejected", trainer)
        request.app["audit"].record(trainer, "inbox_reject", None, ids=[e.id for e in found])
        return web.json_response({"rejected": done, "not_pending": sorted(set(wanted.ids) - {e.id for e in found})})
    categories = [e for e in found if e.field == "category"]
    intents = [e for e in found if e.field == "intent"]
    urgencies = [e for e in found if e.field == "urgency"]
    trainable = categories + intents + urgencies
    try:
        report = AcceptReport(
            add_corrections([(e.text, e.corrected) for e in categories], request.app["taxonomy"], CORRECTIONS_FILE).outcomes
            + add_intent_corrections([(e.text, e.corrected) for e in intents], correctable_intents(),
                                     INTENT_CORRECTIONS_FILE).outcomes
            + add_urgency_corrections([(e.text, e.corrected) for e in urgencies], URGENCY_CORRECTIONS_FILE).outcomes)
    except (OSError, ValueError) as exc:  # nothing was written, nothing is marked accepted
        return json_error(422, str(exc))
    accepted = [e.id for e, o in zip(trainable, report.outcomes) if o.result in ("added", "already")]
    inbox.decide(accepted, "accepted", trainer)
    outcomes = [{"id": e.id, "result": o.result, "detail": o.detail} for e, o in zip(trainable, report.outcomes)]
    outcomes += [{"id": e.id, "result": "not_trainable", "detail": f"{e.field} corrections are checked, not trained on"}
                 for e in found if e.field not in TRAINABLE]
    request.app["audit"].record(trainer, "inbox_accept", None, ids=accepted, added=report.count("added"),
                                conflicts=report.count("conflict"))
    return web.json_response({"accepted": len(accepted), "added": report.count("added"), "outcomes": outcomes,
                              "not_pending": sorted(set(wanted.ids) - {e.id for e in found}),
                              "next": "train new versions on /console/models (or `intake train`), then activate them"},
                             dumps=dumps)


async def audit(request: web.Request) -> web.Response:
    found = request.app["audit"].list(actor=request.query.get("actor") or None,
                                      target=request.query.get("target") or None,
                                      limit=query_limit(request, maximum=1000))
    return web.json_response([e.dict() for e in found], dumps=dumps)


async def inbox_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(request.app["console_static"] / "inbox.html")


ROUTES = [web.get("/api/console/inbox", inbox), web.post("/api/console/inbox/decide", decide),
          web.get("/api/console/audit", audit),
          web.get("/console/inbox", inbox_page)]

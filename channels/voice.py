"""Hotline calls as speech-recognition transcripts: POST /webhooks/voice/webhook on the Rasa server,
for a call-centre or ASR system.

Body: {"call_id", "caller", "segments": [{"speaker": "caller"|"agent", "text", "start", "end"}],
"final": true|false}. Segments may come in parts while the call goes on (`final: false`: nothing is
filed, the answer says what the operator should still ask) and whole at the end; segments are
merged per call in Redis (shared by every Rasa server) and read in time order. A final call files
one ticket per complete problem (several problems → several tickets, each with the call id as
its reporter and the caller's number as its contact) and says what is missing for the rest; the same call posted again gets the same answer and
files nothing new (the answer is kept per call, and each ticket's idempotency key is the call id
and the problem's place in it). A call that reports nothing — 「你们几点下班」, as the dialogue
model's intent says — files nothing.

Answer: {"call_id", "final", "report", "tickets": [{"id", "category", "location", "urgency",
"duplicate_of"}], "missing": [...], "ask": [...], "issues": [...]}.

The hotline operator leads the conversation, so the call is not run through the dialogue: the
channel reads it with the same NLU (nlu/transcript.py, nlu/call_report.py) and files directly.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from pydantic import BaseModel, Field, ValidationError, validator
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from common.json_body import parse_json_object
from common.privacy import mask_id
from common.redis_connection import redis_from_environment
from common.validation import field_problems
from dispatch.location import Address
from dispatch.schema import TicketIn, part_key
from dispatch.store import TicketStore, is_repeat
from nlu.analysis import Analyzer
from nlu.call_report import CallReport, read_report
from nlu.transcript import SPEAKERS, Segment, read_call, voice_settings
from nlu.subject import subject_of
from nlu.urgency import needs_top_review

log = logging.getLogger(__name__)
SEGMENTS_TTL_S = 4 * 3600  # a call's parts are kept this long
ANSWER_TTL_S = 7 * 24 * 3600  # a final call's answer, for retries


class CallSegment(Segment):
    @validator("speaker")
    def _known_speaker(cls, value: str) -> str:
        if value not in SPEAKERS:
            raise ValueError(f"speaker must be one of {', '.join(SPEAKERS)}")
        return value

    @validator("start")
    def _not_negative(cls, value: float) -> float:
        if value < 0:
            raise ValueError("start must not be negative")
        return value


class CallIn(BaseModel):
    call_id: str = Field(..., min_length=1, max_length=128)
    caller: Optional[str] = Field(None, max_length=40)
    segments: List[CallSegment] = []
    final: bool = False

    @validator("call_id")
    def _no_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("call_id is blank")
        return value.strip()


class VoiceInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "voice"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "VoiceInput":
        return cls()

    def __init__(self) -> None:
        self.redis = redis_from_environment()
        self._analyzer: Optional[Analyzer] = None
        self._store: Optional[TicketStore] = None

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            self._analyzer = Analyzer.default()
        return self._analyzer

    @property
    def store(self) -> TicketStore:
        if self._store is None:
            self._store = TicketStore()
        return self._store

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("voice_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                call = CallIn.parse_obj(parse_json_object(request.body, "a call: call_id, caller, segments, final"))
            except ValueError as exc:  # ValidationError is one too
                reason = field_problems(exc) if isinstance(exc, ValidationError) else str(exc)
                return response.json({"error": reason}, status=400, ensure_ascii=False)
            too_big = self._too_big(call)
            if too_big:
                return response.json({"error": too_big}, status=413, ensure_ascii=False)
            answered = self.redis.get(f"voice:answer:{call.call_id}")
            if answered:  # a retry of a call already answered in full
                return response.text(answered, content_type="application/json")
            segments = await asyncio.to_thread(self._merged, call)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"error": "the dialogue model is not loaded yet; try again shortly"}, status=503)
            read = read_call(segments)
            intent = None
            if read.report.strip():
                parsed = await agent.parse_message(read.report)
                intent = (parsed.get("intent") or {}).get("name")
            report = await asyncio.to_thread(read_report, read, self.analyzer, intent)
            answer = await asyncio.to_thread(self._answer, call, report, read.contact)
            body = json.dumps(answer, ensure_ascii=False, default=str)
            if call.final:
                self.redis.set(f"voice:answer:{call.call_id}", body, ex=ANSWER_TTL_S)
                log.info("call %s from %s: %d ticket(s), missing %s", call.call_id, mask_id(call.caller or ""),
                         len(answer["tickets"]), answer["missing"])
            return response.text(body, content_type="application/json")

        return hook

    @staticmethod
    def _too_big(call: CallIn) -> Optional[str]:
        limits = voice_settings().limits
        if len(call.segments) > limits.max_segments:
            return f"{len(call.segments)} segments; a call may have at most {limits.max_segments}"
        chars = sum(len(s.text) for s in call.segments)
        if chars > limits.max_chars:
            return f"{chars} characters of transcript; a call may have at most {limits.max_chars}"
        return None

    def _merged(self, call: CallIn) -> List[Segment]:
        """Every segment of the call so far, this request's included: a segment sent again (same
        speaker, start and text) counts once; segments without times keep the order they came in."""
        key = f"voice:segments:{call.call_id}"
        if call.segments:
            arrived = self.redis.hlen(key)
            for number, s in enumerate(call.segments):
                digest = hashlib.sha1(s.text.encode("utf-8")).hexdigest()[:16]
                self.redis.hsetnx(key, f"{s.speaker}|{s.start:.3f}|{digest}",
                                  json.dumps({"seq": arrived + number, **s.dict()}, ensure_ascii=False))
            self.redis.expire(key, SEGMENTS_TTL_S)
        stored = [json.loads(v) for v in self.redis.hvals(key)]
        stored.sort(key=lambda s: (s["start"], s.pop("seq")))
        return [Segment(**s) for s in stored]

    def _answer(self, call: CallIn, report: CallReport, contact: str = "") -> Dict[str, Any]:
        settings = voice_settings()
        missing = list(report.missing)
        issues, tickets = [], []
        for number, issue in enumerate(report.issues, start=1):
            analysis = issue.analysis
            missing += [m for m in issue.missing if m not in missing]
            issues.append({"description": analysis["description"], "category": analysis["category"],
                           "urgency": analysis["urgency"]["level"], "location": analysis["location"],
                           "missing": issue.missing})
            if call.final and issue.complete:
                tickets.append(self._file(call, number, analysis, contact))
        return {"call_id": call.call_id, "final": call.final, "report": report.is_report, "tickets": tickets,
                "missing": missing, "ask": [settings.ask[m] for m in missing if m in settings.ask],
                "issues": issues}

    def _file(self, call: CallIn, number: int, analysis: Dict[str, Any], contact: str = "") -> Dict[str, Any]:
        """One ticket of the call; its contact the number the caller gave (``contact``), else the line they
        rang from."""
        category = analysis["category"]
        ticket_in = TicketIn.from_analysis(
            str(analysis["description"]), category, analysis["location"], analysis["urgency"]["level"],
            analysis["urgency"]["reasons"], needs_top_review(analysis["urgency"]["reasons"]),
            channel="voice", reporter=call.call_id, contact=contact or call.caller,
            subject=subject_of(str(analysis["description"])), idempotency_key=part_key(f"voice:{call.call_id}", number))
        ticket, created = self.store.file(ticket_in, category.get("sla_days"))
        place = Address.from_dict(ticket.location.dict())
        # urged: the caller's own open ticket about this problem, a 催办 recorded on it instead of a new one
        return {"id": ticket.id, "urgency": ticket.urgency, "duplicate_of": ticket.duplicate_of,
                "urged": is_repeat(ticket_in, ticket, created),
                "category": "/".join(p for p in (ticket.category.level1, ticket.category.level2,
                                                 ticket.category.level3) if p),
                "location": place.display() or place.text, "department": ticket.department}

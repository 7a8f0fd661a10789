"""The ticket schema shared by the actions, the store and the Open311 API (pydantic v1,
the version Rasa 3.6 runs with)."""
from __future__ import annotations

import json
import re
from datetime import datetime
from typing import List, Optional

from pydantic import BaseModel, Field, root_validator, validator

from common import clock
from common.privacy import mask_pii
from dispatch.location import Address as Location

CHANNELS = ("web", "wechat", "voice", "open311", "api")
URGENCIES = ("特急", "紧急", "一般")
STATUSES = ("open", "closed")
MAX_DESCRIPTION = 20000
# a place the gazetteer could not confirm goes to an operator before dispatch
REVIEW_PLACEMENTS = ("unknown", "choose", "outside")
# several problems told at once are filed as parts of one submission: idempotency keys 「K#1」「K#2」 …
PART_MARK = "#"


def part_key(submission: str, number: int) -> str:
    """The idempotency key of the ``number``-th problem of one submission."""
    return f"{submission}{PART_MARK}{number}"


def submission_of(key: Optional[str]) -> Optional[str]:
    """The submission a part's key belongs to (「K」 of 「K#2」), or None for a ticket filed alone."""
    return key.rsplit(PART_MARK, 1)[0] if key and PART_MARK in key else None


# letters and digits mixed, as channels make user ids (never a bare phone or ID number)
OPAQUE_ID = re.compile(r"(?=[\w-]*[A-Za-z_])(?=[\w-]*\d)[A-Za-z0-9_-]{8,128}")


def reporter_key(value: Optional[str]) -> Optional[str]:
    """A reporter as tickets store it, and as they are looked up by it. A channel's opaque user id (a
    web page's random id, a WeChat openid, a call id) is kept as it is: it is how the resident's
    conversation is found again, and the API masks it on the way out. A name or number a client sent
    as the reporter is stored masked; the contact stays callable for the department."""
    if not value or OPAQUE_ID.fullmatch(value):
        return value
    return mask_pii(value)


class CategoryRef(BaseModel):
    level1: Optional[str] = None
    level2: Optional[str] = None
    level3: Optional[str] = None
    confidence: Optional[float] = None


#: channels whose reporter is no resident's identity, their contact is: a call's id, a name an API client sent
CONTACT_IDENTIFIED = ("voice", "open311")


class TicketIn(BaseModel):
    """What a channel or an API client submits."""

    description: str = Field(..., min_length=1, max_length=MAX_DESCRIPTION)
    channel: str = "web"
    reporter: Optional[str] = None
    contact: Optional[str] = None
    category: CategoryRef = CategoryRef()
    department: Optional[str] = None
    location: Location = Location()
    urgency: str = "一般"
    urgency_reasons: List[str] = []
    urgency_review: bool = False  # graded below 特急 but perhaps 特急: a person confirms (the urgent queue)
    needs_review: bool = False
    idempotency_key: Optional[str] = Field(None, max_length=200)
    media: List[str] = Field([], max_items=9)  # photos' URLs (GeoReport media_url is the first)
    # what the problem is about, as the language side reads it (nlu/subject.py: 「电梯」, 「楼道灯」): two open
    # tickets of one category at one place are one problem only when their subjects meet; None: unknown
    subject: Optional[str] = Field(None, max_length=100)

    @validator("media", each_item=True)
    def _url(cls, value: str) -> str:
        if not value or len(value) > 500 or not (value.startswith(("http://", "https://", "/media/"))):
            raise ValueError("a photo is an http(s) URL or /media/<name>, at most 500 characters")
        return value

    @validator("description")
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("description is empty")
        return value.strip()

    @validator("channel")
    def _known_channel(cls, value: str) -> str:
        if value not in CHANNELS:
            raise ValueError(f"channel must be one of {CHANNELS}")
        return value

    @validator("urgency")
    def _known_urgency(cls, value: str) -> str:
        if value not in URGENCIES:
            raise ValueError(f"urgency must be one of {URGENCIES}")
        return value

    @validator("reporter")
    def _masked(cls, value: Optional[str]) -> Optional[str]:
        return reporter_key(value)


    @classmethod
    def from_analysis(cls, description: str, category: Optional[dict], location: Optional[dict],
                      urgency: str, urgency_reasons: List[str], urgency_review: bool = False,
                      **extra) -> "TicketIn":
        """Build a ticket from a category prediction as /api/analyze and the NLU produce it."""
        category = category or {}
        return cls(description=description,
                   category={k: category.get(k) for k in ("level1", "level2", "level3", "confidence")},
                   department=category.get("department"), location=location or {},
                   urgency=urgency or "一般", urgency_reasons=urgency_reasons or [],
                   urgency_review=urgency_review and urgency != "特急",
                   needs_review=bool(category.get("needs_review", not category))
                   or (location or {}).get("placement") in REVIEW_PLACEMENTS, **extra)

    def resident_id(self) -> Optional[str]:
        """Whose conversation the ticket came from, as channels key it: the reporter (the sender id,
        masked if it held a number); for a hotline call the caller's number, kept as the contact (its
        reporter is the call id), and for a city app's request (Open311) its phone or e-mail (its
        reporter is a name, which two residents may share). None for an anonymous report."""
        return (self.contact or None) if self.channel in CONTACT_IDENTIFIED else self.reporter


class Ticket(TicketIn):
    """``immediate_dispatch``: 特急 tickets skip the queue (即接即办), whatever else the store says."""

    immediate_dispatch: bool = False
    id: str
    created_at: datetime
    updated_at: datetime
    deadline: datetime
    respond_by: datetime
    status: str = "open"
    status_notes: Optional[str] = None
    duplicate_of: Optional[str] = None
    reporters_count: int = 1
    grade: Optional[str] = None  # A 社区 / B 街道 / C 区 / D 市 (settings/sla.yml)
    grade_reason: Optional[str] = None

    @root_validator(skip_on_failure=True)
    def _dispatch_now(cls, values: dict) -> dict:
        values["immediate_dispatch"] = values.get("urgency") == "特急"
        return values


DATETIME_FIELDS = ("created_at", "updated_at", "deadline", "respond_by")

#: how a ticket maps onto a GeoReport v2 service request (appserver/open311.py builds it this way)
GEOREPORT_V2_MAPPING = {
    "service_request_id": "id",
    "service_code": "category.level1/category.level2/category.level3 (services.json lists the codes)",
    "service_name": "category.level3, else category.level2",
    "description": "description",
    "agency_responsible": "department",
    "status": "status (open | closed)",
    "status_notes": "status_notes",
    "requested_datetime": "created_at",
    "updated_datetime": "updated_at",
    "expected_datetime": "deadline",
    "address_string / address": "location.text",
    "lat": "location.lat",
    "long": "location.lng",
    "media_url": "media[0] (the first photo; all of them in media)",
    "attribute[urgency]": "urgency (特急 | 紧急 | 一般)",
    "attribute[grade]": "grade (A 社区 | B 街道 | C 区 | D 市)",
    "attribute[respond_by]": "respond_by",
    "attribute[district]": "location.district",
    "attribute[street]": "location.street",
    "attribute[community]": "location.community",
    "attribute[estate]": "location.estate",
    "attribute[building]": "location.building",
    "attribute[unit]": "location.unit",
    "attribute[room]": "location.room",
    "first_name / last_name": "reporter (masked)",
    "phone / email": "contact (masked in public answers)",
    "idempotency_key (extension)": "idempotency_key",
}


def ticket_document(ticket: Ticket, include_contact: bool = True) -> dict:
    """A ticket as JSON for other systems (webhook body, exports): times with the deployment's
    zone; the contact masked unless the receiver is trusted to call the resident back."""
    document = json.loads(ticket.json(ensure_ascii=False))
    for name in DATETIME_FIELDS:
        value = getattr(ticket, name)
        document[name] = clock.aware(value).isoformat(timespec="seconds") if value else None
    if not include_contact and document.get("contact"):
        document["contact"] = mask_pii(document["contact"])
    return document


def _nullable_optionals(model_schema: dict) -> None:
    """pydantic 1 leaves `null` out of Optional fields; the documents we send carry it."""
    required = set(model_schema.get("required", []))
    for name, prop in model_schema.get("properties", {}).items():
        if name not in required:
            model_schema["properties"][name] = {"anyOf": [prop, {"type": "null"}],
                                                **{k: prop[k] for k in ("title", "default") if k in prop}}


def ticket_json_schema() -> dict:
    """The Ticket model as JSON Schema, with its GeoReport v2 mapping (GET /api/schema/ticket.json)."""
    schema = Ticket.schema()
    for model_schema in (schema, *schema.get("definitions", {}).values()):
        _nullable_optionals(model_schema)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["$id"] = "/api/schema/ticket.json"
    schema["x-georeport-v2"] = GEOREPORT_V2_MAPPING
    return schema

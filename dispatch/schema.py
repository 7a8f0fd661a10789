"""The ticket schema shared by the actions, the store and the Open311 API (pydantic v1,
the version Rasa 3.6 runs with)."""
from __future__ import annotations

from datetime import datetime
from typing import List, Optional

from pydantic import BaseModel, Field, root_validator, validator

from intake.privacy import mask_pii
from nlu.address import Address as Location

CHANNELS = ("web", "wechat", "voice", "open311", "api")
URGENCIES = ("特急", "紧急", "一般")
STATUSES = ("open", "closed")
MAX_DESCRIPTION = 20000
# a place the gazetteer could not confirm goes to an operator before dispatch
REVIEW_PLACEMENTS = ("unknown", "choose", "outside")


class CategoryRef(BaseModel):
    level1: Optional[str] = None
    level2: Optional[str] = None
    level3: Optional[str] = None
    confidence: Optional[float] = None


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
    needs_review: bool = False
    idempotency_key: Optional[str] = Field(None, max_length=200)

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
        # the contact stays callable for the department; the API masks it on the way out
        return mask_pii(value) if value else value


    @classmethod
    def from_analysis(cls, description: str, category: Optional[dict], location: Optional[dict],
                      urgency: str, urgency_reasons: List[str], **extra) -> "TicketIn":
        """Build a ticket from a category prediction as /api/analyze and the NLU produce it."""
        category = category or {}
        return cls(description=description,
                   category={k: category.get(k) for k in ("level1", "level2", "level3", "confidence")},
                   department=category.get("department"), location=location or {},
                   urgency=urgency or "一般", urgency_reasons=urgency_reasons or [],
                   needs_review=bool(category.get("needs_review", not category))
                   or (location or {}).get("placement") in REVIEW_PLACEMENTS, **extra)


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

    @root_validator(skip_on_failure=True)
    def _dispatch_now(cls, values: dict) -> dict:
        values["immediate_dispatch"] = values.get("urgency") == "特急"
        return values

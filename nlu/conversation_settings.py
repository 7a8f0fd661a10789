"""settings/conversation.yml: the words the conversation judges messages by, read once."""
from __future__ import annotations

from functools import lru_cache
import re
from typing import Dict, List, Optional

from pydantic import BaseModel, Field, ValidationError, root_validator, validator

from common.paths import SETTINGS_DIR
from common.yaml_file import read_yaml

URGENCY_CLAIM_LEVELS = ("紧急", "一般")
HANDOFF_KINDS = ("distressed", "abusive", "about_service")
RATINGS = ("满意", "基本满意", "不满意")


class ConversationSettingsError(ValueError):
    pass


FOLLOW_UP_SLOTS = ("detail_since", "detail_households", "contact")


class FollowUp(BaseModel):
    """A detail asked for reports of ``categories`` that match ``when_present`` (if given), unless
    ``when_missing`` finds it in the report already."""

    slot: str
    categories: List[str]
    when_present: Optional[str] = None
    when_missing: Optional[str] = None

    @validator("slot")
    def _known(cls, value: str) -> str:
        if value not in FOLLOW_UP_SLOTS:
            raise ValueError(f"slot must be one of {FOLLOW_UP_SLOTS}")
        return value

    @validator("when_present", "when_missing")
    def _pattern(cls, value: Optional[str]) -> Optional[str]:
        if value:
            re.compile(value)
        return value

    def needed(self, category: Dict[str, object], report: str) -> bool:
        names = {category.get(k) for k in ("level1", "level2", "level3")}
        if not names & set(self.categories):
            return False
        if self.when_present and not re.search(self.when_present, report or ""):
            return False
        return not (self.when_missing and re.search(self.when_missing, report or ""))


class ServiceAnswer(BaseModel):
    """A question about the service itself (the ask_how_to_report intent) that has its own answer: when the
    question holds one of ``asks``, ``answer`` is said instead of the general explanation."""

    asks: List[str] = Field(..., min_items=1)
    answer: str = Field(..., min_length=1)
    #: words that, said in a report's clause of their own, ask this too (nlu/reporter_concern.py), and the note
    #: the ticket then carries
    in_report: List[str] = []
    note: Optional[str] = None

    @root_validator(skip_on_failure=True)
    def _noted(cls, values: dict) -> dict:
        if bool(values.get("in_report")) != bool(values.get("note")):
            raise ValueError("in_report and note come together: the words asking it in a report, and the ticket's note")
        return values


class ConversationSettings(BaseModel):
    request_words: List[str]
    request_fillers: List[str]
    correction_openers: List[str]
    urgency_claims: Dict[str, List[str]]
    handoff_lexicon: Dict[str, List[str]]
    crisis_advice: str
    handoff_after_failed_turns: int = 2
    handoff_reply: str
    #: said when a resident asks again while the conversation already waits for a person
    handoff_waiting_reply: str
    amend_window_minutes: float = 30
    session_expires_after_minutes: float = 60
    satisfaction_words: Dict[str, List[str]] = {}
    satisfaction_scores: Dict[int, str] = {}
    follow_ups: List[FollowUp] = []
    skip_words: List[str] = []
    same_place_words: List[str] = []
    inquiry: Dict[str, List[str]] = {}
    route_categories: List[str] = []
    service_answers: List[ServiceAnswer] = []

    def service_answer(self, question: str) -> Optional[ServiceAnswer]:
        """What settings/conversation.yml answers to this question about the service, or None."""
        return next((a for a in self.service_answers if any(word in (question or "") for word in a.asks)), None)

    def takes_route(self, category: Dict[str, object]) -> bool:
        """A bus line can be this category's place (settings/conversation.yml route_categories)."""
        return bool({category.get(k) for k in ("level1", "level2", "level3")} & set(self.route_categories))

    @validator("satisfaction_words")
    def _ratings(cls, value: Dict[str, List[str]]) -> Dict[str, List[str]]:
        unknown = set(value) - set(RATINGS)
        if unknown or not value:
            raise ValueError(f"ratings must be {RATINGS}, got {sorted(value)}")
        return value

    @validator("satisfaction_scores")
    def _scores(cls, value: Dict[int, str]) -> Dict[int, str]:
        unknown = set(value.values()) - set(RATINGS)
        if unknown or any(score < 1 for score in value):
            raise ValueError(f"scores (1 or more) must map to {RATINGS}, got {value}")
        return value

    @validator("session_expires_after_minutes", "amend_window_minutes")
    def _minutes(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("must be a positive number of minutes")
        return value

    @validator("request_words", "request_fillers", "correction_openers")
    def _phrases(cls, value: List[str]) -> List[str]:
        if not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError("must be a non-empty list of phrases")
        # longest first, so that 不是的 is taken before 不是
        return sorted((v.strip() for v in value), key=len, reverse=True)

    @validator("urgency_claims")
    def _claims(cls, value: Dict[str, List[str]]) -> Dict[str, List[str]]:
        unknown = set(value) - set(URGENCY_CLAIM_LEVELS)
        if unknown:
            raise ValueError(f"levels must be among {URGENCY_CLAIM_LEVELS}, got {sorted(unknown)}")
        return {level: sorted(words, key=len, reverse=True) for level, words in value.items()}

    @validator("handoff_lexicon")
    def _kinds(cls, value: Dict[str, List[str]]) -> Dict[str, List[str]]:
        unknown = set(value) - set(HANDOFF_KINDS)
        if unknown:
            raise ValueError(f"kinds must be among {HANDOFF_KINDS}, got {sorted(unknown)}")
        return value

    @validator("handoff_after_failed_turns")
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1")
        return value


@lru_cache(maxsize=1)
def conversation_settings() -> ConversationSettings:
    path = SETTINGS_DIR / "conversation.yml"
    data = read_yaml(path, ConversationSettingsError, "the conversation settings")
    if not isinstance(data, dict):
        raise ConversationSettingsError(f"{path}: expected a mapping (request_words, correction_openers, …)")
    try:
        return ConversationSettings(**data)
    except ValidationError as exc:
        raise ConversationSettingsError(f"{path}: {exc}") from exc

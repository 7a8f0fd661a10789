"""Conversation sessions expire after the time settings/conversation.yml gives
(`session_expires_after_minutes`), not the one trained into the model's domain: a deployment
changes it without retraining. Slots are not carried over by Rasa; our `action_session_start`
carries a half-told report over and asks whether to go on."""
from __future__ import annotations

from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import SessionConfig

from nlu.conversation_settings import conversation_settings

_original_init = MessageProcessor.__init__


def _init_with_session_settings(self: MessageProcessor, *args, **kwargs) -> None:
    _original_init(self, *args, **kwargs)
    minutes = conversation_settings().session_expires_after_minutes
    self.domain.session_config = SessionConfig(session_expiration_time=minutes, carry_over_slots=False)


def install() -> None:
    MessageProcessor.__init__ = _init_with_session_settings

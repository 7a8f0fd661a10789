"""Messages that go to a person at once: a resident in despair or danger, or abuse.

A keyword list is only the first net (settings/conversation.yml `handoff_lexicon`); the reply
to a distressed resident gives the crisis hotlines before anything else.
"""
from __future__ import annotations

from typing import Optional

from nlu.conversation_settings import HANDOFF_KINDS, conversation_settings
from nlu.normalize import normalize_text


def handoff_kind(text: str) -> Optional[str]:
    """「distressed」, 「abusive」 or 「about_service」 (in that order of precedence), or None."""
    work = normalize_text(text or "").lower()
    lexicon = conversation_settings().handoff_lexicon
    for kind in HANDOFF_KINDS:
        if any(word.lower() in work for word in lexicon.get(kind, [])):
            return kind
    return None

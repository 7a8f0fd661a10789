"""Cantonese typed by residents, read as Mandarin (settings/dialect.yml): 「我哋屋企停咗水成日喇」 was filed
under 小区管理 at 一般 — 停咗水 is no 停水 to the rules, and 咗, 哋 and 屋企 are words no model here learned.
Applied first in nlu/normalize.normalize_text, so the intents, the problem type, the urgency rules and
the place reader all read 「我们家里停了水整天喇」; the ticket keeps the resident's words."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Dict

from common.paths import SETTINGS_DIR
from common.yaml_file import read_yaml

SETTINGS = SETTINGS_DIR / "dialect.yml"


class DialectSettingsError(ValueError):
    pass


@lru_cache(maxsize=1)
def _reader() -> Callable[[str], str]:
    data = (read_yaml(SETTINGS, DialectSettingsError, "the dialect words") if SETTINGS.exists() else None) or {}
    words: Dict[str, str] = {str(k): str(v) for k, v in (data.get("words") or {}).items()}
    before_char: Dict[str, str] = {str(k): str(v) for k, v in (data.get("not_before_character") or {}).items()}
    alone: Dict[str, str] = {str(k): str(v) for k, v in (data.get("alone") or {}).items()}
    if not words and not before_char and not alone:
        return lambda text: text
    alternatives = [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    alternatives += [rf"{re.escape(w)}(?=[\u4e00-\u9fff])" for w in before_char]
    pattern = re.compile("|".join(alternatives)) if alternatives else None
    table = {**words, **before_char}

    def read(text: str) -> str:
        said = text.strip(_MARKS)
        if said in alone:
            return alone[said]
        return pattern.sub(lambda m: table[m.group(0)], text) if pattern else text

    return read


#: what is no part of a short answer said alone (「系啊！」)
_MARKS = " \t\n，。！？、,.!?~～…"


def as_mandarin(text: str) -> str:
    """``text`` with the dialect words of settings/dialect.yml replaced by their Mandarin."""
    return _reader()(text)

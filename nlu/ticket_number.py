"""A ticket's number as residents send it back (「20261201000003」「工单号20261201000003」).

The agent answers every filing with 「工单号：…」 and asks for the number when it finds no ticket of
the resident's own; a message that is only that number (perhaps with 工单号 or 查询 around it) is a
status question, whatever the intent model makes of fourteen digits.
"""
from __future__ import annotations

import re
from typing import Optional

#: the store's ticket numbers: the filing date and a six-digit sequence (dispatch/store.py)
TICKET_ID = re.compile(r"(?<!\d)(20\d{12})(?!\d)")
_AROUND = re.compile(r"[\s，,。.:：?？!！]|工单号?|单号|编号|查询|查一下|查下|帮我查|进度|是|我的|的")


def only_a_ticket_number(text: str) -> Optional[str]:
    """The ticket number ``text`` consists of, or None when it says anything else as well."""
    found = TICKET_ID.findall(text or "")
    if len(found) != 1:
        return None
    return found[0] if not _AROUND.sub("", TICKET_ID.sub("", text)) else None

"""What the agent says, as one plain text, for whatever cannot show buttons — a WeChat text
message (a passive reply or a customer-service message), a callback an operator reads out: a
message's buttons are listed as the words to answer with."""
from __future__ import annotations

from typing import Any, Dict, List


def as_plain_text(messages: List[Dict[str, Any]]) -> str:
    """Each button's title on a line of its own, unless the text already has that line (a title
    inside a sentence — 「满意」 in 「您满意吗？」 — is not an option the resident can see)."""
    text = "\n\n".join(m["text"] for m in messages if m.get("text"))
    for message in messages:
        for button in message.get("buttons") or []:
            if button["title"] not in (line.strip() for line in text.splitlines()):
                text += f"\n{button['title']}"
    return text

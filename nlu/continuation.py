"""A message that goes on from the one before: 「不过旁边已经有人放了锥桶围起来了」.

After a 特急 report was filed at once, the resident's next words were read as a new report (the intent
model hears a problem in them) and the agent asked 「这个问题也在「海景花园3栋」吗？」 as for another
ticket. Words that open by answering the last message — 不过, 但是, 而且, 补充一下 — carry a detail of
the problem just told, not a new one, unless they announce one (「不过还有个事…」「但是电梯也坏了」).
nlu/continuation_component.py makes such a message a detail (intent inform): the form or the summary
takes it as more about the problem, and after filing it is added to the ticket (action_amend_ticket).
"""
from __future__ import annotations

import re

from nlu.normalize import normalize_text

_OPENS = re.compile(r"^(?:不过|但是|但|可是|只是|而且|并且|补充一下|补充|再补充一下?|还要补充一下?|另外补充一下?)[，,：:\s]*")
#: a further problem announced after the opening word (nlu/split.py reads it as one)
_FURTHER = re.compile(r"还有|另外|另一|此外|也(?:坏|漏|不|没|有|在|是|被)|还要反映|还想反映|再反映|再说一")


def continues(text: str) -> bool:
    """``text`` opens by going on from the message before and names no further problem."""
    said = normalize_text(text or "").strip()
    opened = _OPENS.match(said)
    return bool(opened) and opened.end() < len(said) and not _FURTHER.search(said[opened.end():])

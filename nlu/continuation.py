"""A message that goes on from the one before: 「不过旁边已经有人放了锥桶围起来了」.

After a 特急 report was filed at once, the resident's next words were read as a new report (the intent
model hears a problem in them) and the agent asked 「这个问题也在「海景花园3栋」吗？」 as for another
ticket. Words that open by answering the last message — 不过, 但是, 而且, 补充一下 — carry a detail of
the problem just told, not a new one, unless they announce one (「不过还有个事…」「但是电梯也坏了」); so do
words telling how it is going now (「现在水越来越大了」: after a filing it was asked 「这个问题也在…吗？」).
nlu/continuation_component.py makes such a message a detail (intent inform): the form or the summary
takes it as more about the problem, and after filing it is added to the ticket (action_amend_ticket).
"""
from __future__ import annotations

import re

from nlu.normalize import normalize_text

_OPENS = re.compile(r"^(?:不过|但是|但|可是|只是|而且|并且|补充一下|补充|再补充一下?|还要补充一下?|另外补充一下?)[，,：:\s]*")
#: a further problem announced after the opening word (nlu/split.py reads it as one)
_FURTHER = re.compile(r"还有|另外|另一|此外|也(?:坏|漏|不|没|有|在|是|被)|还要反映|还想反映|再反映|再说一")


#: 「现在水越来越大了，已经漫到楼道了」 after a leak was filed: how the problem told is going now
_NOW = re.compile(r"^(?:现在|目前|这会儿|刚才|刚刚)[，,\s]*")
_WORSE = re.compile(r"越来越|更加?(?:大|多|严重|厉害|重|快|响|臭|浓)|加重|扩大|蔓延|还在(?:漏|冒|流|响|吵|烧|往|滴)|"
                    r"已经(?:漫|流|淹|渗|漏|烧|蔓延|扩散)")


_ADDING = re.compile(r"^(?:我|我再|我还)?(?:再|还要|另外)?补充(?:一下|一句|几句|个情况)?[，,：:\s]*")


def without_adding(text: str) -> str:
    """「补充一下，是从昨天开始的」 as a note on the ticket: 「是从昨天开始的」 (the note says 补充 already)."""
    rest = _ADDING.sub("", text.strip(), count=1)
    return rest or text


def continues(text: str) -> bool:
    """``text`` goes on from the message before — opens by answering it, or tells how the problem is going
    now — and names no further problem."""
    said = normalize_text(text or "").strip()
    opened = _OPENS.match(said) or (_NOW.match(said) if _WORSE.search(said) else None)
    return bool(opened) and opened.end() < len(said) and not _FURTHER.search(said[opened.end():])

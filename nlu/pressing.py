"""A resident pressing on a matter reported before, often more than once (催办): 「打了三次电话了」「一直没人修」.

Such a message is apologised to first (actions/query_status.py). When it also tells the problem and
where it is — 「我已经打过三次电话了，海景花园3栋门口的路灯还是没人修」 — it is a report again
(nlu/pressing_component.py): the agent had found no ticket of the resident's on this channel (the calls
went to the hotline) and asked them to tell it again, though they just had; filed, it is linked to the
open ticket at that place if there is one (合并办理).
"""
from __future__ import annotations

import re

PRESSING = re.compile(r"(?:打|反映|投诉|找|催)了?(?:[好几多两三四五六七八九十\d]+|很多|无数)(?:次|回|遍)|"
                      r"(?:次|回|遍)(?:电话|热线)|一直没人?(?:修|处理|解决|管|来)|没人管|没人理|不管事|管不管|没动静|"
                      r"还是老样子|效率太低|还是没人?(?:修|处理|解决|管|来)|还没(?:有)?人(?:来|修|处理|解决|管)|"
                      # 「都三天了还没人来修」 (read as a status question, and not urged)
                      r"都[好几多两三四五六七八九十\d]+(?:天|个?星期|周|个?礼拜|个?月)了")


def presses(text: str) -> bool:
    return bool(PRESSING.search(text or ""))


#: 「催一下」「帮我催催」「能不能催办」: the resident asks that their tickets be urged (催办)
URGING = re.compile(r"催(?:一下|一催|催|办|促)|快点处理|加快处理|抓紧处理")


def urges(text: str) -> bool:
    """``text`` asks to urge the matter, or presses on it (either is a 催办 for an open ticket)."""
    return bool(URGING.search(text or "")) or presses(text)


#: how soon: 「多久」「什么时候」「几天」
_HOW_SOON = r"多久|多长时间|多少天|几天|什么时候|啥时候|哪天|何时"
#: 「你们多久能处理」「要多长时间」「时限是多少」: the resident asks how soon, not where a ticket stands (asked at the summary)
ASKING_WHEN = re.compile(rf"{_HOW_SOON}|多快|时限|期限")
#: 「那大概多久能来修啊」「什么时候能处理」: how soon someone comes or the matter is done, asked of the hotline's
#: operator — no part of the report it follows (a report says 「不知道什么时候开始漏的」: no coming or doing)
ASKING_HOW_SOON = re.compile(rf"(?:{_HOW_SOON})(?:能|可以|会|才能|才会|才)?(?:来|派人|处理|修|解决|办|弄|搞|好|到|答复|回复|给)")


def asks_when(text: str) -> bool:
    return bool(ASKING_WHEN.search(text or ""))


def asks_how_soon(text: str) -> bool:
    return bool(ASKING_HOW_SOON.search(text or ""))

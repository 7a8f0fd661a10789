"""Why a resident withdraws a filed report: 「刚才那个不用处理了，灯已经好了」.

A filed ticket is the department's and is not withdrawn in the chat (actions/cancel_intake.py); the
resident who says why — the light works again, the neighbours sorted it out — was told 「也可以直接告诉我
现在的情况」 as if nothing had been said. The words besides the withdrawal are the news for the ticket.
"""
from __future__ import annotations

import re
from typing import Optional

from nlu.normalize import normalize_text
from nlu.vague import content_chars

#: a clause that only withdraws or points at the report withdrawn
_WITHDRAWING = re.compile(r"^(?:刚才|之前|前面|上面)?(?:那个|这个|的)?(?:工单|事情?|问题|诉求)?(?:就)?(?:不用|不要|不需要|别|无需)"
                          r"(?:再)?(?:处理|管|来|修|派人|报|登记)?了?(?:吧|啊)?$|^(?:取消|撤销|撤回|算了|不报了)(?:吧|了)?$|"
                          r"^(?:我要|我想|帮我|麻烦|请)?(?:取消|撤销|撤回)(?:一下)?(?:刚才|那个|这个)?(?:的)?(?:工单|诉求)?(?:吧)?$")
_CLAUSE = re.compile(r"[，,。！!？?；;\s]+")


def reason_given(text: str) -> Optional[str]:
    """The resident's words when they say more than that they withdraw the report, else None."""
    said = normalize_text(text or "").strip()
    rest = [c for c in _CLAUSE.split(said) if c and not _WITHDRAWING.match(c)]
    return said if sum(content_chars(c) for c in rest) >= 2 else None


#: 「我的那个工单 是不是已经办结了」「修好了吗」: asking whether the matter is done, in a withdrawal's words
_ASKS_IF_DONE = re.compile(r"(?:是不是|有没有|是否)(?:已经)?(?:办结|解决|处理|修好|办好|完成|弄好)|"
                           r"(?:办结|解决|处理|修好|办好|完成|弄好)(?:了)?(?:吗|没有?|没)[？?]?$")


def asks_if_done(text: str) -> bool:
    """The resident asks whether their matter is done (a status question), not that it be withdrawn."""
    return bool(_ASKS_IF_DONE.search(normalize_text(text or "").strip()))

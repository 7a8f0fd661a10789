"""A resident dropping the problem being told for another one: 「算了，说另一个事，小区门口垃圾没人清」.

Asked where the broken corridor light was, a resident who gives up on it and goes on to the rubbish
at the gate was filed as one ticket 「楼道灯坏了，算了，说另一个事，小区门口垃圾没人清」 under the
light's category. A 12345 operator hears the first problem dropped: the intake goes on with the new
one (actions/intake_form.told_more, actions/revise_intake), and the resident is told so.

Only words that drop the problem count — 「算了」 before another matter, 「先不说这个了」, 「换个问题」:
「还有一个事」 or 「说另一个事」 alone add a problem (nlu/split.py), they take nothing back.
"""
from __future__ import annotations

import re
from typing import Optional

from nlu.normalize import normalize_text
from nlu.vague import content_chars

#: 「这个先不说了」「那个就不报了」「先不提这个」: the problem told so far is dropped
_DROPPED = (r"(?:那个|这个|前面的?|刚才的?|上面的?|那件|这件)?(?:事情?|问题)?(?:先|就|暂时|也)?"
            r"(?:不说|不提|不报|不讲|不反映)(?:了|这个|那个|它)+")
#: 「说另一个事」「换个问题」「反映点别的」: another matter follows
_ANOTHER = (r"(?:我|那|那我)?(?:(?:换个|换一个)(?:事情?|问题)|(?:换个|换一个|换|说|讲|反映|报|问)(?:一下|点)?"
            r"(?:另一个|另外一个|另外个|另一件|另外一件|另外|别的|其他的?|个别的)(?:事情?|问题|情况)?)")
_SEP = r"[，,。！!：:；;\s]*"
_SWITCH = re.compile(rf"^(?:哎|唉|嗯|那)?{_SEP}(?:算了吧?{_SEP})?(?:{_DROPPED}{_SEP}(?:{_ANOTHER})?|(?<=[了，,。！!：:；;\s]){_ANOTHER}"
                     rf"|(?:换个|换一个)(?:事情?|问题))(?:吧|啊)?{_SEP}")


def other_problem(text: str) -> Optional[str]:
    """The problem the resident turns to when ``text`` drops the one told so far for it (「算了，说另一个
    事，小区门口垃圾没人清」 → 「小区门口垃圾没人清」), else None — also when nothing follows the words
    that drop it (「算了，说另一个事」 alone: the new problem is still to come)."""
    said = normalize_text(text or "").strip()
    switch = _SWITCH.match(said)
    if not switch:
        return None
    rest = said[switch.end():].strip()
    return rest if content_chars(rest) >= 2 else None


def drops_problem(text: str) -> bool:
    """``text`` drops the problem told so far, whether or not the new one follows (「算了，说另一个事」)."""
    return bool(_SWITCH.match(normalize_text(text or "").strip()))

"""Reading a resident's answer to 「您对处理结果满意吗？」: the rating and the reason given with it."""
from __future__ import annotations

import re
from typing import Optional, Tuple

from nlu.conversation_settings import conversation_settings
from nlu.normalize import normalize_text

#: what is left of 「还行吧，就是太慢了」 once 还行 is read: 「吧，」 is no reason (the ticket's rating said 「吧，就是太慢了」)
_LEFT_OVER = re.compile(r"^[吧啊呀呢嘛啦哈的了\s，。！？,.!?]+")


def read_rating(text: str) -> Tuple[Optional[str], str]:
    """(满意 | 基本满意 | 不满意 | None, the rest of the text as the reason)."""
    work = normalize_text(text or "")
    words = sorted(((w, rating) for rating, ws in conversation_settings().satisfaction_words.items() for w in ws),
                   key=lambda pair: len(pair[0]), reverse=True)
    for word, rating in words:
        if word in work:
            return rating, _LEFT_OVER.sub("", work.replace(word, "", 1)).strip("，。！？,.!? ")
    return None, work

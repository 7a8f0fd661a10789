"""Reading a resident's answer to 「您对处理结果满意吗？」: the rating and the reason given with it."""
from __future__ import annotations

import re
from typing import Optional, Tuple

from nlu.conversation_settings import conversation_settings
from nlu.normalize import normalize_text

#: what is left of 「还行吧，就是太慢了」 once 还行 is read: 「吧，」 is no reason (the ticket's rating said 「吧，就是太慢了」)
_LEFT_OVER = re.compile(r"^[吧啊呀呢嘛啦哈的了\s，。！？,.!?]+")


#: 「5分」「四星」「给3颗星」「满分」: a score instead of a word (「5分钟」 is no score)
_SCORE = re.compile(r"(?<![\d.])(?:给)?([1-9]|10|[一二两三四五])\s*(?:分(?!钟)|颗星|星)|满分")
_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}


def _scored(work: str) -> Optional[Tuple[str, str]]:
    scores = conversation_settings().satisfaction_scores
    found = _SCORE.search(work)
    if not found or not scores:
        return None
    said = found.group(1)
    value = max(scores) if said is None else int(said) if said.isdigit() else _DIGIT[said]
    # 「10分」 is full marks on the other common scale; 6–9 could be either, and the question is asked again
    rating = scores.get(max(scores) if value == 10 else value)
    if rating is None:
        return None
    return rating, _LEFT_OVER.sub("", work[:found.start()] + work[found.end():]).strip("，。！？,.!? ")


def read_rating(text: str) -> Tuple[Optional[str], str]:
    """(满意 | 基本满意 | 不满意 | None, the rest of the text as the reason)."""
    work = normalize_text(text or "")
    scored = _scored(work)
    if scored:
        return scored
    words = sorted(((w, rating) for rating, ws in conversation_settings().satisfaction_words.items() for w in ws),
                   key=lambda pair: len(pair[0]), reverse=True)
    for word, rating in words:
        if word in work:
            return rating, _LEFT_OVER.sub("", work.replace(word, "", 1)).strip("，。！？,.!? ")
    return None, work

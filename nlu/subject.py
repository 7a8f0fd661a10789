"""What a problem is about — the things it names — so that two reports at one place and under one
category can be told apart: 「海景花园3栋电梯坏了」 and 「海景花园3栋楼道灯坏了」 are both 物业服务 at one
building, and linking the second to the first as a duplicate lost it (a linked report is not delivered).

The subject is the nouns jieba finds in the problem once the place is taken out, space-separated
(「电梯」 / 「楼道 灯」). dispatch/store.py compares them as plain strings (a word inside another, or two
characters in common, meet: 「灯不亮」 and 「灯」, 「垃圾堆」 and 「垃圾」; 「楼道」 and 「楼梯」 do not); it
needs no language.
"""
from __future__ import annotations

from functools import lru_cache

from nlu.location import text_without_place
from nlu.normalize import normalize_text
from nlu.words import tagged

#: part-of-speech tags of jieba that name things (nouns of all kinds, verbal nouns); 井盖 comes out as nr
_THING = ("n", "vn")
#: nouns that name no thing a problem is about: where and who, not what
_NOT_THINGS = frozenset("问题 情况 事情 事 地方 附近 小区 社区 街道 住户 居民 业主 市民 我们 你们 他们 大家 人 天 时候 现在 晚上 "
                        "白天 早上 每天 门口 楼下 楼上 旁边 对面 里面 外面 路边 家 家里 "
                        # what is left of a place once its name and number are taken (「停在一楼」 → 楼)
                        "楼 层 楼层 号 栋 幢 单元 室 户 路 街 巷 村 区".split())
#: the longest subject kept (a ticket's field)
MAX_SUBJECT = 100


@lru_cache(maxsize=1024)
def subject_of(problem: str) -> str:
    """The things ``problem`` names, space-separated in order of first appearance ('' when it names
    none: 「楼上装修太吵」 has only a verb)."""
    rest = text_without_place(normalize_text(problem or ""))
    things = dict.fromkeys(word for word, tag in tagged(rest)
                           if tag.startswith(_THING) and word not in _NOT_THINGS and not word.isascii())
    subject = ""
    for thing in things:
        if len(subject) + len(thing) + 1 > MAX_SUBJECT:
            break
        subject = f"{subject} {thing}".strip()
    return subject

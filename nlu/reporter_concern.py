"""A resident's concern for their own name said inside a report: 「我想举报但是不想让人知道是我」「…，请给我保密」.

A 12345 operator answers it at once and writes it on the work order, so that the department calling back
keeps the resident's name from the party reported; it is no part of the problem. The words, the answer and
the note are settings/conversation.yml `service_answers` with `in_report`. Only a clause that says nothing
else counts: 「燃气泄露了」「有人匿名打电话骚扰我」 are problems, and 「我要匿名举报…」 is the problem with the
wish said in it (answered and noted, the words kept).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from nlu.conversation_settings import conversation_settings

#: clauses: at punctuation, and before 「但是」「就是怕」… joining a wish to the request (「我想举报但是不想…」)
_CLAUSE = re.compile(r"(?<=[，,。！!？?；;\s])|(?=但是|可是|不过|就是怕|只是怕|但(?!凡))")
#: what a clause saying only the wish holds besides its words (「但是不想让人」「能不能」「请给我」「怕」)
_FILLER = re.compile(r"但是|可是|不过|就是|只是|但|我们|我|你们|您|想|要|请|帮|给|能不能|能否|可不可以|可以|行不行|行吗|好吗|吗|呢|吧|啊|呀|的|"
                     r"不想|不要|不能|别|让|别人|他们|对方|人|被|怕|担心|害怕|希望|务必|一定|麻烦|一下|名字|姓名|信息|个人|身份|"
                     r"电话|号码|举报人|反映人|投诉人|举报|反映|投诉|是|会|我这边|"
                     # the party reported, whom the resident's name is kept from (「不想让楼上知道是我举报的」)
                     r"楼上|楼下|邻居|隔壁|商家|店家|老板|物业|房东|单位|公司|[，,。！!？?；;\s]")
#: 「匿名举报」「匿名反映」: the wish said inside the request itself
_ANONYMOUS_REQUEST = re.compile(r"匿名(?:举报|反映|投诉|报)")


@dataclass(frozen=True)
class Concern:
    answer: str
    note: str
    rest: str  # the message without the clauses that say only the wish


def concern_in_report(text: str) -> Optional[Concern]:
    """The wish ``text`` says besides (or instead of) a problem, or None."""
    for service in conversation_settings().service_answers:
        if not service.note:
            continue
        parts = [p for p in _CLAUSE.split(text or "") if p]
        wish = [p for p in parts if _only_the_wish(p, service.in_report)]
        if wish or (_ANONYMOUS_REQUEST.search(text or "") and "匿名" in service.in_report):
            rest = "".join(p for p in parts if p not in wish).strip("，,。！!；; ")
            return Concern(answer=service.answer, note=service.note, rest=rest)
    return None


def _only_the_wish(clause: str, words: Sequence[str]) -> bool:
    held = [w for w in words if w in clause]
    if not held:
        return False
    for word in sorted(held, key=len, reverse=True):
        clause = clause.replace(word, "")
    return not _FILLER.sub("", clause).strip()

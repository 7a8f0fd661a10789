"""A building, unit or room a resident repairs in the middle of a report: 「海涛社区阳光花园六栋不对是七栋楼下
有个化粪池冒出来了」 means 阳光花园七栋, and the report goes on. Read as it stands, the message is shaped as a
correction (nlu/correction.py) and, outside any question, there is nothing for it to correct: the report
was answered with 「如需反映问题，请直接说明…」 and lost. The repair is read into the text before the rest
of the NLU (nlu/normalizer_component.py): the number taken back is replaced by the one said. Only a
number of the same kind said right after 「不对」 is replaced, and only after something else was said
first — 「不对，是七栋」 answering a summary is a correction and stays one.
"""
from __future__ import annotations

import re

_NUMBER = r"(?:\d+|[零一二两三四五六七八九十百]+)"
_KIND = r"(?:号楼|栋|幢|座|单元|室)"
_REPAIR = re.compile(rf"(?<=\S)(?P<old>{_NUMBER}(?P<kind>{_KIND}))[，,]?[哎唉啊嗯哦噢呃诶欸额呀]*不对(?:不对)?[，,]?"
                     rf"(?:应该是|是)?(?P<new>{_NUMBER}(?P=kind))")


def repair_in_report(text: str) -> str:
    """``text`` (normalised) with each number its speaker took back mid-sentence replaced by the one said."""
    return _REPAIR.sub(lambda m: m.group("new"), text)

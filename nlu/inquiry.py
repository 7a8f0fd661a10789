"""A consultation: a question about a policy or a procedure, not a problem at a place.

「我想咨询一下公积金怎么提取」 was asked 「请问问题发生在哪里？」: the agent treated every message as a
problem somewhere. Platforms take consultations (咨询) as 诉求 of their own kind, answered by the
department the category names; there is no place to send anyone to. Read by the words of
settings/conversation.yml `inquiry` (how the question is put, and what makes it a report after all).
"""
from __future__ import annotations

import re

from dispatch.location import Address
from nlu.conversation_settings import conversation_settings
from nlu.locate import area_place
from nlu.normalize import normalize_text

#: words about the resident's own ticket or earlier report: 「我反映的事什么时候能处理」 asks after it
_OWN_MATTER = re.compile(r"工单|进度|反映的|投诉的|举报的|报修的|报的|处理结果|办理结果|办得怎么样|处理得怎么样|有没有人管")

#: the place line of a consultation that named none: the platform's whole area, nothing to review
INQUIRY_PLACE = "{district}（咨询类诉求，无需具体地点）"


def is_inquiry(text: str) -> bool:
    """「居住证怎么办理」「医保卡丢了去哪里补办」, not 「楼下噪音怎么投诉」 nor 「路灯坏了怎么申请维修」."""
    words = conversation_settings().inquiry
    said = normalize_text(text or "")
    return (any(w in said for w in words.get("asks", []))
            and not any(w in said for w in words.get("unless", [])))


def inquiry_place() -> Address:
    """Where a consultation that named no place is filed: the platform's whole area (placement 'area')."""
    return area_place(INQUIRY_PLACE, "area")


def about_own_matter(text: str) -> bool:
    """``text`` asks after the resident's own ticket or earlier report, not about a policy."""
    return bool(_OWN_MATTER.search(normalize_text(text or "")))

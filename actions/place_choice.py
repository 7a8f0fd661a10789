"""Asking the resident which of several places they mean, and reading the answer.

The placement (nlu/placement.py) offers candidates when a road runs through several streets or
a message names places in different streets; the resident answers with a number (「2」「第二个」)
or a name (「海山」「海涛社区」), and the address kept from the first answer is completed.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from dispatch.location import Address
from nlu.gazetteer import core_name
from nlu.normalize import normalize_text

_ORDINAL = re.compile(r"^(?:第|选)?([1-9一二三四五六七八九])(?:个|项|条|号)?(?:吧|的)?$")
_CN = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}


def choice_buttons(candidates: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    return [{"title": f"{i}. {c['label']}", "payload": c["label"]} for i, c in enumerate(candidates, start=1)]


def choose(answer: str, candidates: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The candidate the answer picks, or None when it picks none (or several)."""
    text = re.sub(r"[，。！？,.!?\s]", "", normalize_text(answer or ""))
    ordinal = _ORDINAL.match(text)
    if ordinal:
        digit = ordinal.group(1)
        index = int(digit) if digit.isdigit() else _CN[digit]
        return candidates[index - 1] if 1 <= index <= len(candidates) else None
    picked = [c for c in candidates
              if c["label"] in text or any(part and core_name(part) in text
                                           for part in (c.get("community"), c.get("grid"), c.get("street")))]
    # 「海山街道」 names a street and all its communities: keep the most specific match only
    if len(picked) > 1:
        deepest = [c for c in picked if c.get("community") and core_name(c["community"]) in text]
        picked = deepest or picked
    return picked[0] if len(picked) == 1 else None


def complete(previous: Dict[str, Any], chosen: Dict[str, Any]) -> Address:
    """The address the resident gave first, placed in the chosen unit."""
    data = dict(previous or {})
    data.update(street=chosen.get("street"), community=chosen.get("community") or data.get("community"),
                grid=chosen.get("grid"), responsible_unit=chosen.get("responsible_unit"), placement="placed")
    return Address.from_dict(data)

"""A place in another province said the way people say it, without 省 or 市 (「老家的房子被强拆了，在湖北荆州」).

The place reader (nlu/location.py) knows another province or city only by its 省/市/区; 「湖北荆州」 read as
no place at all, and the resident was asked where, again, instead of being told that the platform does not
handle it. A province's short name followed by one of its cities is read with jionlp's address tables
(offline, in its wheel; about 3 ms a call, a quarter second to load, asked only of messages naming no
place of ours). Municipalities are left to the place reader (「北京朝阳区」), and a province's name that
starts a road's name (「湖北路」 in Qingdao) is no province.
"""
from __future__ import annotations

import contextlib
import io
import re
from functools import lru_cache
from typing import Any, Callable, Dict, Optional

from dispatch.location import Address

#: provinces and autonomous regions by the names said without 省/自治区 (municipalities: nlu/location.py)
PROVINCES = ("河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北",
             "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏",
             "宁夏", "新疆")
_PROVINCE = re.compile("(" + "|".join(sorted(PROVINCES, key=len, reverse=True)) + ")(?![路街道巷])")
#: how much after the province's name is read for its city
_CITY_WINDOW = 10


@lru_cache(maxsize=1)
def _parser() -> Callable[[str], Dict[str, Any]]:
    """jionlp's address parser, loaded on the first message that needs it (its banner kept out of the logs)."""
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp
    return jionlp.parse_location


def province_and_city(text: str) -> Optional[Address]:
    """The province and city ``text`` names as 「湖北荆州」 (the city's name right after the province's), as
    an address whose text is what was said; None when it names none."""
    for match in _PROVINCE.finditer(text or ""):
        said = text[match.start():match.end() + _CITY_WINDOW]
        parsed = _parser()(said)
        province, city = parsed.get("province") or "", parsed.get("city") or ""
        short_city = re.sub(r"(?:市|地区|自治州|盟)$", "", city)
        # jionlp fills a city from a county or guesses one (「上海南京路」 read as 海南省): the city's own name
        # must follow the province's
        if province.startswith(match.group(1)) and short_city and text.startswith(short_city, match.end()):
            return Address(province=province, city=city, text=text[match.start():match.end() + len(short_city)])
    return None

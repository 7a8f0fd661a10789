"""A bus or metro line said as the place of a complaint about it (「23路」「M123路公交车」「地铁2号线」), or
the car of a taxi complaint by its plate (「粤B12345」: the ride went from one street to another, and the
resident asked where was asked again and again).

A complaint about a bus or a train — a driver on his phone, a bus that never comes, a crowded line —
happens along a line, not at an address: the line is what the operator of the line needs, and asking the resident for a street again and
again after 「23路」 loses them. Which categories take a line as their place is settings/conversation.yml
`route_categories`.
"""
from __future__ import annotations

import re
from typing import Optional, Tuple

#: a line number and 路, not part of a road's name (海景二路: a Chinese numeral, no line) nor 路口
_LINE = re.compile(r"(?<![A-Za-z\d])([A-Za-z]?\d{1,4}[A-Za-z]?)路(?=公交|车|大巴|巴士|$|[，,。！？；\s的])")


def bus_line(text: str) -> Optional[str]:
    """「23路」 for the first bus line ``text`` names, or None."""
    found = _LINE.search(text or "")
    return f"{found.group(1).upper()}路" if found else None


#: a metro line: 「2号线」「地铁11号线」 (not 「12号线头」, a wire's end)
_METRO = re.compile(r"(?<!\d)(\d{1,2})号线(?!头)")


#: a vehicle's plate (「粤B12345」「粤B·D12345」, new-energy plates one character longer)
_PLATE = re.compile(r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领])\s*([A-Za-z])\s*[·•.]?\s*"
                    r"([A-Za-z0-9]{5,6})(?![A-Za-z0-9])")


def vehicle_plate(text: str) -> Optional[str]:
    """「粤B12345」 for the first plate ``text`` names (a taxi or a ride-hailing car is found by it, wherever the
    ride went), or None."""
    found = _PLATE.search(text or "")
    return "".join(found.groups()).upper() if found else None


def transit_line(text: str) -> Optional[Tuple[str, str]]:
    """(the line, the place as a ticket says it) for the first bus or metro line ``text`` names, or the car
    by its plate: ("23路", "23路公交线路"), ("地铁2号线", "地铁2号线"), ("粤B12345", "车牌粤B12345"); None
    when it names none."""
    bus = bus_line(text)
    if bus:
        return bus, f"{bus}公交线路"
    metro = _METRO.search(text or "")
    if metro:
        return (f"地铁{metro.group(1)}号线",) * 2
    plate = vehicle_plate(text)
    return (plate, f"车牌{plate}") if plate else None

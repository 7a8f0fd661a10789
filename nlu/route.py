"""A bus line said as the place of a complaint about it (「23路」「M123路公交车」).

A complaint about a bus — a driver on his phone, a bus that never comes — happens along a line, not at
an address: the line is what the bus company needs, and asking the resident for a street again and
again after 「23路」 loses them. Which categories take a line as their place is settings/conversation.yml
`route_categories`.
"""
from __future__ import annotations

import re
from typing import Optional

#: a line number and 路, not part of a road's name (海景二路: a Chinese numeral, no line) nor 路口
_LINE = re.compile(r"(?<![A-Za-z\d])([A-Za-z]?\d{1,4}[A-Za-z]?)路(?=公交|车|大巴|巴士|$|[，,。！？；\s的])")


def bus_line(text: str) -> Optional[str]:
    """「23路」 for the first bus line ``text`` names, or None."""
    found = _LINE.search(text or "")
    return f"{found.group(1).upper()}路" if found else None

"""Residents' satisfaction with closed tickets (满意 / 基本满意 / 不满意), one row per answer:
the 满意率 of the seed platforms' 三率 is counted from here; 不满意 reopens the ticket."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text

from dispatch.database import Base

RATINGS = ("满意", "基本满意", "不满意")


class RatingRow(Base):
    __tablename__ = "ticket_ratings"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    ticket_id = Column(String(32), nullable=False, index=True)
    at = Column(DateTime, nullable=False)
    rating = Column(String(8), nullable=False)
    reason = Column(Text)

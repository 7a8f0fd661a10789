"""Response and resolution deadlines from the urgency grade (settings/urgency.yml) and the
category's SLA (settings/taxonomy.yml): the earlier one wins."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional, Tuple

from nlu.urgency import default_rules


def deadlines(created_at: datetime, urgency: str, sla_days: Optional[float] = None) -> Tuple[datetime, datetime]:
    """Return (respond_by, resolve_by) for a ticket created at ``created_at``."""
    level = default_rules().levels.get(urgency) or default_rules().levels["一般"]
    resolve = timedelta(hours=float(level["resolve_within_hours"]))
    if sla_days:
        resolve = min(resolve, timedelta(days=float(sla_days)))
    respond = timedelta(hours=float(level["respond_within_hours"]))
    return created_at + respond, created_at + resolve

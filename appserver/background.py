"""The app server's rounds besides delivering: the city's statuses read back (Open311 polling,
dispatch/status_poll.py) and the SLA clock's overdue alerts (dispatch/sla.py).

Like the delivery worker they run in every app server unless `INTAKE_DELIVERY_WORKER=0`; the
conditional updates in both keep several servers from reporting a change or an alert twice.
"""
from __future__ import annotations

import asyncio

from aiohttp import web

from appserver.periodic import periodic
from appserver.status_updates import apply_status
from common import clock
from dispatch.status_poll import StatusPoller

POLL_TICK_S = 5.0  # how often due requests are looked for; each adapter's poll_s says how often one is read


async def poll_statuses(app: web.Application) -> None:
    poller: StatusPoller = app["status_poller"]
    if not poller.adapters:
        return
    for change in await poller.run_once(app["http"], clock.now()):
        note = change.note or ("部门已办结" if change.status == "closed" else "部门重新办理")
        await apply_status(app, change.ticket_id, change.status, "department", f"{note}（{change.adapter}）")


async def alert_overdue(app: web.Application) -> None:
    if await asyncio.to_thread(app["sla"].alert_overdue, clock.now()):
        app["delivery_worker"].wake()


status_polling = periodic("status polling", lambda app: POLL_TICK_S, poll_statuses)
overdue_alerts = periodic("overdue alerts", lambda app: app["sla"].settings.alerts.check_every_s, alert_overdue)

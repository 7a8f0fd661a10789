"""Sends the WeChat share of the notification queue (notifications.py) through the official
account's customer-service message API, every few seconds, when WECHAT_APP_ID and
WECHAT_APP_SECRET are set. A failure WeChat may get over (its API away, a rate limit) is tried
again with growing pauses, up to MAX_ATTEMPTS; one it will not (45015: the resident silent for 48
hours; unfollowed) is given up at once with the reason kept. Several app servers may run this:
a message is marked delivered by whoever sent it first (at worst a resident gets one twice when two
servers send in the same moment, never none)."""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Optional

from aiohttp import web

from appserver.periodic import periodic
from channels.wechat_customer_service import CustomerService, SendFailed
from common import clock
from common.privacy import mask_id
from common.redis_connection import configured, redis_from_environment

log = logging.getLogger(__name__)
EVERY_S = 2.0
MAX_ATTEMPTS = 8


def customer_service_from_environment() -> Optional[CustomerService]:
    """The sender, with its access token shared in the deployment's Redis (when one is configured)."""
    return CustomerService.from_environment(redis_from_environment() if configured() else None)


async def send_wechat_notices(app: web.Application) -> None:
    service: Optional[CustomerService] = app["wechat_cs"]
    if service is None:
        return
    queue = app["notifications"]
    for pending in await asyncio.to_thread(queue.due, "wechat", clock.now()):
        try:
            await asyncio.to_thread(service.send, pending.sender_id, pending.messages)
        except SendFailed as exc:
            attempts = pending.attempts + 1
            final = exc.final or attempts >= MAX_ATTEMPTS
            retry_at = None if final else clock.now() + timedelta(seconds=min(600, 5 * 2 ** attempts))
            await asyncio.to_thread(queue.failed, pending.pk, str(exc), final, attempts, clock.now(), retry_at)
            log.warning("WeChat message to %s not sent (try %d%s): %s", mask_id(pending.sender_id), attempts,
                        ", given up" if final else "", exc)
            continue
        await asyncio.to_thread(queue.sent, pending.pk, clock.now())


wechat_notices = periodic("WeChat notices", lambda app: EVERY_S, send_wechat_notices)

"""The delivery worker as background work of the app server (periodic.py): started with it,
stopped with it. By default every app server delivers; the leases keep them apart."""
from __future__ import annotations

import asyncio

from aiohttp import web

from appserver.periodic import background
from dispatch.delivery_worker import DeliveryWorker


async def _deliver(app: web.Application, stop: asyncio.Event) -> None:
    worker: DeliveryWorker = app["delivery_worker"]
    await worker.run(stop)


delivery_worker = background(_deliver)

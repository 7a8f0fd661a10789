"""The delivery worker as a background task of the app server: started with it, stopped with it.

`INTAKE_DELIVERY_WORKER=0` leaves it out (an app server that only serves pages, when another
process delivers); by default every app server delivers, the leases keep them apart.
"""
from __future__ import annotations

import asyncio
import os
from typing import AsyncIterator

from aiohttp import web

from dispatch.delivery_worker import DeliveryWorker


async def delivery_worker(app: web.Application) -> AsyncIterator[None]:
    if os.environ.get("INTAKE_DELIVERY_WORKER", "1") == "0":
        yield
        return
    worker = app["delivery_worker"] = DeliveryWorker(app["store"], app["store"].routing)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    yield
    stop.set()
    try:
        await asyncio.wait_for(task, timeout=15)
    except asyncio.TimeoutError:  # a delivery hanging past shutdown: its lease runs out, another worker retries
        task.cancel()

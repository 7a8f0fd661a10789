"""Background work of the app server (delivering, reading statuses back, the SLA clock): started
with it, stopped with it; a round that fails is logged and the next one goes on.

It stops on the app's shutdown signal, which aiohttp sends before it waits (up to a minute) for
the tasks created since start-up to finish: a round left waiting for its next turn would hold a
stopping app server for that minute. `INTAKE_DELIVERY_WORKER=0` leaves all of it out of an app
server (one that only serves pages while another process delivers)."""
from __future__ import annotations

import asyncio
import logging
import os
from typing import AsyncIterator, Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)
STOP = "background_stop"
STOP_WAIT_S = 15  # a task still busy after this (a delivery hanging): cancelled; its lease runs out


def install_stop(app: web.Application) -> None:
    """Before the app starts: one event all background work watches, set on shutdown."""
    app[STOP] = asyncio.Event()

    async def stop(app: web.Application) -> None:
        app[STOP].set()

    app.on_shutdown.append(stop)


def background_enabled() -> bool:
    return os.environ.get("INTAKE_DELIVERY_WORKER", "1") != "0"


def background(run: Callable[[web.Application, asyncio.Event], Awaitable[None]]):
    """A cleanup context running ``run(app, stop)`` while the app runs."""
    async def context(app: web.Application) -> AsyncIterator[None]:
        if not background_enabled():
            yield
            return
        stop: asyncio.Event = app[STOP]
        task = asyncio.create_task(run(app, stop))
        yield
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=STOP_WAIT_S)
        except asyncio.TimeoutError:
            task.cancel()

    return context


def periodic(name: str, every_s: Callable[[web.Application], float],
             round_: Callable[[web.Application], Awaitable[object]]):
    """A cleanup context running ``round_(app)`` every ``every_s(app)`` seconds while the app runs."""
    async def loop(app: web.Application, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await round_(app)
            except Exception:
                log.exception("%s round failed; trying again", name)
            try:
                await asyncio.wait_for(stop.wait(), timeout=every_s(app))
            except asyncio.TimeoutError:
                pass

    return background(loop)

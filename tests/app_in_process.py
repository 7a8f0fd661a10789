"""Our app server on a real port inside the test's own event loop, around a store the test made
(its own database, its own routing), for what the session's test stack is not configured for."""
from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from aiohttp import web

from bench.outbox import free_port
from dispatch.store import TicketStore


@asynccontextmanager
async def app_server(store: TicketStore, rasa_url: str = "http://127.0.0.1:9") -> AsyncIterator[str]:
    """Yields the server's base URL; the background rounds run while it is up."""
    from appserver.app import create_app

    app = create_app(store=store, rasa_url=rasa_url)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()

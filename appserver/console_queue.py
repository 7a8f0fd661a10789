"""The review queue for operators: GET /api/console/queue (counts per queue, one page of items,
oldest first, filtered), its page at /console, and GET /api/console/events, a server-sent event
stream that tells open consoles when the counts change (new intakes, another operator's work)."""
from __future__ import annotations

import asyncio
import json

from aiohttp import web

from appserver.errors import as_model
from common.json_body import dumps
from console.review_queue import QueueFilter


async def queue(request: web.Request) -> web.Response:
    wanted = as_model(QueueFilter, {k: v for k, v in request.query.items() if v != ""})
    found = request.app["review_queue"].page(wanted)
    return web.json_response(found.dict(), dumps=dumps)


async def events(request: web.Request) -> web.StreamResponse:
    """`event: counts` with the counts per queue now, and again whenever they change (counted once
    per interval for every open console: appserver/live_counts.py)."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                                           "X-Accel-Buffering": "no"})
    await response.prepare(request)
    last, seen = None, 0
    try:
        async with request.app["live_counts"].watching() as live:
            while True:
                seen, counts = await live.after(seen)
                if counts != last:
                    await response.write(f"event: counts\ndata: {json.dumps(counts)}\n\n".encode())
                    last = counts
                else:  # a comment line keeps proxies from closing a quiet stream
                    await response.write(b": idle\n\n")
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    return response


async def queue_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(request.app["console_static"] / "queue.html")


ROUTES = [web.get("/api/console/queue", queue), web.get("/api/console/events", events),
          web.get("/console", queue_page)]

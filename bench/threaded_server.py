"""A small aiohttp server on its own event loop in a thread, which a test or a bench starts, stops
(the port then refuses connections) and starts again on the same port while the code under test
keeps running. The stand-ins for cities' systems (webhook_receiver.py, open311_city.py) are these."""
from __future__ import annotations

import asyncio
import threading
from typing import Optional

from aiohttp import web


class ThreadedServer:
    port: int
    _loop: Optional[asyncio.AbstractEventLoop] = None
    _thread: Optional[threading.Thread] = None

    def add_routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def start(self):
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            app = web.Application()
            self.add_routes(app)
            runner = web.AppRunner(app)
            self._loop.run_until_complete(runner.setup())
            self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(runner.cleanup())
            self._loop.close()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start on port {self.port}")
        return self

    def stop(self) -> None:
        """Down: the port refuses connections until start() again (what was received is kept)."""
        if self._loop and self._thread:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = self._thread = None

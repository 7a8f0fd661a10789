"""One asyncio Redis client per event loop, for the Rasa server's stores.

Rasa 3.6's Redis tracker and lock stores use the blocking redis client inside Sanic's event
loop: while Redis answers, the worker serves nobody. In the load profile of issue 12 the workers
sat in those socket calls for 12 % of their samples — longer when the machine is busy, because
Redis must first get a core. Our stores await Redis instead. An asyncio client is bound to the
loop it first ran in (Sanic starts one per worker; the tests start one per `asyncio.run`), so the
client is kept per running loop.
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Tuple

import redis.asyncio as aioredis


class LoopRedis:
    """A lazily made asyncio Redis client for whichever loop is running, with the same settings."""

    def __init__(self, host: str = "localhost", port: int = 6379, db: int = 0, password: Optional[str] = None,
                 username: Optional[str] = None, use_ssl: bool = False, socket_timeout: float = 10.0) -> None:
        self.settings: Dict[str, Any] = dict(host=host, port=int(port), db=int(db), password=password,
                                             username=username, ssl=bool(use_ssl), socket_timeout=socket_timeout,
                                             decode_responses=True)
        self._clients: Dict[int, Tuple[asyncio.AbstractEventLoop, aioredis.Redis, Dict[str, Any]]] = {}

    def _for_loop(self) -> Tuple[asyncio.AbstractEventLoop, aioredis.Redis, Dict[str, Any]]:
        loop = asyncio.get_running_loop()
        known = self._clients.get(id(loop))
        if known is None or known[0] is not loop:
            self._clients = {key: value for key, value in self._clients.items() if not value[0].is_closed()}
            known = self._clients[id(loop)] = (loop, aioredis.Redis(**self.settings), {})
        return known

    def client(self) -> aioredis.Redis:
        return self._for_loop()[1]

    async def script(self, source: str, keys: List[Any], args: List[Any]) -> Any:
        """Runs a Lua script by its digest (redis-py loads it when Redis does not know it yet)."""
        _, client, scripts = self._for_loop()
        script = scripts.get(source)
        if script is None:
            script = scripts[source] = client.register_script(source)
        return await script(keys=keys, args=args)

"""The queue counts every open console watches (server-sent events), read once per interval for
all of them: one counting round every `live_poll_s` however many consoles are open, and none
while no console is open."""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator, Callable, Dict, Optional

log = logging.getLogger(__name__)


class LiveCounts:
    def __init__(self, count: Callable[[], Dict[str, int]], poll_s: float) -> None:
        self.count, self.poll_s = count, poll_s
        self.latest: Optional[Dict[str, int]] = None
        self.round = 0
        self.changed = asyncio.Condition()
        self.watchers = 0
        self.task: Optional[asyncio.Task] = None

    async def _poll(self) -> None:
        while self.watchers:
            try:
                counts = await asyncio.get_running_loop().run_in_executor(None, self.count)
            except Exception:  # the database away for a moment: the consoles keep what they show
                log.exception("counting the review queues failed; trying again in %s s", self.poll_s)
            else:
                async with self.changed:
                    self.latest, self.round = counts, self.round + 1
                    self.changed.notify_all()
            await asyncio.sleep(self.poll_s)
        self.task = None

    @asynccontextmanager
    async def watching(self) -> AsyncIterator["LiveCounts"]:
        """While a console is open: its counting rounds run."""
        self.watchers += 1
        if self.task is None:
            self.latest = None  # counted while nobody watched: stale
            self.task = asyncio.get_running_loop().create_task(self._poll())
        try:
            yield self
        finally:
            self.watchers -= 1

    async def after(self, seen: int) -> tuple[int, Dict[str, int]]:
        """(round, counts) of the first round after ``seen`` (0: the latest there is, or the first)."""
        async with self.changed:
            await self.changed.wait_for(lambda: self.latest is not None and self.round > seen)
            return self.round, self.latest

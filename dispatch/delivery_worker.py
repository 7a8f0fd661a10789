"""The delivery worker: takes due outbox jobs and carries each ticket to its adapter.

It runs beside the app server (never in a conversation's path: filing only writes the jobs).
Several workers — several app servers — may run against one database: each job is leased to one
worker at a time, and a worker that dies leaves its jobs to the others once the lease runs out.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Dict, Optional

import aiohttp

from dispatch.adapters import Adapter, build_adapters
from dispatch.outbox import Claimed, Outbox, Outcome
from dispatch.routing import DispatchSettings
from dispatch.store import TicketStore
from common import clock

logger = logging.getLogger(__name__)


class DeliveryWorker:
    def __init__(self, store: TicketStore, settings: DispatchSettings,
                 adapters: Optional[Dict[str, Adapter]] = None) -> None:
        self.store = store
        self.settings = settings
        self.outbox = Outbox(store.session, settings.outbox)
        self.adapters = adapters if adapters is not None else build_adapters(settings)
        self.owner = uuid.uuid4().hex
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """A ticket was just filed: look for jobs now instead of at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; an error in one round is logged and the next round goes on."""
        limit = asyncio.Semaphore(self.settings.outbox.concurrency)
        async with aiohttp.ClientSession() as http:
            while not stop.is_set():
                try:
                    done = await self.run_once(http, limit)
                except Exception:  # the database away for a moment must not end deliveries for good
                    logger.exception("delivery round failed; trying again")
                    done = 0
                if done < self.settings.outbox.batch:
                    self._wake.clear()
                    waits = [asyncio.create_task(self._wake.wait()), asyncio.create_task(stop.wait())]
                    await asyncio.wait(waits, timeout=self.settings.outbox.poll_s, return_when=asyncio.FIRST_COMPLETED)
                    for task in waits:
                        task.cancel()

    async def run_once(self, http: aiohttp.ClientSession, limit: Optional[asyncio.Semaphore] = None) -> int:
        """One batch of due jobs, delivered concurrently; returns how many were tried."""
        jobs = await asyncio.to_thread(self.outbox.claim, self.owner, clock.now())
        limit = limit or asyncio.Semaphore(self.settings.outbox.concurrency)

        async def one(job: Claimed) -> None:
            async with limit:
                await self.deliver(http, job)

        await asyncio.gather(*(one(job) for job in jobs))
        return len(jobs)

    async def deliver(self, http: aiohttp.ClientSession, job: Claimed) -> str:
        started = clock.now()
        adapter = self.adapters.get(job.adapter)
        ticket = await asyncio.to_thread(self.store.get, job.ticket_id)
        if adapter is None:
            outcome = Outcome(ok=False, error=f"adapter {job.adapter} is no longer configured in settings/dispatch.yml")
        elif ticket is None:
            outcome = Outcome(ok=False, permanent=True, error=f"ticket {job.ticket_id} does not exist")
        else:
            try:
                outcome = await adapter.deliver(http, ticket, job.kind, job.id)
            except Exception as exc:  # an adapter's own bug is recorded on the job, not lost in a log
                logger.exception("adapter %s failed", job.adapter)
                outcome = Outcome(ok=False, error=f"{type(exc).__name__}: {exc}")
        state = await asyncio.to_thread(self.outbox.record, job, self.owner, outcome, started, clock.now())
        if state == "dead":
            logger.warning("delivery %s of ticket %s to %s dead-lettered after %d tries: %s",
                           job.id, job.ticket_id, job.adapter, job.attempts + 1, outcome.error)
        return state

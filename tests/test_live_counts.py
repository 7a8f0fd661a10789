"""The live queue counts are counted once per round for every open console, and not at all
when no console is open (appserver/live_counts.py)."""
from __future__ import annotations

import asyncio

from appserver.live_counts import LiveCounts


def test_consoles_share_one_counting_round_and_it_stops_when_they_close():
    calls = []

    def count():
        calls.append(1)
        if len(calls) == 2:
            raise OSError("database away")  # a failed round: the consoles wait for the next one
        return {"category": len(calls)}

    async def run() -> None:
        live = LiveCounts(count, 0.05)

        async def console(rounds: int):
            seen, got = 0, []
            async with live.watching():
                while len(got) < rounds:
                    seen, counts = await live.after(seen)
                    got.append(counts["category"])
            return got

        first, second, third = await asyncio.gather(console(3), console(3), console(3))
        assert first == second == third and first == sorted(first) and 2 not in first
        assert len(calls) <= 5  # three consoles, three rounds each: counted once a round, not nine times
        await asyncio.sleep(0.2)
        assert live.task is None and live.watchers == 0
        stopped = len(calls)
        await asyncio.sleep(0.2)
        assert len(calls) == stopped  # nobody watching: no counting

    asyncio.run(run())

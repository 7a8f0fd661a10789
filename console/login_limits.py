"""Failed sign-ins per IP address and minute, counted in Redis (shared by every app server
process): a script guessing passwords from one address is stopped after a few tries a minute,
whatever names it tries. Wrong passwords for one account also lock that account
(console/accounts.py); signing in successfully costs nothing here."""
from __future__ import annotations

import time

from redis.asyncio import Redis

PREFIX = "console:login-failures:"


def _key(address: str) -> str:
    return f"{PREFIX}{address}:{int(time.time() // 60)}"


async def may_try(redis: Redis, address: str, per_minute: int) -> bool:
    """False when the address has failed ``per_minute`` times this minute."""
    return int(await redis.get(_key(address)) or 0) < per_minute


async def count_failure(redis: Redis, address: str) -> None:
    key = _key(address)
    if await redis.incr(key) == 1:
        await redis.expire(key, 120)

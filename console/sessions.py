"""Console sessions in Redis, so that every app server process (and a restarted one) knows them:
an idle session expires (settings/console.yml), none outlives a shift, and each carries its own
CSRF token. Redis holds a hash of the session token, never the token a browser presents."""
from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Optional

from redis.asyncio import Redis

from console.settings import SessionSettings

PREFIX = "console:session:"


@dataclass
class ConsoleSession:
    token: str
    username: str  # the role is read from the account on every request, so a change applies at once
    csrf: str
    started: float


def _key(token: str) -> str:
    return PREFIX + hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    def __init__(self, redis: Redis, settings: SessionSettings) -> None:
        self.redis, self.settings = redis, settings

    @property
    def idle_s(self) -> int:
        return int(self.settings.idle_minutes * 60)

    async def start(self, username: str) -> ConsoleSession:
        session = ConsoleSession(token=secrets.token_urlsafe(32), username=username,
                                 csrf=secrets.token_urlsafe(32), started=time.time())
        key = _key(session.token)
        await self.redis.hset(key, mapping={"username": username, "csrf": session.csrf,
                                            "started": str(session.started)})
        await self.redis.expire(key, self.idle_s)
        return session

    async def get(self, token: Optional[str]) -> Optional[ConsoleSession]:
        """The live session for ``token`` (its idle time restarted), or None."""
        if not token or len(token) > 200:
            return None
        key = _key(token)
        found = await self.redis.hgetall(key)
        if not found:
            return None
        started = float(found.get("started", 0))
        if time.time() - started > self.settings.max_hours * 3600:
            await self.redis.delete(key)
            return None
        await self.redis.expire(key, self.idle_s)
        return ConsoleSession(token=token, username=found["username"], csrf=found["csrf"],
                              started=started)

    async def end(self, token: str) -> None:
        await self.redis.delete(_key(token))

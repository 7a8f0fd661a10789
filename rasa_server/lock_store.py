"""Rasa lock store: a first-come-first-served ticket queue per conversation, atomic in Redis.

Rasa 3.6's RedisLockStore keeps each conversation's tickets as one JSON document and changes it by
read-modify-write from Python — five to seven blocking Redis calls per message, and two workers
issuing tickets for the same conversation at the same moment can overwrite each other's ticket.
In the load profile of issue 12 those calls were 8 % of the Rasa server's samples. Here a ticket is
issued, checked and returned by Lua scripts (atomic in Redis, one awaited round trip each):

* ``<prefix>:lock:<sender>:tickets`` — sorted set, member = ticket number, score = when it
  expires (ms, Redis's own clock, so every worker agrees);
* ``<prefix>:lock:<sender>:next`` — the last ticket number issued.

The lowest live ticket is served; the others wait and look again every ``poll_seconds`` (Rasa
waits a whole second between looks). A ticket expires after the lock lifetime Rasa asks for, so
a worker killed mid-turn holds nobody up for longer than that. Rasa's semantics are kept: a
waiter whose ticket expired gets a LockError, and a turn that ends, fails or is cancelled returns
its ticket.
"""
from __future__ import annotations

import asyncio
import logging
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, List, Optional, Text

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError

from rasa_server.redis_client import LoopRedis

logger = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 0.02

_NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "

#: issue a ticket; answers {ticket, 1 if it is served now else 0, expiry ms}
TAKE = _NOW + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ticket = redis.call('INCR', KEYS[2])
local expires = now + tonumber(ARGV[1])
redis.call('ZADD', KEYS[1], expires, ticket)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
local first = tonumber(ticket)
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if tonumber(member) < first then first = tonumber(member) end
end
return {ticket, first == tonumber(ticket) and 1 or 0, expires}
"""

#: is the ticket served now? 1 yes, 0 not yet, -1 it expired
CHECK = _NOW + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return -1 end
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if tonumber(member) < tonumber(ARGV[1]) then return 0 end
end
return 1
"""

#: return a ticket; the conversation's keys go when nobody else holds one
RETURN = """
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1], KEYS[2]) end
return 1
"""


class TicketLockStore(LockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, host: Text = "localhost",
                 port: int = 6379, db: int = 0, password: Optional[Text] = None,
                 key_prefix: Optional[Text] = None, poll_seconds: float = DEFAULT_POLL_SECONDS,
                 **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {**endpoint_config.kwargs, **kwargs}
            host = endpoint_config.url or host
            port, db = kwargs.pop("port", port), kwargs.pop("db", db)
            password, key_prefix = kwargs.pop("password", password), kwargs.pop("key_prefix", key_prefix)
            poll_seconds = float(kwargs.pop("poll_seconds", poll_seconds))
        if poll_seconds <= 0:
            raise ValueError(f"poll_seconds must be positive, not {poll_seconds}")
        self.redis = LoopRedis(host=host, port=int(port), db=int(db), password=password,
                               username=kwargs.get("username"), use_ssl=kwargs.get("use_ssl", False))
        self.prefix = f"{key_prefix}:lock:" if key_prefix else "lock:"
        self.poll_seconds = poll_seconds
        super().__init__()

    def _keys(self, conversation_id: Text) -> List[str]:
        return [f"{self.prefix}{conversation_id}:tickets", f"{self.prefix}{conversation_id}:next"]

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        keys = self._keys(conversation_id)
        try:
            ticket, served, expires = await self.redis.script(TAKE, keys, [max(int(lock_lifetime * 1000), 1)])
        except RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        try:
            pause = min(self.poll_seconds, wait_time_in_seconds)
            while not served:
                await asyncio.sleep(pause)
                state = await self.redis.script(CHECK, keys, [ticket])
                if state < 0:
                    raise LockError("Could not acquire the lock of a conversation: its ticket expired while "
                                    "waiting for the turns before it.")
                served = state == 1
            yield TicketLock(conversation_id, deque([Ticket(int(ticket), int(expires) / 1000)]))
        finally:
            try:
                await asyncio.shield(self.redis.script(RETURN, keys, [ticket]))
            except RedisError as error:  # the ticket expires on its own (cancelled: shield lets it finish)
                logger.warning("could not return lock ticket %s of a conversation: %s", ticket, error)

"""Rasa tracker store: each conversation is an append-only list of events in Redis.

Rasa 3.6's RedisTrackerStore keeps a conversation as one JSON document. Every save reads the
document back, rebuilds the whole tracker from it (replaying every event since the first
message), rebuilds it a second time to compare timelines, and writes the whole document again;
every retrieval rebuilds it and splits it into sessions. Rasa saves two or three times a turn, so
the cost of a turn grew with the length of the conversation and, in the load profile of issue 12,
was the largest part of the turn path once the TensorFlow models were gone.

Here a save appends only the events the turn added (those after the last stored timestamp —
the same rule Rasa's merge uses) and a retrieval reads only the events of the latest session,
each in one Redis round trip (a Lua script, atomic in Redis). The list is bounded (`max_events`,
oldest dropped first) and expires with `record_exp`, so neither Redis nor a turn grows without
bound.

Keys: ``<prefix>:tracker:<sender>:events`` (list of event JSON) and ``…:meta`` (hash: `total`
events ever appended, `session_at` absolute index of the latest session start, `last_ts`).
"""
from __future__ import annotations

import json
from collections import OrderedDict
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Text

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

from rasa_server.fast_json import encode_json
from rasa_server.redis_client import LoopRedis

DEFAULT_MAX_EVENTS = 2000


@lru_cache(maxsize=1)
def event_classes() -> Dict[str, type]:
    """Event type name → class, as Event.resolve_by_type finds it (the first subclass with that
    name); built once, because resolve_by_type walks every Event subclass for every event and was
    most of the cost of reading a tracker in the load profile."""
    classes: Dict[str, type] = {}
    for cls in all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)
    return classes


def to_event(data: Dict[str, Any]) -> Event:
    cls = event_classes().get(data.get("event"))
    event = cls._from_parameters(data) if cls else Event.from_parameters(data)  # unknown: Rasa's own error
    if event is None:
        raise ValueError(f"cannot restore the event {data!r}")
    return event


def starts_session(event: Dict[str, Any]) -> bool:
    return event.get("event") == "action" and event.get("name") == ACTION_SESSION_START_NAME


#: one round trip to read a conversation: meta and the events of the latest session (or all)
READ = """
local length = redis.call('LLEN', KEYS[1])
if length == 0 then return {} end
local meta = redis.call('HMGET', KEYS[2], 'total', 'session_at', 'last_ts')
local start = 0
if ARGV[1] == '1' then
  local head = (tonumber(meta[1]) or length) - length
  start = math.max((tonumber(meta[2]) or 0) - head, 0)
end
local out = {meta[3] or ''}
for _, event in ipairs(redis.call('LRANGE', KEYS[1], start, -1)) do out[#out + 1] = event end
return out
"""

#: one round trip to append a turn's events; refused (returning the stored last timestamp) when
#: the conversation moved on since the caller read it, so nothing is appended twice or skipped
APPEND = """
local stored = redis.call('HGET', KEYS[2], 'last_ts') or ''
if stored ~= ARGV[1] then return {0, stored} end
local total = tonumber(redis.call('HGET', KEYS[2], 'total') or '0')
local session_at = redis.call('HGET', KEYS[2], 'session_at') or '0'
local flags = ARGV[5]
for i = 1, #flags do
  if string.sub(flags, i, i) == '1' then session_at = tostring(total + i - 1) end
end
redis.call('RPUSH', KEYS[1], unpack(ARGV, 6))
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('HSET', KEYS[2], 'total', total + #flags, 'session_at', session_at, 'last_ts', ARGV[4])
if tonumber(ARGV[3]) > 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
return {1, ARGV[4]}
"""

#: conversations whose last stored timestamp this worker knows (bounded; a miss costs a retry)
KNOWN_LIMIT = 50_000


class EventLogTrackerStore(RedisTrackerStore):
    def __init__(self, domain: Domain, host: Text = "localhost", port: int = 6379, db: int = 0,
                 max_events: int = DEFAULT_MAX_EVENTS, **kwargs: Any) -> None:
        super().__init__(domain, host=host, port=int(port), db=int(db), **kwargs)
        self.max_events = int(max_events)
        if self.max_events < 10:
            raise ValueError(f"max_events must be at least 10, not {self.max_events}")
        self.redis = LoopRedis(host=host, port=int(port), db=int(db), password=kwargs.get("password"),
                               username=kwargs.get("username"), use_ssl=kwargs.get("use_ssl", False))
        self._last_ts: "OrderedDict[str, str]" = OrderedDict()

    def _keys(self, sender_id: Text) -> List[str]:
        base = f"{self.key_prefix}{sender_id}"
        return [f"{base}:events", f"{base}:meta"]

    def _remember(self, sender_id: Text, last_ts: str) -> None:
        self._last_ts[sender_id] = last_ts
        self._last_ts.move_to_end(sender_id)
        if len(self._last_ts) > KNOWN_LIMIT:
            self._last_ts.popitem(last=False)

    async def save(self, tracker: DialogueStateTracker, timeout: Optional[float] = None) -> None:
        await self.stream_events(tracker)
        keys = self._keys(tracker.sender_id)
        expiry = int(timeout or self.record_exp or 0)
        base = self._last_ts.get(tracker.sender_id, "")
        for _ in range(3):
            after = float(base) if base else float("-inf")
            new = [event.as_dict() for event in tracker.events if event.timestamp > after]
            if not new:
                return
            flags = "".join("1" if starts_session(e) else "0" for e in new)
            newest = repr(max(e["timestamp"] for e in new))
            done, stored = await self.redis.script(APPEND, keys, [base, self.max_events, expiry, newest, flags,
                                                                  *(encode_json(e) for e in new)])
            if done:
                self._remember(tracker.sender_id, newest)
                return
            base = stored  # another worker wrote since we read: append after what is stored
        raise RuntimeError(f"could not save the conversation {tracker.sender_id}: it keeps changing")

    async def _events(self, sender_id: Text, latest_session_only: bool) -> Optional[List[Dict[str, Any]]]:
        found = await self.redis.script(READ, self._keys(sender_id), ["1" if latest_session_only else "0"])
        if not found:
            return None
        self._remember(sender_id, found[0])
        return [json.loads(raw) for raw in found[1:]]

    async def _tracker(self, sender_id: Text, latest_session_only: bool) -> Optional[DialogueStateTracker]:
        events = await self._events(sender_id, latest_session_only)
        if events is None:
            return None
        return DialogueStateTracker.from_events(sender_id, [to_event(e) for e in events], self.domain.slots,
                                                max_event_history=self.max_event_history)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._tracker(sender_id, latest_session_only=True)

    async def retrieve_full_tracker(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._tracker(sender_id, latest_session_only=False)

    async def keys(self) -> Iterable[Text]:
        suffix = ":meta"
        return [key[len(self.key_prefix):-len(suffix)]
                async for key in self.redis.client().scan_iter(match=f"{self.key_prefix}*{suffix}")]

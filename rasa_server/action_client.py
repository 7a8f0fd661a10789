"""One kept-alive HTTP connection pool per endpoint for the Rasa server's outgoing calls.

Rasa 3.6's EndpointConfig opens a new aiohttp ClientSession — a new connector, resolver and TCP
connection — for every call to the action server and closes it afterwards. In the load profile
of issue 12 that set-up was the largest part of each action call. Here each Sanic worker keeps
one session per endpoint and reuses its connections. Idle connections are dropped after
KEEPALIVE_S, below the action server's own keep-alive (Sanic: 5 s), so a request never goes out on
a connection the server has already closed. The request body — the whole conversation, on every
action call — is encoded by ujson (fast_json.py; 5 % of the server's CPU under load went to
encoding it with the standard library).
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, Tuple

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from rasa_server.fast_json import encode_json

KEEPALIVE_S = 3.0
_sessions: Dict[Tuple[int, str, str, str], aiohttp.ClientSession] = {}


class _KeptSession:
    """`async with endpoint.session() as session` without closing the session afterwards."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc: Any) -> bool:
        return False


def kept_session(self: EndpointConfig) -> _KeptSession:
    key = (id(asyncio.get_running_loop()), str(self.url), repr(self.headers), repr(self.basic_auth))
    session = _sessions.get(key)
    if session is None or session.closed:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        session = aiohttp.ClientSession(headers=self.headers, auth=auth,
                                        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S),
                                        json_serialize=encode_json)
        _sessions[key] = session
    return _KeptSession(session)


def install() -> None:
    EndpointConfig.session = kept_session

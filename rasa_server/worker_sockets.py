"""Each Sanic worker listens on a socket of its own, so the kernel spreads connections evenly.

Sanic 21.12 (Rasa 3.6) binds one listening socket in the main process and every forked worker
accepts from it. asyncio accepts up to a backlog's worth of waiting connections each time the
socket becomes readable, so the worker that wakes first takes nearly all of a burst: under load
(issue 12, 32 residents over a keep-alive pool) one worker held 29 of 32 connections and served
~90 % of the turns while the other idled, and keep-alive kept them pinned there.

Here the main process only reserves the address (bound with SO_REUSEPORT, never listening) and
each worker binds its own listening socket to it with SO_REUSEPORT: Linux hands each new
connection to one of the listening sockets by a hash of its addresses. A worker starts listening
only once its agent is loaded (Sanic's before-start events run first), and a worker that dies
leaves the group, so new connections go to the workers that are still there. A single worker
(no fork) is untouched.
"""
from __future__ import annotations

import socket
from typing import Any, Callable, Set, Tuple

import sanic.server.runners as runners

_serve: Callable[..., Any] = runners.serve
#: addresses reserved here (a socket handed to Sanic by anyone else is left as it is)
_RESERVED: Set[Tuple[Any, ...]] = set()


def reserve_address(host: str, port: int, *, backlog: int = 100) -> socket.socket:
    """The main process's placeholder: holds the address for the workers, accepts nothing
    (``backlog`` is Sanic's argument for the socket it would have bound; a placeholder never listens)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    _RESERVED.add(sock.getsockname()[:2])
    return sock


def listen_beside(reserved: socket.socket, backlog: int) -> socket.socket:
    """A worker's own listening socket on the reserved address."""
    sock = socket.socket(reserved.family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(reserved.getsockname()[:2])
    sock.listen(backlog)
    return sock


def serve(**settings: Any) -> Any:
    reserved = settings.get("sock")
    if settings.get("run_multiple") and reserved is not None and not settings.get("unix") \
            and reserved.family in (socket.AF_INET, socket.AF_INET6) and reserved.getsockname()[:2] in _RESERVED:
        settings["sock"] = listen_beside(reserved, settings.get("backlog", 100))
        reserved.close()  # this worker's copy only; the main process keeps the address
    return _serve(**settings)


def install() -> None:
    """serve_multiple looks both names up in its module when it runs: the workers it forks call
    our serve, and the socket it binds for them is the placeholder."""
    runners.serve = serve
    runners.bind_socket = reserve_address

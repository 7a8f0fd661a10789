"""Every Rasa worker follows the active dialogue model: the server is started with the link
models/dialogue_active.tar.gz (classifiers/dialogue_versions.py), and each worker checks every
few seconds where the link points; when a trainer activated another version (or rolled back),
the worker loads it beside the running one and swaps it in. Conversations live in the Redis
tracker store, so none is dropped: a turn in progress finishes on the model it started with.

Rasa's own `PUT /model` reaches one worker of several; its model server pulls a remote file.
Neither fits several workers sharing one machine's models/ folder, which this does.
"""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Optional

import rasa.core.run

log = logging.getLogger(__name__)
CHECK_EVERY_S = 2.0
_original_load_agent_on_start = rasa.core.run.load_agent_on_start


def _target(path: str) -> str:
    return os.path.realpath(path)


async def _follow(app: Any, link: str) -> None:
    loaded = _target(link)
    while True:
        await asyncio.sleep(CHECK_EVERY_S)
        wanted = _target(link)
        if wanted == loaded or not os.path.isfile(wanted):
            continue
        try:
            # built in a thread: the worker goes on answering with the old model meanwhile
            await asyncio.get_running_loop().run_in_executor(None, app.ctx.agent.load_model, wanted)
        except Exception:  # a broken archive: keep the model that works, say so, try again later
            log.exception("could not load the dialogue model %s; still using %s", wanted, loaded)
            await asyncio.sleep(30)
            continue
        log.info("dialogue model %s is active in this worker (was %s)", os.path.basename(wanted),
                 os.path.basename(loaded))
        loaded = wanted


async def _load_and_follow(model_path: Optional[str], endpoints: Any, remote_storage: Optional[str], app: Any,
                           loop: asyncio.AbstractEventLoop) -> Any:
    following = model_path is not None and os.path.islink(model_path)
    # the archive itself, so that GET /status names the version that is loaded
    agent = await _original_load_agent_on_start(_target(model_path) if following else model_path, endpoints,
                                                remote_storage, app, loop)
    if following:
        app.ctx.model_follower = loop.create_task(_follow(app, model_path))
    return agent


def install() -> None:
    rasa.core.run.load_agent_on_start = _load_and_follow

"""The loaded model moved out of the garbage collector's way.

A Rasa worker holds ~800,000 Python objects once its agent is loaded (Rasa, TensorFlow's Python
side, our models and gazetteer), nearly all of them alive for the life of the process. Every full
collection walked all of them: under load (issue 12) each worker paused for 0.5–0.6 s once per
half minute or so, holding up every conversation it was serving. `gc.freeze()` after the agent
loads puts those objects in the permanent generation, so later collections walk only what turns
create. A model activated later is not frozen; it is collected as before.
"""
from __future__ import annotations

import gc
from typing import Any, Awaitable, Callable

import rasa.core.run

_previous: Callable[..., Awaitable[Any]] = rasa.core.run.load_agent_on_start


async def _load_then_freeze(*args: Any, **kwargs: Any) -> Any:
    agent = await _previous(*args, **kwargs)
    gc.collect()
    gc.freeze()
    return agent


def install() -> None:
    """After model_follow.install(): wraps whatever loads the agent at the worker's start."""
    global _previous
    _previous = rasa.core.run.load_agent_on_start
    rasa.core.run.load_agent_on_start = _load_then_freeze

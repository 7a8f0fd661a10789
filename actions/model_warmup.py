"""The urgency model loaded in the background a little after the action server starts.

The action server needs the model only to regrade a description a resident corrected, so it
does not load it (the vocabulary, the weights and jieba's dictionary: about a second of CPU)
while the agent starts; loading it later in a thread spares the first resident who corrects a
description that wait. The stack sets INTAKE_WARM_URGENCY_MODEL_AFTER_S for the action server;
without it nothing is started.
"""
from __future__ import annotations

import logging
import os
import threading
from typing import Optional

log = logging.getLogger(__name__)
ENV = "INTAKE_WARM_URGENCY_MODEL_AFTER_S"


def _load() -> None:
    try:
        from classifiers.urgency_model import shared_model

        shared_model()
    except Exception:  # the model loads again on first use, where the error reaches the turn
        log.exception("loading the urgency model in the background failed")


def warm_up_later() -> Optional[threading.Timer]:
    delay = os.environ.get(ENV)
    if not delay:
        return None
    timer = threading.Timer(float(delay), _load)
    timer.daemon = True
    timer.start()
    return timer

"""The urgency model and jieba's tagger loaded in the background a little after the action server starts.

The action server needs the model only to regrade a description a resident corrected, and the tagger
to name a ticket's subject (nlu/subject.py), so it does not load them (the vocabulary, the weights and
jieba's dictionary: about a second of CPU) while the agent starts; loading them later in a thread
spares the first resident who corrects a description or files a ticket that wait. The stack sets
INTAKE_WARM_URGENCY_MODEL_AFTER_S for the action server; without it nothing is started.
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
        from nlu.words import load_tagger

        shared_model()
        load_tagger()  # jieba's dictionary: the subject of the first ticket filed (nlu/subject.py) needs its tags
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

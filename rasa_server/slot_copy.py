"""Copying a tracker's slots without `copy.copy`'s generic protocol.

Every tracker Rasa 3.6 builds copies each domain slot with `copy.copy` — every prior tracker
the policies replay (`init_copy`), every `tracker.copy()` before an action. `copy.copy` goes
through `__reduce_ex__` and `copyreg` for each of our 28 slots: 76 µs per tracker, 8 % of the
Rasa server's CPU in the load profile of issue 12. Slots keep their state in `__dict__`
(no `__slots__`, no custom pickling), so a shallow copy is a new instance with a copy of that
dict — the same result as `copy.copy`, in 30 µs.
"""
from __future__ import annotations

from rasa.shared.core.slots import Slot


def shallow_copy(slot: Slot) -> Slot:
    """The same as copy.copy(slot): a new instance of the slot's class sharing its attribute values."""
    new = slot.__class__.__new__(slot.__class__)
    new.__dict__.update(slot.__dict__)
    return new


def install() -> None:
    Slot.__copy__ = shallow_copy

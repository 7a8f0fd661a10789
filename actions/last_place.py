"""The place of the report just filed, offered for the next one.

A resident who files 「海景花园3栋的路灯坏了」 and goes on 「还有一个事」「门口的垃圾好几天没人清了」
means the same place more often than not; asked 「请问问题发生在哪里？」 with no mention of it, the
answer 「对的，还是那里」 was taken as more words about the problem and the question came back. So
after a filing the place is kept (`last_place`, for this session only) and the next place question
offers it (`location_issue: offered`, utter_ask_location); a yes or 「还是那里」 takes it, 「5栋」
refines it, a new address replaces it, and 「不是」 brings the plain question.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.parse_data import latest_intent, latest_text
from dispatch.location import Address
from dispatch.schema import Ticket
from nlu.conversation_settings import conversation_settings
from nlu.normalize import normalize_text

OFFERED = "offered"


def offer(tickets: Sequence[Ticket]) -> List[Dict[str, Any]]:
    """Slot events that offer the place of ``tickets`` to the next report: only a place a
    department can be sent to, and only when all the tickets were filed at that one place."""
    places = {t.location.display() for t in tickets}
    if len(places) != 1 or not all(t.location.is_dispatchable() for t in tickets):
        return [SlotSet("last_place", None)]
    place = tickets[-1].location
    return [SlotSet("last_place", place.to_dict()), SlotSet("location_issue", OFFERED),
            SlotSet("location_place", shown(place.to_dict()))]


def shown(place: Dict[str, Any]) -> str:
    """The place as the resident said it (「海景花园3栋」, as on the ticket), not the gazetteer's full name."""
    address = Address.from_dict(place)
    return address.text or address.display()


def offered(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The place the last question offered, or None when it offered none."""
    return tracker.get_slot("last_place") if tracker.get_slot("location_issue") == OFFERED else None


def says_same_place(tracker: Tracker) -> bool:
    """「是的」「对，还是那里」「同一个地方」: the offered place is the place."""
    text = normalize_text(latest_text(tracker))
    return latest_intent(tracker) == "affirm" or any(w in text for w in conversation_settings().same_place_words)


def declined(tracker: Tracker) -> bool:
    """「不是」「不在那」: not the offered place, and no other named."""
    return latest_intent(tracker) == "deny"

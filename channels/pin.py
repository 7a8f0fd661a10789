"""Checks a location pin sent with a message (WeChat 位置 message, a map pick on the web page).
Kept free of Rasa and Sanic imports so the aiohttp app server uses the same rules."""
from __future__ import annotations

from typing import Any, Optional


def check_pin(pin: Any) -> Optional[str]:
    """A location message (WeChat 位置, the web page's position): lat/lng in range, label text."""
    if not isinstance(pin, dict):
        return "'metadata.location' must be an object with lat, lng and an optional label"
    lat, lng = pin.get("lat"), pin.get("lng")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lng)):
        return "'metadata.location.lat' and '.lng' must be numbers (decimal degrees)"
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return "'metadata.location' is off the map: lat must be within ±90, lng within ±180"
    if pin.get("label") is not None and not isinstance(pin["label"], str):
        return "'metadata.location.label' must be a string"
    return None

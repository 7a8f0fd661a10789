"""Signed requests from a dispatch system: `X-Intake-Timestamp` (unix seconds) and
`X-Intake-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, the same scheme
our webhook deliveries use. A request more than five minutes off is refused (no replays)."""
from __future__ import annotations

import hashlib
import hmac
import time
from typing import Optional

MAX_SKEW_S = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_problem(secret: str, timestamp: Optional[str], signature: Optional[str], body: bytes,
                      now: Optional[float] = None) -> Optional[str]:
    """Why the request is refused, or None when it is signed with ``secret`` and fresh."""
    if not timestamp or not signature:
        return "X-Intake-Timestamp and X-Intake-Signature headers are required"
    try:
        sent = int(timestamp)
    except ValueError:
        return "X-Intake-Timestamp must be unix seconds"
    if abs((now if now is not None else time.time()) - sent) > MAX_SKEW_S:
        return f"X-Intake-Timestamp is more than {MAX_SKEW_S} s away from the server's clock"
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        return "X-Intake-Signature does not match the body"
    return None

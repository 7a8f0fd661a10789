"""One HTTP request to a destination, reduced to what the outbox needs: the answer, or why there
was none; and which failures are worth another try (408, 425, 429, 5xx, time-outs, refused
connections — honouring Retry-After) and which are a rejection retrying cannot fix."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Optional, Union

import aiohttp

from dispatch.outbox import Outcome

RETRIED_STATUSES = {408, 425, 429}
MAX_REASON = 300


@dataclass
class Answer:
    status: int
    text: str
    retry_after_s: Optional[float]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def failure(self, reason: Optional[str] = None) -> Outcome:
        """The outcome of a non-2xx answer: retried or dead-lettered, with the receiver's reason."""
        reason = reason or self.text.strip()[:MAX_REASON] or "(empty answer)"
        retried = self.status in RETRIED_STATUSES or self.status >= 500
        return Outcome(ok=False, permanent=not retried, status_code=self.status,
                       error=f"HTTP {self.status}: {reason}", retry_after_s=self.retry_after_s)


async def send(http: aiohttp.ClientSession, method: str, url: str, timeout_s: float,
               **kwargs) -> Union[Answer, Outcome]:
    """The destination's answer, or a failed (retried) Outcome when none came."""
    try:
        async with http.request(method, url, timeout=aiohttp.ClientTimeout(total=timeout_s), **kwargs) as resp:
            return Answer(resp.status, await resp.text(errors="replace"), _seconds(resp.headers.get("Retry-After")))
    except asyncio.TimeoutError:
        return Outcome(ok=False, error=f"no answer within {timeout_s:g} s")
    except aiohttp.ClientError as exc:
        return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:MAX_REASON])


def _seconds(value: Optional[str]) -> Optional[float]:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: our own backoff decides

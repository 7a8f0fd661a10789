"""Multipart uploads read in chunks and refused as soon as they pass their size limit (a photo,
a trainer's test file), so that a 50 MB file costs the server the limit at most; the rest of a
refused upload is drained so that the client, still sending, gets the answer instead of a reset."""
from __future__ import annotations

from aiohttp import BodyPartReader, web

CHUNK = 64 * 1024
MAX_DRAIN = 200 * 1024 * 1024  # beyond this the connection is simply closed


class UploadTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"upload larger than {limit} bytes")
        self.limit = limit


async def read_limited(part: BodyPartReader, limit: int) -> bytes:
    """The part's bytes, or UploadTooLarge once more than ``limit`` have arrived."""
    data = bytearray()
    while True:
        chunk = await part.read_chunk(CHUNK)
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > limit:
            raise UploadTooLarge(limit)


async def drain(request: web.Request) -> None:
    """Read the rest of a refused upload (up to MAX_DRAIN)."""
    drained = 0
    while drained < MAX_DRAIN:
        chunk = await request.content.read(CHUNK * 16)
        if not chunk:
            return
        drained += len(chunk)

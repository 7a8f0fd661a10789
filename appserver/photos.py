"""Photos on the web page: POST /api/chat/photo (multipart: `sender`, `photo`) keeps a photo for the
resident's report (dispatch/media.py) and answers what the agent says about it; GET /media/<name>
serves a stored photo (what a ticket's media_url points to).

The upload is read in chunks and refused as soon as it passes the size limit, so a 50 MB file
costs the server 10 MB at most; a file that is not an image gets the reason in Chinese."""
from __future__ import annotations

import asyncio

from aiohttp import BodyPartReader, web

from appserver.errors import json_error
from common.json_body import dumps
from dispatch.media import CONTENT_TYPES, MediaStore, PhotoRefused

MAX_SENDER = 128
CHUNK = 64 * 1024
MAX_DRAIN = 200 * 1024 * 1024  # beyond this the connection is simply closed


def media(request: web.Request) -> MediaStore:
    return request.app["media"]


async def _read_limited(part: BodyPartReader, limit: int) -> bytes:
    data = bytearray()
    while True:
        chunk = await part.read_chunk(CHUNK)
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > limit:
            raise PhotoRefused.too_big(limit)


async def _drain(request: web.Request) -> None:
    """Read the rest of a refused upload (up to MAX_DRAIN), so that the client, still sending,
    gets the answer instead of a reset connection."""
    drained = 0
    while drained < MAX_DRAIN:
        chunk = await request.content.read(CHUNK * 16)
        if not chunk:
            return
        drained += len(chunk)


async def upload_photo(request: web.Request) -> web.Response:
    if not request.content_type.startswith("multipart/"):
        return json_error(400, "send the photo as multipart/form-data with fields 'sender' and 'photo'")
    sender, data = None, None
    try:
        reader = await request.multipart()
        async for part in reader:
            if part.name == "sender":
                sender = (await part.text())[:MAX_SENDER + 1]
            elif part.name == "photo":
                data = await _read_limited(part, media(request).settings.max_bytes)
    except PhotoRefused as refused:
        await _drain(request)
        return json_error(refused.status, str(refused))
    except ValueError as exc:  # a malformed multipart body
        return json_error(400, f"malformed multipart body: {exc}")
    if not sender or not sender.strip() or len(sender) > MAX_SENDER:
        return json_error(400, f"'sender' must be a non-empty string of at most {MAX_SENDER} characters")
    if data is None:
        return json_error(400, "'photo' is missing")
    try:
        photo = await asyncio.to_thread(media(request).add, data, sender, "web")
    except PhotoRefused as refused:
        return json_error(refused.status, str(refused))
    reply = await asyncio.to_thread(media(request).receipt, sender, "web")
    return web.json_response({"photo": photo.dict(), "messages": [{"text": reply}]}, dumps=dumps)


async def get_photo(request: web.Request) -> web.StreamResponse:
    path = media(request).path_of(request.match_info["name"])
    if path is None:
        return json_error(404, "no such photo")
    return web.FileResponse(path, headers={"Content-Type": CONTENT_TYPES[path.suffix[1:]],
                                           "Cache-Control": "private, max-age=86400",
                                           "X-Content-Type-Options": "nosniff"})


ROUTES = [web.post("/api/chat/photo", upload_photo), web.get("/media/{name}", get_photo)]

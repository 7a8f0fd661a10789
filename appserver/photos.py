"""Photos on the web page: POST /api/chat/photo (multipart: `sender`, `photo`) keeps a photo for the
resident's report (dispatch/media.py) and answers what the agent says about it; GET /media/<name>
serves a stored photo (what a ticket's media_url points to).

The upload is read in chunks and refused as soon as it passes the size limit (appserver/uploads.py);
a file that is not an image gets the reason in Chinese."""
from __future__ import annotations

import asyncio

from aiohttp import web

from appserver.errors import json_error
from appserver.uploads import UploadTooLarge, drain, read_limited
from common.json_body import dumps
from dispatch.media import CONTENT_TYPES, MediaStore, PhotoRefused

MAX_SENDER = 128


def media(request: web.Request) -> MediaStore:
    return request.app["media"]


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
                data = await read_limited(part, media(request).settings.max_bytes)
    except UploadTooLarge as too_large:
        await drain(request)
        refused = PhotoRefused.too_big(too_large.limit)
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

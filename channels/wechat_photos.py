"""WeChat image messages (「随手拍」): the picture is fetched from its PicUrl (WeChat's CDN) — or,
when that fails and the account's secret is configured, through the media API by MediaId — read
no further than the size limit, checked and kept for the follower's report (dispatch/media.py).
Returns what to tell the follower."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Optional

import requests

from channels.wechat_customer_service import CustomerService
from common.privacy import mask_id
from dispatch.media import MediaStore, PhotoRefused

log = logging.getLogger(__name__)
FETCH_TIMEOUT_S = 10
UNREACHABLE = "抱歉，这张照片没能接收成功，请稍后重新发送。"


def _fetch(url: str, limit: int) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise OSError(f"not a web address: {url[:40]}")
    with requests.get(url, stream=True, timeout=FETCH_TIMEOUT_S) as resp:
        resp.raise_for_status()
        data = bytearray()
        for chunk in resp.iter_content(64 * 1024):
            data += chunk
            if len(data) > limit:
                raise PhotoRefused.too_big(limit)
        return bytes(data)


def _download(message: Any, store: MediaStore, service: Optional[CustomerService]) -> bytes:
    limit = store.settings.max_bytes
    try:
        return _fetch(getattr(message, "image", "") or "", limit)
    except (requests.RequestException, OSError) as exc:
        if service is None or not getattr(message, "media_id", None):
            raise
        log.info("PicUrl of %s failed (%s); trying the media API", mask_id(message.source), exc)
        resp = service.client.media.download(message.media_id)
        if len(resp.content) > limit:
            raise PhotoRefused.too_big(limit, len(resp.content))
        return resp.content


async def receive_photo(message: Any, store: MediaStore, service: Optional[CustomerService]) -> str:
    try:
        data = await asyncio.to_thread(_download, message, store, service)
        await asyncio.to_thread(store.add, data, message.source, "wechat")
    except PhotoRefused as refused:
        return str(refused)
    except Exception as exc:  # WeChat's CDN away, a broken answer: the follower is told, nothing crashes
        log.warning("photo from %s not received: %s", mask_id(message.source), exc)
        return UNREACHABLE
    return await asyncio.to_thread(store.receipt, message.source, "wechat")

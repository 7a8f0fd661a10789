"""Photos residents attach to their reports (「随手拍」), from the web page or WeChat.

A photo is checked (an image Pillow can read, of an accepted format, at most `max_bytes`),
stored once under var/media (named by its content's hash: the same photo sent twice is one file)
and waits, tied to the resident's sender id and channel, until their report is filed: the filing
attaches every photo still waiting (at most `max_per_report`) and marks them attached, so the next
report starts without them. The ticket carries the photos' URLs (GeoReport `media_url`).
"""
from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import List, Optional

from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, Field
from sqlalchemy import Column, DateTime, Integer, String, Text, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from common import clock
from common.paths import SETTINGS_DIR, VAR_DIR
from common.yaml_file import read_yaml
from dispatch.database import Base, engine_for

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


class MediaSettings(BaseModel):
    formats: List[str] = ["JPEG", "PNG"]
    max_bytes: int = Field(10 * 1024 * 1024, gt=0)
    max_per_report: int = Field(9, ge=1)
    directory: str = "media"
    pending_hours: float = Field(24, gt=0)


class MediaSettingsError(ValueError):
    pass


@lru_cache(maxsize=1)
def media_settings() -> MediaSettings:
    path = SETTINGS_DIR / "media.yml"
    return MediaSettings.parse_obj((read_yaml(path, MediaSettingsError, "the photo settings") if path.exists()
                                    else None) or {})


class PhotoRefused(ValueError):
    """Why a file is not taken, in Chinese for the resident; ``status`` for HTTP answers."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status

    @classmethod
    def too_big(cls, limit: int, size: Optional[int] = None) -> "PhotoRefused":
        """Past the size limit (``size`` when known; a stream read in part is refused without it)."""
        told = f"（{size / 1048576:.1f}MB）" if size is not None else ""
        return cls(f"照片太大{told}，请发送{limit / 1048576:.0f}MB以内的照片。", 413)


class PhotoRow(Base):
    __tablename__ = "photos"

    pk = Column(Integer, primary_key=True, autoincrement=True)
    name = Column(String(80), nullable=False, index=True)  # <sha256>.<ext>
    sender_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    created_at = Column(DateTime, nullable=False)
    size = Column(Integer, nullable=False)
    width = Column(Integer)
    height = Column(Integer)
    tickets = Column(Text)  # the tickets it was attached to, comma-separated; NULL while waiting


class Photo(BaseModel):
    name: str
    url: str
    size: int
    width: Optional[int] = None
    height: Optional[int] = None


def public_url(name: str) -> str:
    return f"{os.environ.get('INTAKE_PUBLIC_URL', '').rstrip('/')}/media/{name}"


class MediaStore:
    def __init__(self, engine: Optional[Engine] = None, directory: Optional[Path] = None,
                 settings: Optional[MediaSettings] = None) -> None:
        self.settings = settings or media_settings()
        self.directory = Path(directory) if directory else VAR_DIR / self.settings.directory
        self.session = sessionmaker(engine or engine_for(), future=True, expire_on_commit=False)

    def check(self, data: bytes) -> Image.Image:
        limit = self.settings.max_bytes
        if len(data) > limit:
            raise PhotoRefused.too_big(limit, len(data))
        if not data:
            raise PhotoRefused("没有收到照片内容，请重新发送。")
        try:
            image = Image.open(io.BytesIO(data))
            image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise PhotoRefused("这个文件不是照片，请发送 JPG 或 PNG 格式的照片。", 415) from None
        if image.format not in self.settings.formats:
            raise PhotoRefused(f"暂不支持 {image.format} 格式，请发送 JPG 或 PNG 格式的照片。", 415)
        return image

    def add(self, data: bytes, sender_id: str, channel: str, now: Optional[datetime] = None) -> Photo:
        """Check and keep a photo for ``sender_id``'s next report; PhotoRefused says why not."""
        image = self.check(data)
        name = f"{hashlib.sha256(data).hexdigest()[:40]}.{EXTENSIONS[image.format]}"
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / name
        if not path.exists():
            partial = path.with_suffix(path.suffix + f".{os.getpid()}.part")
            partial.write_bytes(data)
            os.replace(partial, path)
        now = now or clock.now()
        with self.session.begin() as session:
            waiting = session.execute(select(PhotoRow.pk).where(
                PhotoRow.name == name, PhotoRow.sender_id == sender_id, PhotoRow.channel == channel,
                PhotoRow.tickets.is_(None))).first()
            if waiting is None:  # the same photo sent again (a retry) waits once
                session.add(PhotoRow(name=name, sender_id=sender_id, channel=channel, created_at=now,
                                     size=len(data), width=image.width, height=image.height))
        return Photo(name=name, url=public_url(name), size=len(data), width=image.width, height=image.height)

    def waiting(self, sender_id: str, channel: str, now: Optional[datetime] = None) -> List[str]:
        """The URLs of the photos waiting for this resident's report, oldest first."""
        since = (now or clock.now()) - timedelta(hours=self.settings.pending_hours)
        with self.session() as session:
            names = session.execute(select(PhotoRow.name).where(
                PhotoRow.sender_id == sender_id, PhotoRow.channel == channel, PhotoRow.tickets.is_(None),
                PhotoRow.created_at >= since).order_by(PhotoRow.pk).limit(self.settings.max_per_report)).scalars().all()
        return [public_url(n) for n in names]

    def receipt(self, sender_id: str, channel: str) -> str:
        """What the resident is told once a photo is kept."""
        return f"照片已收到（共{len(self.waiting(sender_id, channel))}张），会随您接下来提交的诉求一并提交。"

    def attach(self, sender_id: str, channel: str, ticket_ids: List[str]) -> None:
        with self.session.begin() as session:
            session.execute(update(PhotoRow).where(PhotoRow.sender_id == sender_id, PhotoRow.channel == channel,
                                                   PhotoRow.tickets.is_(None))
                            .values(tickets=",".join(ticket_ids)).execution_options(synchronize_session=False))

    def path_of(self, name: str) -> Optional[Path]:
        """The stored file for a /media/<name> request; None for anything that is not one of ours."""
        stem, _, ext = name.partition(".")
        if len(stem) != 40 or not all(c in "0123456789abcdef" for c in stem) or ext not in CONTENT_TYPES:
            return None
        path = self.directory / name
        return path if path.is_file() else None

"""API keys a deployment hands out (environment, comma-separated): INTAKE_OPEN311_API_KEYS may file
Open311 requests (when set, filing needs one); INTAKE_OPEN311_FULL_KEYS also see who reported and
how to reach them (Open311 answers with reporter and contact, the departments' export files)."""
from __future__ import annotations

import os
from typing import List, Optional

from aiohttp import web

from appserver.errors import json_error


def keys(variable: str) -> List[str]:
    return [k.strip() for k in os.environ.get(variable, "").split(",") if k.strip()]


def presented_key(request: web.Request) -> Optional[str]:
    return request.headers.get("X-Api-Key") or request.query.get("api_key")


def may_file(key: Optional[str]) -> bool:
    filing = keys("INTAKE_OPEN311_API_KEYS")
    return not filing or key in filing + keys("INTAKE_OPEN311_FULL_KEYS")


def has_full_rights(request: web.Request) -> bool:
    return presented_key(request) in keys("INTAKE_OPEN311_FULL_KEYS")


def refused_without_full_rights(request: web.Request, why: str) -> Optional[web.Response]:
    """401 without a key, 403 with one that lacks full rights; None when the caller may see it."""
    if has_full_rights(request):
        return None
    status = 403 if presented_key(request) else 401
    return json_error(status, f"{why}: send a key with full rights as X-Api-Key")

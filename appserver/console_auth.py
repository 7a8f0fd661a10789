"""Who may use the console: sign-in at /console/login (a form with username and password), a
session cookie backed by Redis, a CSRF token on every state change, roles per route.

Without a session, console pages redirect to the login page and /api/console/... answers 401;
a signed-in person without the route's role gets 403. The operators' lists that existed before
the console (/api/deliveries, /api/handoffs) take an operator session or a key with full rights.
"""
from __future__ import annotations

import hmac
from typing import Awaitable, Callable, Optional
from urllib.parse import quote

from aiohttp import web

from appserver.api_keys import has_full_rights
from appserver.errors import json_error
from console.accounts import Account, LoginRefused
from console.login_limits import count_failure, may_try
from console.sessions import ConsoleSession

COOKIE = "intake_console"
CSRF_HEADER = "X-CSRF-Token"
PUBLIC_PATHS = ("/console/login",)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: route prefixes and the roles that may use them (admins may use all); the rest is for operators
ROLES_FOR_PREFIX = (("/api/console/me", ("operator", "trainer")), ("/api/console/logout", ("operator", "trainer")),
                    ("/api/console/categories", ("operator", "trainer")),
                    ("/api/console/audit", ()),
                    ("/api/console/inbox", ("trainer",)), ("/console/inbox", ("trainer",)),
                    ("/api/console/models", ("trainer",)), ("/console/models", ("trainer",)))
#: trainers read the tickets the inbox's corrections came from; changing them is operators' work
READ_ALSO_FOR_TRAINERS = ("/api/console/tickets/", "/console/tickets/")
LEGACY_OPERATOR_PATHS = ("/api/deliveries", "/api/handoffs", "/api/sla")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _guarded(path: str) -> bool:
    return (path == "/console" or path.startswith(("/console/", "/api/console/"))) and path not in PUBLIC_PATHS


def _roles(request: web.Request) -> tuple:
    for prefix, roles in ROLES_FOR_PREFIX:
        if request.path.startswith(prefix):
            return roles
    if request.method in SAFE_METHODS and request.path.startswith(READ_ALSO_FOR_TRAINERS):
        return ("operator", "trainer")
    return ("operator",)


def _refuse(request: web.Request, status: int, message: str) -> web.StreamResponse:
    if request.path.startswith("/api/") or request.method not in SAFE_METHODS:
        return json_error(status, message)
    if status == 401:
        raise web.HTTPFound(f"/console/login?next={quote(request.path_qs)}")
    return web.Response(status=status, text=message, content_type="text/plain")


async def current(request: web.Request) -> Optional[tuple]:
    """(session, account) of the request's cookie, or None (no cookie, expired, account disabled)."""
    session: Optional[ConsoleSession] = await request.app["console_sessions"].get(request.cookies.get(COOKIE))
    if session is None:
        return None
    account = request.app["accounts"].get(session.username)
    if account is None or account.disabled:
        await request.app["console_sessions"].end(session.token)
        return None
    return session, account


@web.middleware
async def console_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    path = request.path
    legacy = path.startswith(LEGACY_OPERATOR_PATHS)
    if not (_guarded(path) or legacy):
        return await handler(request)
    if legacy and has_full_rights(request):
        return await handler(request)
    found = await current(request)
    if found is None:
        return _refuse(request, 401, "请先登录操作台（/console/login）" if not legacy else
                       "sign in to the console or send a key with full rights as X-Api-Key")
    session, account = found
    roles = _roles(request)
    if not account.may(roles):
        needed = "、".join(roles or ("admin",))
        request.app["audit"].record(account.username, "refused", path, role=account.role, needed=needed)
        return _refuse(request, 403, f"此功能需要{needed}角色，您的角色是{account.role}")
    if request.method not in SAFE_METHODS and not _csrf_ok(request, session):
        request.app["audit"].record(account.username, "csrf_refused", path)
        return json_error(403, "CSRF token missing or wrong: send the token from GET /api/console/me "
                               f"as {CSRF_HEADER}")
    request["console_session"], request["account"] = session, account
    return await handler(request)


def _csrf_ok(request: web.Request, session: ConsoleSession) -> bool:
    presented = request.headers.get(CSRF_HEADER, "")
    return bool(presented) and hmac.compare_digest(presented, session.csrf)


def account_of(request: web.Request) -> Account:
    return request["account"]


def _safe_next(value: Optional[str]) -> str:
    """Only back into the console: never an open redirect to another site."""
    if value and value.startswith("/console") and not value.startswith("//") and "\\" not in value:
        return value
    return "/console"


async def login_page(request: web.Request) -> web.StreamResponse:
    if await current(request) is not None:
        raise web.HTTPFound(_safe_next(request.query.get("next")))
    return web.FileResponse(request.app["console_static"] / "login.html")


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "")))
    address = request.remote or "unknown"
    settings = request.app["console_settings"]
    back = f"/console/login?next={quote(target)}&error="
    if not await may_try(request.app["redis"], address, settings.login.per_address_per_minute):
        request.app["audit"].record(username[:64] or "-", "login_throttled", None, address=address)
        raise web.HTTPSeeOther(back + quote("登录尝试过于频繁，请一分钟后再试"))
    try:
        account = request.app["accounts"].authenticate(username, password)
    except LoginRefused as refused:
        await count_failure(request.app["redis"], address)
        request.app["audit"].record(username[:64] or "-", "login_refused", None, address=address, why=refused.message)
        raise web.HTTPSeeOther(back + quote(refused.message))
    if target == "/console" and not account.may(("operator",)):
        target = "/console/inbox"  # a trainer's work starts at the inbox
    session = await request.app["console_sessions"].start(account.username)
    request.app["audit"].record(account.username, "login", None, address=address)
    response = web.HTTPSeeOther(target)
    response.set_cookie(COOKIE, session.token, httponly=True, samesite="Strict", path="/",
                        secure=request.secure, max_age=int(settings.sessions.max_hours * 3600))
    raise response


async def logout(request: web.Request) -> web.Response:
    session: ConsoleSession = request["console_session"]
    await request.app["console_sessions"].end(session.token)
    request.app["audit"].record(session.username, "logout", None)
    response = web.json_response({"signed_out": True})
    response.del_cookie(COOKIE, path="/")
    return response


async def me(request: web.Request) -> web.Response:
    session: ConsoleSession = request["console_session"]
    account = account_of(request)
    return web.json_response({"username": account.username, "role": account.role, "csrf_token": session.csrf})


ROUTES = [web.get("/console/login", login_page), web.post("/console/login", login),
          web.post("/api/console/logout", logout), web.get("/api/console/me", me)]

"""The app server (aiohttp): web chat page, Open311 GeoReport v2, /api/analyze, /healthz.

The chat page talks to Rasa's REST channel through /api/chat, so residents' browsers only ever
see this one origin.
"""
from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import Optional

import aiohttp
from aiohttp import web

from appserver.errors import error_middleware, json_error, read_json_object
from common.json_body import dumps
from channels.pin import check_pin
from classifiers.taxonomy import default_taxonomy
from appserver.background import overdue_alerts, status_polling
from appserver.callbacks import ROUTES as CALLBACK_ROUTES
from appserver.console_auth import ROUTES as CONSOLE_AUTH_ROUTES
from appserver.console_auth import console_guard
from appserver.console_handoffs import ROUTES as CONSOLE_HANDOFF_ROUTES
from appserver.console_models import ROUTES as CONSOLE_MODEL_ROUTES
from appserver.console_queue import ROUTES as CONSOLE_QUEUE_ROUTES
from appserver.console_rates import ROUTES as CONSOLE_RATE_ROUTES
from appserver.live_counts import LiveCounts
from appserver.console_records import ROUTES as CONSOLE_RECORD_ROUTES
from appserver.console_tickets import ROUTES as CONSOLE_TICKET_ROUTES
from appserver.deliveries import ROUTES as DELIVERY_ROUTES
from appserver.delivery_task import delivery_worker
from appserver.exports import ROUTES as EXPORT_ROUTES
from appserver.handoff_filing import ROUTES as HANDOFF_FILING_ROUTES
from appserver.handoffs import ROUTES as HANDOFF_ROUTES
from appserver.notifications import Notifications
from appserver.periodic import install_stop
from appserver.photos import ROUTES as PHOTO_ROUTES
from appserver.sla import ROUTES as SLA_ROUTES
from appserver.ticket_history import ROUTES as HISTORY_ROUTES
from appserver.ticket_schema import ROUTES as SCHEMA_ROUTES
from appserver.ticket_status import ROUTES as STATUS_ROUTES
from appserver.wechat_notices import customer_service_from_environment, wechat_notices
from common.redis_connection import async_redis_from_environment
from console.accounts import Accounts
from console.audit import AuditLog
from console.inbox import NluInbox
from console.review_queue import ReviewQueue
from console.sessions import SessionStore
from console.settings import console_settings
from dispatch.adapters import build_adapters
from dispatch.decisions import ReviewDecisions
from dispatch.delivery_worker import DeliveryWorker
from dispatch.handoffs import HandoffQueue
from dispatch.media import MediaStore
from dispatch.outbox import Outbox
from dispatch.sla import SlaClock
from dispatch.status_poll import StatusPoller
from appserver.open311 import ROUTES as OPEN311_ROUTES
from dispatch.store import TicketStore
from nlu.analysis import AnalysisError, Analyzer

STATIC = Path(__file__).with_name("static")
MAX_MESSAGE_CHARS = 20000
log = logging.getLogger(__name__)


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html")


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "tickets_db": request.app["store"].engine.url.drivername,
                              "categories": len(request.app["taxonomy"])})


async def analyze(request: web.Request) -> web.Response:
    data = await read_json_object(request)
    text, channel = data.get("text"), data.get("channel", "web")
    if not isinstance(text, str):
        return json_error(400, "'text' is required and must be a string")
    if len(text) > MAX_MESSAGE_CHARS:
        return json_error(413, f"'text' is {len(text)} characters; at most {MAX_MESSAGE_CHARS} are accepted")
    try:
        result = request.app["analyzer"].analyze(text, channel)
    except AnalysisError as exc:
        return json_error(422, str(exc))
    return web.json_response(result, dumps=dumps)


async def chat(request: web.Request) -> web.Response:
    """Relay one chat turn to Rasa's REST channel and return the bot's messages."""
    data = await read_json_object(request)
    sender, message = data.get("sender"), data.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > 128:
        return json_error(400, "'sender' must be a non-empty string of at most 128 characters")
    if not isinstance(message, str):
        return json_error(400, "'message' must be a string")
    if len(message) > MAX_MESSAGE_CHARS:
        return web.json_response([{"text": f"您的消息太长了（{len(message)}字），请控制在{MAX_MESSAGE_CHARS}字以内，"
                                           "或分几条发送。"}])
    payload = {"sender": sender, "message": message}
    if data.get("location") is not None:
        problem = check_pin(data["location"])
        if problem:
            return json_error(400, problem.replace("metadata.location", "location"))
        payload["metadata"] = {"location": data["location"]}
    url = f"{request.app['rasa_url']}/webhooks/rest/webhook"
    try:
        async with request.app["http"].post(url, json=payload,
                                            timeout=aiohttp.ClientTimeout(total=60)) as resp:
            if resp.status != 200:
                log.warning("rasa answered %s for a chat turn", resp.status)
                return json_error(502, "对话服务暂时不可用，请稍后再试。您的消息没有丢失，可以重新发送。")
            return web.json_response(await resp.json(), dumps=dumps)
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("rasa unreachable: %s", exc)
        return json_error(503, "对话服务暂时不可用，请稍后再试。您的消息没有丢失，可以重新发送。")


async def _http_session(app: web.Application):
    app["http"] = aiohttp.ClientSession()
    yield
    await app["http"].close()


async def _redis(app: web.Application):
    """Console sessions and sign-in limits, shared by every app server process."""
    app["redis"] = async_redis_from_environment()
    app["console_sessions"] = SessionStore(app["redis"], app["console_settings"].sessions)
    yield
    await app["redis"].close()


def _add_console(app: web.Application) -> None:
    engine = app["store"].engine
    app["console_settings"] = console_settings()
    app["console_static"] = STATIC / "console"
    app["accounts"] = Accounts(engine, app["console_settings"])
    app["audit"] = AuditLog(engine)
    app["inbox"] = NluInbox(engine)
    app["review_queue"] = ReviewQueue(engine)
    app["live_counts"] = LiveCounts(app["review_queue"].counts, app["console_settings"].queue.live_poll_s)
    app["review_decisions"] = ReviewDecisions(app["store"])
    app.cleanup_ctx.append(_redis)
    for routes in (CONSOLE_AUTH_ROUTES, CONSOLE_QUEUE_ROUTES, CONSOLE_TICKET_ROUTES, CONSOLE_HANDOFF_ROUTES,
                   HANDOFF_FILING_ROUTES, CONSOLE_RECORD_ROUTES, CONSOLE_MODEL_ROUTES, CONSOLE_RATE_ROUTES):
        app.router.add_routes(routes)


def create_app(store: Optional[TicketStore] = None, analyzer: Optional[Analyzer] = None,
               rasa_url: Optional[str] = None) -> web.Application:
    app = web.Application(middlewares=[error_middleware, console_guard], client_max_size=1024 * 1024)
    app["store"] = store or TicketStore()
    app["handoffs"] = HandoffQueue(engine=app["store"].engine)
    app["outbox"] = Outbox(app["store"].session, app["store"].routing.outbox)
    app["notifications"] = Notifications(app["store"].engine)
    app["media"] = MediaStore(app["store"].engine)
    app["adapters"] = build_adapters(app["store"].routing)
    app["sla"] = SlaClock(app["store"])
    app["delivery_worker"] = DeliveryWorker(app["store"], app["store"].routing, app["adapters"])
    app["status_poller"] = StatusPoller(app["store"], app["adapters"])
    app["wechat_cs"] = customer_service_from_environment()
    app["analyzer"] = analyzer or Analyzer.default()
    app["taxonomy"] = default_taxonomy()
    app["rasa_url"] = (rasa_url or os.environ.get("INTAKE_RASA_URL", "http://127.0.0.1:5005")).rstrip("/")
    install_stop(app)
    app.cleanup_ctx.append(_http_session)
    app.cleanup_ctx.append(delivery_worker)
    app.cleanup_ctx.append(status_polling)
    app.cleanup_ctx.append(overdue_alerts)
    app.cleanup_ctx.append(wechat_notices)
    app.router.add_get("/", index)
    app.router.add_get("/healthz", healthz)
    app.router.add_post("/api/analyze", analyze)
    app.router.add_post("/api/chat", chat)
    app.router.add_routes(OPEN311_ROUTES)
    app.router.add_routes(HANDOFF_ROUTES)
    app.router.add_routes(HISTORY_ROUTES)
    app.router.add_routes(STATUS_ROUTES)
    app.router.add_routes(DELIVERY_ROUTES)
    app.router.add_routes(SCHEMA_ROUTES)
    app.router.add_routes(SLA_ROUTES)
    app.router.add_routes(EXPORT_ROUTES)
    app.router.add_routes(CALLBACK_ROUTES)
    app.router.add_routes(PHOTO_ROUTES)
    _add_console(app)
    app.router.add_static("/static/", STATIC)
    return app


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description="intake app server")
    parser.add_argument("--host", default=os.environ.get("INTAKE_APP_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("INTAKE_APP_PORT", "8080")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    web.run_app(create_app(), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()

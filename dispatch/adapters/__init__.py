"""Destinations a ticket is delivered to, built from settings/dispatch.yml (dispatch/routing.py).

Each kind has `name` and `deliver(http, ticket, kind, delivery_id) -> Outcome`; the Open311 client
also reads statuses back (dispatch/status_poll.py)."""
from __future__ import annotations

from typing import Dict, Union

from common.paths import VAR_DIR
from dispatch.adapters.export import ExportAdapter
from dispatch.adapters.open311 import Open311Adapter
from dispatch.adapters.webhook import WebhookAdapter
from dispatch.routing import AdapterSettings, DispatchSettings

Adapter = Union[WebhookAdapter, Open311Adapter, ExportAdapter]


def build_adapter(name: str, conf: AdapterSettings, default_timeout_s: float) -> Adapter:
    timeout_s = conf.timeout_s or default_timeout_s
    if conf.type == "open311":
        return Open311Adapter(name, conf.resolved_url(), conf.api_key(), conf.api_key_env, conf.jurisdiction_id,
                              conf.service_codes, conf.default_service_code, conf.include_contact, timeout_s,
                              conf.poll_s)
    if conf.type == "export":
        return ExportAdapter(name, VAR_DIR / conf.directory, conf.formats, conf.include_contact)
    return WebhookAdapter(name, conf.resolved_url(), conf.secret(), conf.secret_env, conf.include_contact, timeout_s)


def build_adapters(settings: DispatchSettings) -> Dict[str, Adapter]:
    """One adapter per configured name; URLs and secrets are read from the environment now."""
    return {name: build_adapter(name, conf, settings.outbox.timeout_s) for name, conf in settings.adapters.items()}

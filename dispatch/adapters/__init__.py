"""Destinations a ticket is delivered to, built from settings/dispatch.yml (dispatch/routing.py)."""
from __future__ import annotations

from typing import Dict

from dispatch.adapters.webhook import WebhookAdapter
from dispatch.routing import DispatchSettings

Adapter = WebhookAdapter  # the one kind so far; each kind has `name` and `deliver(http, ticket, kind, id)`


def build_adapters(settings: DispatchSettings) -> Dict[str, Adapter]:
    """One adapter per configured name; URLs and secrets are read from the environment now."""
    return {name: WebhookAdapter(name, conf.resolved_url(), conf.secret(), conf.secret_env, conf.include_contact,
                                 conf.timeout_s or settings.outbox.timeout_s)
            for name, conf in settings.adapters.items()}

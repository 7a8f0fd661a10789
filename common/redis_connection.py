"""The deployment's Redis for the blocking clients outside Rasa's stores (channels' message
de-duplication and call parts, the shared WeChat access token): INTAKE_REDIS_HOST, _PORT, _DB,
which `intake run` sets for every service."""
from __future__ import annotations

import os

import redis


def configured() -> bool:
    return bool(os.environ.get("INTAKE_REDIS_PORT") or os.environ.get("INTAKE_REDIS_HOST"))


def redis_from_environment() -> redis.Redis:
    return redis.Redis(host=os.environ.get("INTAKE_REDIS_HOST", "localhost"),
                       port=int(os.environ.get("INTAKE_REDIS_PORT", "6379")),
                       db=int(os.environ.get("INTAKE_REDIS_DB", "0")), decode_responses=True)


def async_redis_from_environment() -> "redis.asyncio.Redis":
    """The same Redis for asyncio code (the app server's console sessions)."""
    import redis.asyncio

    return redis.asyncio.Redis(host=os.environ.get("INTAKE_REDIS_HOST", "localhost"),
                               port=int(os.environ.get("INTAKE_REDIS_PORT", "6379")),
                               db=int(os.environ.get("INTAKE_REDIS_DB", "0")), decode_responses=True)

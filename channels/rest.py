"""Rasa's REST channel with input checks: a malformed request gets a precise 400 and an
empty or oversized message a polite Chinese reply, instead of Rasa's bare 500."""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.pin import check_pin
from common.json_body import parse_json_object

MAX_MESSAGE_CHARS = 20000
EMPTY_REPLY = "您好像没有输入文字内容。请用文字描述您遇到的问题和地点。"
TOO_LONG_REPLY = "您的消息太长了（{n}字），请控制在{limit}字以内，或分几条发送。"


def check_body(raw: bytes) -> tuple[Optional[dict], Optional[str]]:
    """Return (body, None) for a usable request, or (None, reason) for a 400."""
    try:
        body = parse_json_object(raw, "an object with 'sender' and 'message'")
    except ValueError as exc:
        return None, str(exc)
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > 128:
        return None, "'sender' must be a non-empty string of at most 128 characters"
    if not isinstance(body.get("message"), str):
        return None, "'message' must be a string"
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return None, "'metadata' must be an object"
    pin = (metadata or {}).get("location")
    if pin is not None:
        problem = check_pin(pin)
        if problem:
            return None, problem
    return body, None


def reply(sender: str, text: str) -> HTTPResponse:
    return response.json([{"recipient_id": sender, "text": text}], ensure_ascii=False)


class ValidatedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        """Pass the client's metadata (e.g. a location pin) on to the NLU pipeline."""
        body, _ = check_body(request.body)
        return (body or {}).get("metadata")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def validate(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            body, problem = check_body(request.body)
            if problem:
                return response.json({"error": problem}, status=400, ensure_ascii=False)
            message = body["message"]
            if not message.strip():
                return reply(body["sender"], EMPTY_REPLY)
            if len(message) > MAX_MESSAGE_CHARS:
                return reply(body["sender"], TOO_LONG_REPLY.format(n=len(message), limit=MAX_MESSAGE_CHARS))
            return None

        return blueprint

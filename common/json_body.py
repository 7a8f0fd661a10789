"""Parsing an HTTP request body that must be one JSON object, with a message that says exactly
what is wrong; shared by the app server, the Open311 API and the Rasa REST channel."""
from __future__ import annotations

import json
from typing import Any, Dict, Union


def parse_json_object(raw: Union[str, bytes], expected: str = "a JSON object") -> Dict[str, Any]:
    """The body as a dict; ValueError naming the problem (empty, malformed, not an object)."""
    if not raw or not raw.strip():
        raise ValueError(f"request body is empty; send {expected}")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"the body is not UTF-8 text ({exc.reason})") from None
    if not isinstance(data, dict):
        raise ValueError(f"the JSON body must be {expected}")
    return data


def dumps(obj: Any) -> str:
    """JSON for our answers: Chinese kept readable, datetimes as text."""
    return json.dumps(obj, ensure_ascii=False, default=str)

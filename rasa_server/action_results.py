"""Validating the action server's answers against Rasa's response schema, fast.

Rasa 3.6 checks every action-server answer with `jsonschema.validate`, which validates the
*schema itself* against the metaschema, builds a validator and walks the answer against every
event type's sub-schema — about 2 ms of CPU per answer. In the load profile of issue 12
(bench/reports/load_profile.md) that was half of the Rasa server's CPU once the TensorFlow models
were gone. Here the same schema is compiled once into Python code (fastjsonschema); an answer it
rejects is validated again by jsonschema, so a bad answer raises exactly the ValidationError, with
the same message, that Rasa raises.

The schema lets each event be `oneOf` 23 event types, which a compiled validator decides by
trying every type and raising (and formatting) an exception for each that does not fit — 14 % of
the Rasa server's CPU in the issue 13 profile, answers carrying a dozen slot events. The types
are told apart by the constant `event` name, so each event is checked against its own type's
schema only: the same verdict, one check per event.
"""
from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any, Callable, Dict, Text, Tuple

import fastjsonschema
from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def compiled_checks() -> Tuple[Callable[[Any], Any], Dict[str, Callable[[Any], Any]]]:
    """The answer's envelope (event names among the known ones), and one check per event type."""
    spec = copy.deepcopy(RemoteAction.action_response_format_spec())
    items = spec["properties"]["events"]["items"]
    types = items.pop("oneOf")
    per_event = {t["properties"]["event"]["const"]: fastjsonschema.compile({"allOf": [copy.deepcopy(items), t]})
                 for t in types}
    items["properties"]["event"] = {"enum": list(per_event)}
    return fastjsonschema.compile(spec), per_event


def compiled_check(result: Any) -> None:
    envelope, per_event = compiled_checks()
    envelope(result)
    for event in result.get("events") or []:
        per_event[event["event"]](event)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """RemoteAction._validate_action_result, with the schema compiled once."""
    try:
        compiled_check(result)
        return True
    except fastjsonschema.JsonSchemaException:
        pass
    schema = RemoteAction.action_response_format_spec()
    error = exceptions.best_match(validators.validator_for(schema)(schema).iter_errors(result))
    if error is None:  # the two validators disagree: trust Rasa's
        return True
    error.message += (". Failed to validate Action server response from API, make sure your response from "
                      f"the Action endpoint is valid. For more information about the format visit "
                      f"{DOCS_BASE_URL}/custom-actions")
    raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result

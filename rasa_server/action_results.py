"""Validating the action server's answers against Rasa's response schema, fast.

Rasa 3.6 checks every action-server answer with `jsonschema.validate`, which validates the
*schema itself* against the metaschema, builds a validator and walks the answer against every
event type's sub-schema — about 2 ms of CPU per answer. In the load profile of issue 12
(bench/reports/load_profile.md) that was half of the Rasa server's CPU once the TensorFlow models
were gone. Here the same schema is compiled once into Python code (fastjsonschema, ~5 µs per
answer); an answer it rejects is validated again by jsonschema, so a bad answer raises exactly
the ValidationError, with the same message, that Rasa raises.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Dict, Text

import fastjsonschema
from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def compiled_check() -> Callable[[Any], Any]:
    return fastjsonschema.compile(RemoteAction.action_response_format_spec())


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """RemoteAction._validate_action_result, with the schema compiled once."""
    try:
        compiled_check()(result)
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

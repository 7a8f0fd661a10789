"""A pydantic validation error as one line a client can act on: each field's path and what is
wrong with it (「segments.0.speaker: speaker must be one of caller, agent」)."""
from __future__ import annotations

from pydantic import ValidationError


def field_problems(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())

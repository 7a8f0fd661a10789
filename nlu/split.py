"""Splitting a message that reports several problems into one text per problem.

Clauses are cut at sentence marks, commas and connectives (另外, 还有 …); consecutive clauses
stay together until one of them is confidently about a different problem type. Clauses that
carry no problem of their own (「麻烦尽快处理」, 「好几天了」) stay with the problem before them.
"""
from __future__ import annotations

import re
from typing import Callable, List, Tuple

_CLAUSE_END = re.compile(r"(?<=[。！？；\n，,])|(?=另外|还有就是|还有|此外|同时还|并且还)")

#: (label, confidence) for a clause
Classify = Callable[[str], Tuple[str, float]]


def clauses(text: str) -> List[str]:
    return [c for c in (part.strip() for part in _CLAUSE_END.split(text)) if c.strip("，,。！？；、 ")]


def split_problems(text: str, classify: Classify, min_confidence: float = 0.55,
                   min_chars: int = 5) -> List[str]:
    """Return the text of each problem reported in ``text`` (at least one)."""
    parts = clauses(text)
    if len(parts) <= 1:
        return [text.strip()] if text.strip() else []
    groups: List[Tuple[List[str], str]] = []  # (clauses, label)
    for clause in parts:
        label, confidence = classify(clause)
        own_problem = confidence >= min_confidence and len(clause.strip("，,。！？；")) >= min_chars
        if not groups:
            groups.append(([clause], label if own_problem else ""))
            continue
        current_clauses, current_label = groups[-1]
        if own_problem and current_label and label != current_label:
            groups.append(([clause], label))
        else:
            current_clauses.append(clause)
            if own_problem and not current_label:
                groups[-1] = (current_clauses, label)
    return ["".join(c).strip("，, ") for c, _ in groups]

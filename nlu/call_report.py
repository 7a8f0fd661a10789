"""A hotline call (nlu/transcript.py) as problems to file: one issue per problem the caller
reported, each with its category, urgency and place, and what is still missing for a ticket.

The caller's problem turns are split into problems the way a chat message is (nlu/split.py); the
place the caller gave when the operator asked for it places every problem that names none of its
own, and completes one that named only part (「海涛花园」 + 「7栋」). A problem is complete when a
grid worker could find the place (Address.is_dispatchable), or it is a consultation naming none (filed
at the platform's area, as on the chat), and there is more than a request to complain (「我要投诉」). Whether the call is a report at all (「你们几点下班」 is not) is decided by
the caller of this module from the dialogue model's intent, as chat decides it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from dispatch.location import Address
from nlu.analysis import Analyzer
from nlu.inquiry import inquiry_place, is_inquiry
from nlu.locate import Located, locate
from nlu.normalize import has_meaningful_text, normalize_text
from nlu.transcript import ReadCall
from nlu.vague import is_bare_request

#: intents that mean the caller reported nothing to file (a question about us, a greeting …)
NOT_REPORTS = frozenset({"out_of_scope", "greet", "goodbye", "query_status", "ask_how_to_report", "rate", "affirm", "deny", "cancel"})
SITE_FIELDS = ("estate", "poi", "road", "community")


@dataclass
class CallIssue:
    analysis: Dict[str, object]
    missing: List[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class CallReport:
    is_report: bool
    issues: List[CallIssue] = field(default_factory=list)
    missing: List[str] = field(default_factory=list)  # for the call as a whole (no problem told)


def _has_site(located: Located) -> bool:
    return any(getattr(located.address, name) for name in SITE_FIELDS)


def place_for(own: Located, answer: Optional[Located], answer_text: str) -> Located:
    """A problem's place: the operator's answer when it names a site itself; else the problem's
    own place completed with the answer's building, unit and room; else whichever was found."""
    if answer is None:
        return own
    if _has_site(answer) or not own.found:
        return answer if answer.found else own
    return locate(f"{own.address.text or ''}{answer_text}")


def read_report(read: ReadCall, analyzer: Analyzer, intent: Optional[str]) -> CallReport:
    report = normalize_text(read.report)
    if not has_meaningful_text(report) or is_bare_request(report):
        return CallReport(is_report=True, missing=["problem"])
    if intent in NOT_REPORTS:
        return CallReport(is_report=False)
    answer = locate(read.place) if read.place else None
    fallback = answer if answer is not None and answer.found else None
    if fallback is None:
        message_place = locate(report)
        fallback = message_place if message_place.found else None
    issues = []
    for part in analyzer.split(report):
        # a part that names no place (even with the operator's answer) is placed at ``fallback``
        located = place_for(locate(part), answer, read.place)
        analysis = analyzer.issue(part, fallback, place=located)
        missing = []
        if not Address.from_dict(analysis["location"]).is_dispatchable():
            if is_inquiry(part) and not located.found:
                # 「养老金今年什么时候调，什么时候能到账」: a consultation has no place to ask for (as on the chat)
                analysis["location"] = inquiry_place().to_dict()
            else:
                missing.append("location")
        if is_bare_request(part):
            missing.append("problem")
        issues.append(CallIssue(analysis, missing))
    return CallReport(is_report=True, issues=issues)

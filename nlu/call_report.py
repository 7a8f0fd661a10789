"""A hotline call (nlu/transcript.py) as problems to file: one issue per problem the caller
reported, each with its category, urgency and place, and what is still missing for a ticket.

The caller's problem turns are split into problems the way a chat message is (nlu/split.py); the
place the caller gave when the operator asked for it places every problem that names none of its
own, and completes one that named only part (「海涛花园」 + 「7栋」); a building given alone answering a
question that named one of several problems (「路灯是哪一栋」) is that problem's, at the place the call named.
A problem is complete when a grid worker could find the place (Address.is_dispatchable), or it is a consultation naming none (filed
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
from nlu.pressing import presses
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


def _named_problems(parts: List[str], about: List[str]) -> List[int]:
    """The problems the operator's questions for the place named (a word of two characters of 「路灯是哪一栋」's
    「路灯」 in the problem's words); none when the questions named nothing or every problem."""
    words = {said[i:i + 2] for said in about for i in range(len(said) - 1)}
    named = [n for n, part in enumerate(parts) if any(word in part for word in words)]
    return named if len(named) < len(parts) else []


def read_report(read: ReadCall, analyzer: Analyzer, intent: Optional[str]) -> CallReport:
    report = normalize_text(read.report)
    if read.withdrawn and not report:
        return CallReport(is_report=False)  # 「我想反映一下」, 「算了 不说了」: nothing to file, nothing to ask
    if not has_meaningful_text(report) or is_bare_request(report):
        return CallReport(is_report=True, missing=["problem"])
    message_place = locate(report)
    if intent in NOT_REPORTS and not (intent == "query_status" and presses(report)
                                      and message_place.address.is_dispatchable()):
        # 「你们到底管不管 我打了五次电话了 海涛花园八栋 电梯 天天坏」 presses, and tells the problem and where: a report
        # (filed, the store links it to the ticket open there) — not a status question with nothing to file
        return CallReport(is_report=False)
    answer = locate(read.place) if read.place else None
    fallback = answer if answer is not None and answer.found else None
    if fallback is None:
        fallback = message_place if message_place.found else None
    parts = analyzer.split(report)
    own_places = [locate(part) for part in parts]
    # 「两个事 一个是海涛花园门口的垃圾没人清 还有就是小区里的路灯不亮」, 「路灯是哪一栋」, 「八栋旁边」: a building given
    # alone belongs to the problem the question named, at the place the call named (the rubbish went to 8栋 and the
    # light, placed nowhere, was not filed); asked plainly (「几栋」), to every problem
    fine_answer = answer is not None and answer.found and not _has_site(answer) and _has_site(message_place)
    named = _named_problems(parts, read.place_about) if fine_answer and len(parts) > 1 else []
    issues = []
    for number, (part, own) in enumerate(zip(parts, own_places)):
        if named and number not in named:
            located = own if _has_site(own) else message_place  # at the call's place, without the building given
        elif named:
            located = (place_for(own, answer, read.place) if _has_site(own)
                       else locate(f"{message_place.address.text}{read.place}"))
        elif fine_answer and not _has_site(own):
            located = locate(f"{message_place.address.text}{read.place}")
        else:
            # a part that names no place (even with the operator's answer) is placed at ``fallback``
            located = place_for(own, answer, read.place)
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

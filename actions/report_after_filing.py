"""A problem told after filing: a correction of the ticket just filed when it takes back what the ticket says,
else a new report.

「不是摆摊，是有人在那里卖活鸡，杀鸡的血流了一地」 after a street-stall ticket reads as a report (it says a problem
in full), and began a second intake (「这个问题也在「锦绣家园」吗？」): two tickets for one matter, the first in the
wrong category. What the resident takes back (「摆摊」) is in the filed ticket's words, its category or its
place, so the ticket is amended as 「不对，…」 would amend it (actions/amend_ticket.py). 「不是我说，是真的太吵
了」 takes back nothing the ticket says: a new report, as before."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.amend_ticket import ActionAmendTicket, ticket_problem
from actions.corrections import as_held, takes_back
from actions.file_ticket import ticket_store
from actions.parse_data import latest

#: a word taken back shorter than this (「我」 of 「不是我，是我邻居家」) says nothing about a ticket
SHORTEST_TAKEN_BACK = 2


def corrects_filed(tracker: Tracker) -> bool:
    """The latest message takes back a word of one of the tickets this conversation filed."""
    withdrawn = [w for w in as_held((latest(tracker, "correction") or {}).get("withdrawn") or [])
                 if len(w) >= SHORTEST_TAKEN_BACK]
    if not withdrawn:
        return False
    ids = [i for i in (tracker.get_slot("ticket_id") or "").split(",") if i]
    for ticket in filter(None, (ticket_store().get(i) for i in ids)):
        if takes_back(ticket_problem(ticket), withdrawn) or any(w in (ticket.location.text or "") for w in withdrawn):
            return True
    return False


class ActionReportAfterFiling(Action):
    def name(self) -> Text:
        return "action_report_after_filing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        if corrects_filed(tracker):
            return await ActionAmendTicket().run(dispatcher, tracker, domain)
        return [FollowupAction("intake_form")]

"""A problem told after filing (actions/report_after_filing.py): a correction of the ticket when it takes back
what the ticket says, a new intake otherwise."""
from __future__ import annotations

import re

import requests

from tests.conftest import say
from tests.test_conversation import TICKET, filed_ticket


def test_a_category_taken_back_after_filing_amends_the_ticket_instead_of_filing_another(stack, rasa_url, app_url, sender):
    """「不是摆摊，是有人在那里卖活鸡…」 reads as a report and began a second intake (「这个问题也在「锦绣家园」吗？」):
    two tickets for one matter. The ticket now says what the resident corrected (its category stays where the
    model cannot tell another; an operator sees the correction)."""
    say(rasa_url, sender, "锦绣家园北门有人摆摊，占了半条路")
    filed = say(rasa_url, sender, "确认")
    ticket = filed_ticket(app_url, filed)
    amended = "\n".join(say(rasa_url, sender, "不是摆摊，是有人在那里卖活鸡，杀鸡的血流了一地"))
    assert f"已更新工单 {ticket['service_request_id']}" in amended and "也在" not in amended, amended
    now = requests.get(f"{app_url}/open311/v2/requests/{ticket['service_request_id']}.json", timeout=10).json()[0]
    assert "（更正：不是摆摊，是有人在那里卖活鸡" in now["description"], now
    assert not TICKET.search(amended)  # nothing filed anew


def test_another_problem_after_filing_is_a_new_intake(stack, rasa_url, app_url, sender):
    """Taking back words the ticket does not hold (「不是我说」) or saying nothing taken back: a report of its own."""
    say(rasa_url, sender, "锦绣家园3栋楼道灯坏了")
    first = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    asked = "\n".join(say(rasa_url, sender, "不是我说，是小区门口的垃圾真的好几天没人清了"))
    assert "这个问题也在「锦绣家园3栋」吗" in asked and "已更新" not in asked, asked
    summary = "\n".join(say(rasa_url, sender, "是的"))
    assert "请核对" in summary and "垃圾" in summary and "已更新" not in summary, summary
    second = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert second["service_request_id"] != first["service_request_id"]
    assert re.search("环境卫生|垃圾", str(second["category"])), second["category"]


def test_an_emergency_told_after_filing_is_filed_at_once(stack, rasa_url, app_url, sender):
    """The new intake after filing starts from the report action (FollowupAction): a 特急 report still skips
    the summary, as it does as a first message."""
    say(rasa_url, sender, "锦绣家园5栋楼下垃圾桶满了")
    filed_ticket(app_url, say(rasa_url, sender, "确认"))
    replies = say(rasa_url, sender, "锦绣家园6栋楼道里有很大的煤气味")
    ticket = filed_ticket(app_url, replies)
    assert ticket["urgency"] == "特急" and ticket["location"]["building"] == "6", ticket

"""Tells a resident where their tickets stand: by number, or their latest ones — only tickets
this resident filed on this channel; 「催一下」 (or pressing on the matter) records a 催办 on each open
one; another person's number gets a polite refusal that does not say whether the ticket exists.
Asked while a report is still being told or awaits its confirmation (「快点处理」「什么时候能处理」 at
the summary), the answer is about that report — it is not filed yet — unless the resident names a
number or an earlier report (「上周反映的」)."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.file_ticket import ticket_store
from actions.intake_draft import channel_of, drafts, slot_values, timing_line
from actions.parse_data import latest_text
from common import clock
from dispatch.schema import Ticket, reporter_key
from nlu.pressing import asks_when, presses, urges
from nlu.ticket_number import TICKET_ID

#: words that point at a report made before this conversation's current one
EARLIER = re.compile(r"之前|上次|上回|上周|上星期|上个月|以前|前几天|前两天|前些天|昨天|那天|早就|已经反映|反映过|报过|投诉过|工单")
STATUS_TEXT = {"open": "办理中", "closed": "已办结"}


def describe(ticket: Ticket) -> str:
    text = (f"工单 {ticket.id}（{ticket.category.level3 or ticket.category.level2 or '待分类'}）："
            f"{STATUS_TEXT.get(ticket.status, ticket.status)}，承办部门：{ticket.department or '待定'}，"
            f"办结时限：{ticket.deadline:%m月%d日%H:%M}")
    if ticket.status_notes:
        text += f"。处理说明：{ticket.status_notes}"
    return text


class ActionQueryStatus(Action):
    def name(self) -> Text:
        return "action_query_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        store = ticket_store()
        # as the ticket stored it: an id holding a phone-like run of digits (「test-13812345678a」, a WeChat
        # openid) is kept whole, and masking it here found none of the resident's tickets
        reporter = reporter_key(tracker.sender_id)
        channel = channel_of(tracker)
        asked = TICKET_ID.findall(latest_text(tracker))
        if asked:
            for ticket_id in asked:
                ticket = store.get(ticket_id)
                if ticket is not None and ticket.reporter == reporter and ticket.channel == channel:
                    if ticket.status == "open" and urges(latest_text(tracker)) and store.urge(ticket.id, latest_text(tracker)):
                        dispatcher.utter_message(text=f"已为您催办工单 {ticket.id}，催办记录已加到工单上，坐席和承办部门都能看到。")
                    dispatcher.utter_message(text=describe(ticket))
                else:
                    dispatcher.utter_message(text=f"抱歉，没有查到您在本渠道登记的工单 {ticket_id}。为保护报告人的隐私，"
                                                  "只能查询您本人通过本渠道登记的工单；请核对工单号，或拨打12345热线查询。")
            return []
        text = latest_text(tracker)
        telling = tracker.get_slot("stage") == "confirming" or (tracker.active_loop or {}).get("name") == "intake_form"
        if telling and not EARLIER.search(text):
            confirming = tracker.get_slot("stage") == "confirming"
            done = "请核对上面的信息，回复“确认”即可" if confirming else "说完下面的问题即可"
            when = ""
            if confirming and asks_when(text):
                planned = drafts(tracker, slot_values(tracker))
                lines = [timing_line(draft, clock.now()) for draft in planned]
                when = "；".join(f"第{n}个问题{line}" for n, line in enumerate(lines, 1)) if len(lines) > 1 else lines[0]
                when += "。"
            dispatcher.utter_message(text=f"您这次反映的问题还没有提交。{when}{done}登记，登记后立即派给承办部门，"
                                          "之后发送“查询进度”可以随时了解办理情况。")
            return []
        mine = store.list(reporter=reporter, channel=channel, limit=3)
        sorry = "非常抱歉让您久等了。" if presses(text) else ""
        if not mine:
            dispatcher.utter_message(text=f"{sorry}没有找到您在本渠道登记的工单。请提供工单号（例如 20261123000012），我帮您查询"
                                          "和催办；也可以把问题和地点再说一遍，我帮您登记，或回复“转人工”由坐席为您处理。")
            return []
        urged = [t for t in mine if t.status == "open" and urges(text) and store.urge(t.id, text.strip())]
        if urged:
            # 「催一下」: a 催办 on each open ticket, in its history for the operators and the department
            dispatcher.utter_message(text=f"{sorry}已为您催办工单 {'、'.join(t.id for t in urged)}，催办记录已加到工单上，"
                                          "坐席和承办部门都能看到。")
        dispatcher.utter_message(text=f"{sorry if not urged else ''}您最近的工单：\n" + "\n".join(describe(t) for t in mine))
        return []

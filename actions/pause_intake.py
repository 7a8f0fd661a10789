"""「好的谢谢，我晚点再说」「等我回家看一下门牌号再告诉你」 while asked where or what: the resident stops for now.

It was taken for the answer (「抱歉，我还没能确定具体位置」). The report told so far is kept — the form stays
active, and an intake carries into the next session (actions/session_start) — the resident is told it is
not filed yet and what to say to go on; the next message answers the question as if no pause had been."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.intake_draft import short

#: what the resident tells to go on, by the question asked
TO_GO_ON = {"location": "问题发生的地点", "problem_description": "要反映的问题"}


class ActionPauseIntake(Action):
    def name(self) -> Text:
        return "action_pause_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        told = tracker.get_slot("classified_text") or tracker.get_slot("problem_description")
        asked = TO_GO_ON.get(tracker.get_slot("requested_slot") or "", "要补充的情况")
        kept = f"刚才说的「{short(told, 30)}」先帮您记着，还没有提交。" if told else ""
        dispatcher.utter_message(text=f"好的，{kept}您方便时直接告诉我{asked}，就能接着登记；不需要了请回复“取消”。")
        return []

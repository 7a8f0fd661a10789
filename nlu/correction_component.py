"""Rasa component: a message shaped as a correction gets `correction` in its parse result —
what is said and withdrawn, the place and the problem type of what is said.

The whole message's `address` and `problem_type` would read 「不是噪音，是油烟」 as noise and
「不是海景花园，是锦绣家园」 as whichever place comes first; the actions read this instead.
A message shaped as a correction that says what is right (a place or a problem) and that the
intent model read as a place, a yes or a plain no (「是5栋不是3栋」 → inform) gets the intent
`correct`; 「不是那栋楼」 names nothing right and stays a no. 「哎呀重新说，不是田东，是梧桐社区…」
starts over *with* the report, so a "cancel" that names the right place is a correction too
(「不对不用报了」 names none and stays a cancel). Runs after ReportInGreeting.
"""
from __future__ import annotations

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from classifiers.rasa_component import ClassifyingAnnotator
from nlu.components import settle_intent
from nlu.correction import BARE_ROOM, read_correction
from nlu.locate import locate
from nlu.location import text_without_place
from nlu.normalize import has_chinese, has_meaningful_text


CORRECT = "correct"
#: intents a correction is mistaken for (not report_problem: a report opening with 「不是…」 must stay
#: a report); 「哎不对我是九栋的」 read as affirm would file the wrong place
READ_AS = ("inform", "deny", "affirm")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class CorrectionReader(ClassifyingAnnotator):
    def annotate(self, message: Message) -> None:
        correction = read_correction(message.get(TEXT))
        if correction is None:
            return
        found: Dict[str, Any] = correction.to_dict()
        if correction.said:
            located = locate(correction.said)
            if located.found or located.doubts:
                found["address"] = located.address.to_dict()
                found["placement"] = {**located.placement.to_dict(), "doubts": located.doubts}
            told = correction.replacing()
            rest = text_without_place(told)
            # 「不对，是302」 says a number, not a problem: classified, 「302」 changed the category
            if has_meaningful_text(rest) and len(rest) >= 2 and has_chinese(rest):
                prediction = self.classifier.classify(told).to_dict()
                prediction.pop("alternatives", None)
                found["problem_type"] = prediction
        message.set("correction", found, add_to_output=True)
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        # 「不对是1202」 at the summary read affirm 0.47 and filed the ticket at 1201: a room number said alone
        # corrects the room (actions/corrections.place_said reads it)
        room = bool(BARE_ROOM.match(correction.said or ""))
        if (intent in READ_AS and ("address" in found or "problem_type" in found or room)
                or intent == "cancel" and "address" in found):
            settle_intent(message, CORRECT)

"""Rasa component: a greeting, a place or a grade asked for that carries a problem report is a problem report.

"喂你好，我是海涛社区的，三栋楼下的垃圾桶满了好几天了" may come out of the intent model as
`greet`, and the rule for greetings would answer "请告诉我您遇到的问题" and drop what the
caller already said; "海景花园8栋电梯坏了三天了" may come out as `inform` (an answer giving a
place), and 「请问楼下噪音怎么投诉」 as `ask_how_to_report` (answered with what to tell, the noise lost;
these intents are settings/courtesy.yml courtesy_intents).
When the text left after the courtesy openings (settings/courtesy.yml) and the place is
long enough and the problem-type model is confident about it, the intent becomes
`report_problem` with that confidence; the first intent keeps the rest of the probability mass.
A 特急 hazard (UrgencyDetector) counts as confident whatever its category. A message whose intent
the model is unsure of (below `uncertain_below`, or its two best guesses closer than
`ambiguity_below`: the FallbackClassifier's settings) is judged the same way, and counts as a
report when `report_problem` (and not `query_status`) is one of its two best guesses, it has
Chinese words and the problem-type model gives its problem at least 0.3 — read on the whole message,
or else on what it says besides the place, the words that announce it and a grade asked for
(「我家楼上天天往下扔垃圾，我家在海景花园6栋」: 0.24 whole, 0.47 without the estate):
「海景花园7栋门口的消防栓漏水」 is a report, not a request to rephrase. So is one the resident announces
(「我想反映一下就是…」, settings/courtesy.yml preambles) with a problem after it, and a greeting followed
by more than a place that the problem-type model reads as some problem (at least 0.3), and a correction
taking nothing back that names a place and something about it.
"""
from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from classifiers.rasa_component import ClassifyingAnnotator
from nlu.correction import claim_words, claimed_urgency, read_correction
from nlu.locate import locate
from nlu.location import text_around_place, text_without_place
from nlu.courtesy import announces_report, carries_content, courtesy_settings, problem_text, strip_courtesy
from nlu.normalize import has_chinese
from nlu.vague import content_chars

REPORT_INTENT = "report_problem"
#: a hesitant report still needs the problem-type model to see some problem in it, and is not
#: boosted over a status question (「我报修的路灯修好了没有」)
MIN_HESITANT_PROBLEM = 0.3
STATUS_INTENT = "query_status"
GREET_INTENT = "greet"
GOODBYE_INTENT = "goodbye"
#: a thank-you for a problem solved names the problem, and reports nothing (unless it is back: 「又坏了」)
_FIXED = re.compile(r"修好了|已经修好|修复了|解决了|处理好了|弄好了|恢复了|清走了|清理干净了|通了")
_BACK = re.compile(r"又|还是|再次|没修好|没解决|没处理|没弄好|不行了")


def thanks_for_a_fix(text: str) -> bool:
    """「谢谢你们，上次的路灯修好了」: thanks for a problem solved, not a report of it."""
    return bool(_FIXED.search(text)) and not _BACK.search(text)
#: letters besides the place that make a correction taking nothing back a report (「海景花园三栋漏水」)
MIN_CLAIM_CONTENT = 2
CORRECT_INTENT = "correct"
#: the urgency grade (UrgencyDetector, earlier in the pipeline) that makes any message with content a report
HAZARD = "特急"
HAZARD_CONFIDENCE = 0.9


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ReportInGreeting(ClassifyingAnnotator):
    def warm_up(self) -> None:
        courtesy_settings()
        super().warm_up()

    def problem_besides_place(self, text: str) -> float:
        """The problem-type model's confidence in what ``text`` says besides its place, the words that
        open or announce it and a grade asked for (「…，不着急，慢慢处理」); asked only of a message the
        intent model hesitates over."""
        rest = problem_text(strip_courtesy(text_around_place(text)))
        for word in claim_words():
            rest = rest.replace(word, "")
        return self.classifier.ranked(rest, top_k=1)[0][1] if has_chinese(rest) else 0.0

    def annotate(self, message: Message) -> None:
        settings = courtesy_settings()
        text = message.get(TEXT) or ""
        intent = message.get(INTENT) or {}
        problem = message.get("problem_type") or {}
        ranking_in = message.get(INTENT_RANKING_KEY) or []
        scores = [float(e.get(PREDICTED_CONFIDENCE_KEY) or 0.0) for e in ranking_in[:2]] + [0.0, 0.0]
        uncertain = (float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0) < settings.uncertain_below
                     or scores[0] - scores[1] < settings.ambiguity_below)
        # 「海景花园3栋楼道灯坏了，不着急，慢慢处理」 came out as `correct` (0.84: a grade asked for, as in
        # 「其实没那么急」) with nothing open to correct, and the report was lost; a message that takes
        # nothing back (no 「不对」「不是」「改成」) is judged like a greeting: a report when it tells one
        claim_only = intent.get(INTENT_NAME_KEY) == CORRECT_INTENT and read_correction(text) is None
        if intent.get(INTENT_NAME_KEY) not in settings.courtesy_intents and not uncertain and not claim_only:
            return
        if intent.get(INTENT_NAME_KEY) == GOODBYE_INTENT and thanks_for_a_fix(text):
            return  # 「谢谢你们，上次的路灯修好了」 was taken for a report of the light
        confidence = float(problem.get("confidence", 0.0))
        if (message.get("urgency") or {}).get("level") == HAZARD:
            # 「海景二路12号有人触电倒在地上」: a hazard is a report whatever its category
            confidence = max(confidence, HAZARD_CONFIDENCE)
        runners_up = [e.get(INTENT_NAME_KEY) for e in ranking_in[:2]]
        hesitant = ((uncertain or claim_only) and REPORT_INTENT in runners_up and STATUS_INTENT not in runners_up
                    and has_chinese(text))
        if hesitant and confidence < MIN_HESITANT_PROBLEM:
            confidence = max(confidence, self.problem_besides_place(text))
        if hesitant and confidence >= MIN_HESITANT_PROBLEM:
            # the model hesitates between a report and something else, and there is content
            # besides openings and place: a report (the form asks for what is missing)
            confidence = max(confidence, settings.min_problem_confidence)
        if (intent.get(INTENT_NAME_KEY) == GREET_INTENT and confidence >= MIN_HESITANT_PROBLEM
                and strip_courtesy(text) != text.strip() and carries_content(text)):
            # 「喂你好，海景花园三栋电梯又坏了」 (greet 0.67, the lift 0.54) was answered with a greeting and the
            # report lost: after a greeting, words that are more than a place and read as some problem are one
            confidence = max(confidence, settings.min_problem_confidence)
        # (not when it asks for a grade: 「海景花园3栋的，很急」 at the summary is that claim)
        placed = (claim_only and claimed_urgency(text) is None and locate(text).address.is_dispatchable()
                  and content_chars(text_without_place(strip_courtesy(text))) >= MIN_CLAIM_CONTENT)
        if placed:
            # 「海景花园三栋漏水」 came out as `correct` (0.49) with nothing taken back, the leak read at 0.18
            # over several categories, and the report was lost: a place and something about it is a report
            confidence = max(confidence, settings.min_problem_confidence)
        if STATUS_INTENT not in runners_up and announces_report(text):
            # 「我想反映一下就是…」 and a problem after it: the resident says it is a report
            confidence = max(confidence, settings.min_problem_confidence)
        if confidence < settings.min_problem_confidence or not (placed or carries_content(text)):
            return
        rest = 1.0 - confidence
        ranking = [{INTENT_NAME_KEY: REPORT_INTENT, PREDICTED_CONFIDENCE_KEY: confidence}]
        ranking += [{**entry, PREDICTED_CONFIDENCE_KEY: float(entry[PREDICTED_CONFIDENCE_KEY]) * rest}
                    for entry in message.get(INTENT_RANKING_KEY) or []
                    if entry.get(INTENT_NAME_KEY) != REPORT_INTENT]
        message.set(INTENT, {INTENT_NAME_KEY: REPORT_INTENT, PREDICTED_CONFIDENCE_KEY: confidence},
                    add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

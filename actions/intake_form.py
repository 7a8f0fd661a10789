"""Slot validation for the intake form, one method per slot (rasa-sdk FormValidationAction).

Questions are not uttered here: the form asks with `utter_ask_<slot>`, whose variation the
slots `problem_issue` / `location_issue` / `contact_issue` choose. The problem and the place are
always required, the details a category needs (settings/conversation.yml follow_ups) after
them; when all are filled, the summary and the next stage (confirm, or file at once for 特急)
are set in the same call.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.corrections import claim_reply, place_said, read_change, regrade, reworded
from actions.intake_draft import NOT_GIVEN, changed_slots, drafts, slot_values, stage_for, summary
from actions.last_place import OFFERED, declined, offered, says_same_place, shown
from actions.parse_data import combined_urgency, latest, latest_intent, latest_place, latest_text, problem_type
from actions.place_choice import choose, complete
from actions.place_slots import (UNCLEAR, numbered_road, place_slots, road_said, route_place, settled, unknown_name,
                                 with_fine_parts)
from actions.switched_problem import PROBLEM_SLOTS, dropped_only, dropped_reply, slots_instead
from dispatch.schema import MAX_DESCRIPTION
from common import clock
from dispatch.location import Address
from nlu.contact import only_a_phone, phone_in, without_phone
from nlu.courtesy import strip_courtesy
from nlu.conversation_settings import FOLLOW_UP_SLOTS, conversation_settings
from nlu.locate import locate
from nlu.location import extract_location, text_without_place
from nlu.reporter_concern import concern_in_report
from nlu.route import transit_line
from nlu.correction import claimed_urgency
from nlu.inquiry import is_inquiry
from nlu.normalize import has_chinese, has_meaningful_text, normalize_text
from nlu.urgency import category_floor, default_rules
from nlu.split import strip_connective
from nlu.topic_switch import drops_problem, other_problem
from nlu.vague import (content_chars, is_bare_request, name_alone, names_no_thing, only_interjections,
                       only_relative_place, says_a_name, says_only_when, says_when, with_thing_named, without_place_hedge)

REQUIRED = ("problem_description", "location")
#: letters and digits (besides place and filler words) that make a message more about the problem
MIN_MORE_CHARS = 2
#: … and besides a place it names (「海景二路12号对面的公交站旁边」 leaves 「公交站」: still where, not what)
MIN_MORE_WITH_PLACE = 4
MAX_DETAIL = 200


def skipped(text: str) -> bool:
    return any(word in text for word in conversation_settings().skip_words)


#: a yes or no said to 「从什么时候开始的？」 answers nothing (「确认」 is not a date)
NOT_AN_ANSWER = ("affirm", "deny")


def detail_answer(value: Any, tracker: Tracker) -> str:
    text = str(value or "").strip()
    intent = latest_intent(tracker)
    return NOT_GIVEN if not text or skipped(text) or intent in NOT_AN_ANSWER else text[:MAX_DETAIL]


def beside_place(text: str, named: Address) -> str:
    """What ``text`` says besides the place the NLU read in it (its text, a name the gazetteer knew with it
    included: 「广东省深圳市盐田区大梅沙」, or a pin's label) and besides any place the address reader finds."""
    return text_without_place(text.replace(named.text, "", 1) if named.text else text)


def a_place_not_a_time(tracker: Tracker) -> bool:
    """The latest message names a place and no time (「锦绣家园3栋楼下」, not 「上周开始，3栋楼下」)."""
    named, _ = latest_place(tracker)
    return bool(named.text) and not says_when(latest_text(tracker))


def unknown_place_name(tracker: Tracker) -> Optional[str]:
    """A name said alone answering where that neither the gazetteer nor the models read (「碧海湾」):
    no problem the problem-type model is sure of (unless the answer says it is a name: 「公司叫鑫达五金厂」),
    no hazard, not a yes, a no or 「不知道」."""
    text = latest_text(tracker)
    name = name_alone(text)
    found = latest(tracker, "problem_type") or {}
    urgency = latest(tracker, "urgency") or {}
    sure = found.get("level3") and not found.get("needs_review") and not says_a_name(text)
    if not name or skipped(text) or latest_intent(tracker) in NOT_MORE or sure or urgency.get("reasons"):
        return None
    return name


def emergency_advice() -> str:
    return default_rules().levels.get("特急", {}).get("advice", "")


#: a message under these intents says nothing more about the problem (a yes, a no, a greeting …)
NOT_MORE = ("affirm", "deny", "greet", "goodbye", "cancel", "request_handoff", "query_status", "correct",
            "ask_how_to_report")


def told_more(tracker: Tracker, dispatcher: CollectingDispatcher, besides: Optional[str] = None) -> Dict[Text, Any]:
    """More about the problem said instead of, or with, the place asked for (「买的预付卡健身房倒闭了」 after
    「我要退款」, 「我们二十多个人」 after unpaid wages): kept on the report — it was lost before, the
    ticket said only 「我要退款」 and went to the pensions office — the category taken from it when the
    first words left the model unsure and these do not, the grade read again. The place is asked again."""
    text = latest_text(tracker).strip()
    intent = latest_intent(tracker)
    told = tracker.get_slot("classified_text") or ""
    other = other_problem(besides or text) if told else None
    if other:  # 「算了，说另一个事，…」: not more about this problem, another one instead
        slots = slots_instead(tracker, other)
        dispatcher.utter_message(text=dropped_reply(told, other))
        if slots["urgency"] == "特急":
            dispatcher.utter_message(text=f"⚠️ {emergency_advice()}")
        return {**slots, "location_issue": None}  # the plain question: no place was tried
    if told and drops_problem(besides or text):  # 「算了，说另一个事」: the new one is still to come, and asked
        dispatcher.utter_message(text=dropped_only(told))
        return {**{name: None for name in PROBLEM_SLOTS}, "problem_issue": "vague", "location_issue": None}
    named, _ = latest_place(tracker)
    # the place the gazetteer knew in it (「沙头角」, a street said without 街道) is no more about the problem
    rest = without_place_hedge(text.replace(named.text, "") if named.text else text)
    for word in conversation_settings().skip_words:  # 「不知道」 says nothing more; 「…老人出门不方便」 does
        rest = rest.replace(word, "")
    if (not told or intent in NOT_MORE or content_chars(rest) < MIN_MORE_CHARS or only_relative_place(text)
            or only_relative_place(rest) or normalize_text(text) in normalize_text(told)):
        return {}
    description = f"{told}，{besides or text}"
    category = tracker.get_slot("problem_category") or {}
    found = problem_type(tracker)
    if found.get("level3") and not found.get("needs_review") and category.get("needs_review", True):
        category = found
    urgency = regrade(description, category, tracker.get_slot("urgency_claim"))
    dispatcher.utter_message(text="好的，这些情况已记下。")
    if urgency.level == "特急" and tracker.get_slot("urgency") != "特急":
        dispatcher.utter_message(text=f"⚠️ {emergency_advice()}")
    return {"problem_description": description[:MAX_DESCRIPTION], "classified_text": description,
            "problem_category": category or None, "urgency": urgency.level, "urgency_reasons": urgency.reasons}


def since_besides_place(tracker: Tracker) -> Dict[Text, Any]:
    """「东海岸小区2栋，昨天晚上开始的」 answering where: the place, and since when — the time was lost
    and 「从什么时候开始的？」 asked next. What the message says besides the place, when it says only
    when, is the answer to that question before it is asked."""
    rest = besides_place(latest_text(tracker)) if not tracker.get_slot("detail_since") else None
    return {"detail_since": rest[:MAX_DETAIL]} if rest and says_when(rest) and says_only_when(rest) else {}


def besides_place(text: str) -> Optional[str]:
    """What a message says besides the place it names (None when it names none)."""
    text = text.strip()
    found = extract_location(text)
    return (text[:found.start] + text[found.end:]).strip("，,。；;、 ") if found else None


def corrected_instead(tracker: Tracker, dispatcher: CollectingDispatcher, asked: str) -> Dict[Text, Any]:
    """A correction said instead of answering a detail question (「不是3栋是5栋」「不是噪音，是油烟」):
    the place or the category changes and the resident is told so (the same question again,
    without a word on the correction, reads as if it was not heard), the question stays open (a
    new category may need other details, asked next), and the resident's words stay on the report."""
    if not latest(tracker, "correction"):
        return {}
    change = read_change(tracker, tracker.get_slot("location_detail"), tracker.get_slot("problem_category") or {},
                         tracker.get_slot("classified_text") or "")
    slots: Dict[Text, Any] = {}
    taken: List[str] = []
    if change.place_settled:
        slots.update(change.place)
        taken.append(f"地点改为{change.place['location_detail'].get('text') or change.place['location']}")
    if change.category:
        taken.append("问题类型改为" + "/".join(change.category.get(k) for k in ("level1", "level2", "level3")
                                             if change.category.get(k)))
        told = reworded(tracker.get_slot("classified_text") or "", change.pairs)
        description = f"{told}（更正：{latest_text(tracker).strip()}）"
        urgency = combined_urgency({"level": tracker.get_slot("urgency") or "一般",
                                    "reasons": tracker.get_slot("urgency_reasons") or []},
                                   category_floor(change.category), tracker.get_slot("classified_text"))
        slots.update(problem_category=change.category, problem_description=description, classified_text=description,
                     urgency=urgency.level, urgency_reasons=urgency.reasons)
    if taken:
        dispatcher.utter_message(text=f"好的，{'，'.join(taken)}。")
    return {asked: None, **slots} if slots else {}


def claimed(tracker: Tracker, updates: Dict[Text, Any], dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    """「这个很急」 said while the place or a detail is asked (or with the report itself) was lost: the
    summary said 一般. The grade the resident asks for is kept (`urgency_claim`) and the report regraded
    — a 紧急 raises it, a 「不急」 lowers it no further than the hazards and the category say — and the
    resident is told the grade it is filed at."""
    claim = claimed_urgency(latest_text(tracker))
    description = updates.get("classified_text") or tracker.get_slot("classified_text")
    problems = updates["problems"] if "problems" in updates else tracker.get_slot("problems")
    if not claim or claim == tracker.get_slot("urgency_claim") or not description or problems:
        return {}  # several problems are graded each on its own
    category = updates.get("problem_category") or tracker.get_slot("problem_category") or {}
    urgency = regrade(description, category, claim)
    dispatcher.utter_message(text=claim_reply(claim, urgency))
    return {"urgency_claim": claim, "urgency": urgency.level, "urgency_reasons": urgency.reasons}


class ValidateIntakeForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_intake_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        before = dict(tracker.slots)  # rasa-sdk writes the validated values into the tracker
        events = await super().run(dispatcher, tracker, domain)
        updates = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        # nothing validated: leave the events alone, so that Rasa can reject the form for this turn
        if not any(name in updates for name in (*REQUIRED, *FOLLOW_UP_SLOTS)):
            return events
        updates.update(claimed(tracker, updates, dispatcher))
        values = slot_values(tracker, updates)
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        if all(values.get(name) for name in required):
            planned = drafts(tracker, values)
            updates.update(intake_summary=summary(planned, clock.now()), stage=stage_for(planned))
        others = [e for e in events if e.get("event") != "slot"]
        # the form's own slots always (Rasa counts them as validated), the rest only when changed
        return others + changed_slots(before, updates, keep=(*REQUIRED, *FOLLOW_UP_SLOTS, "requested_slot"))

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[Text]:
        """The problem and the place; then the details the category needs (settings/conversation.yml
        follow_ups) — not for 特急, filed at once, nor for several problems, each its own category."""
        base = [name for name in domain_slots if name in REQUIRED]
        if tracker.get_slot("inquiry") and not tracker.get_slot("location"):
            # a question about a policy (「公积金怎么提取」): there is no place to send anyone to
            base = [name for name in base if name != "location"]
        if tracker.get_slot("urgency") == "特急" or tracker.get_slot("problems"):
            return base
        category = tracker.get_slot("problem_category") or {}
        report = tracker.get_slot("classified_text") or ""
        needed = {f.slot for f in conversation_settings().follow_ups if f.needed(category, report)}
        return base + [name for name in domain_slots if name in needed]

    def validate_detail_since(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        instead = corrected_instead(tracker, dispatcher, "detail_since")
        if instead:
            return instead
        if a_place_not_a_time(tracker):
            # 「锦绣家园3栋楼下」 answering 「从什么时候开始的？」 is where, not since when (it was filed as
            # 「开始时间：锦绣家园3栋楼下」): the place is taken (validate_location) and the question stays
            return {"detail_since": None}
        return {"detail_since": detail_answer(value, tracker)}

    def validate_detail_households(self, value: Any, dispatcher: CollectingDispatcher,
                                   tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        instead = corrected_instead(tracker, dispatcher, "detail_households")
        if instead:
            return instead
        said = latest_text(tracker).strip()
        if says_only_when(said) and not tracker.get_slot("detail_since"):
            # 「从早上开始」 answering how many households are affected was filed as 「影响范围：从早上开始」:
            # it says since when, kept as that, and how many is asked again
            dispatcher.utter_message(text="好的，开始时间已记下。")
            return {"detail_households": None, "detail_since": said[:MAX_DETAIL]}
        return {"detail_households": detail_answer(value, tracker)}

    def validate_contact(self, value: Any, dispatcher: CollectingDispatcher,
                         tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        instead = corrected_instead(tracker, dispatcher, "contact")
        if instead:
            return instead
        text = str(value or "")
        number = phone_in(text)
        if number:
            return {"contact": number, "contact_issue": None}
        if skipped(text) or tracker.get_slot("contact_issue"):
            # declined, or no number the second time asked: the report goes on without one
            return {"contact": NOT_GIVEN, "contact_issue": None}
        # digits that are no number are 「不完整」; 「可以」「没错」 (yes to 「方便留一个电话吗？」) need the number asked for
        return {"contact": None, "contact_issue": "invalid" if any(ch.isdigit() for ch in text) else "missing"}

    def validate_problem_description(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "").strip()
        concern = concern_in_report(text)
        if not concern:
            return self._problem_description(text, dispatcher, tracker)
        # 「我想举报但是不想让人知道是我」: answered at once, noted on the ticket, and no part of the problem (it was
        # asked where, and filed 「但是不想让人知道是我，有人在小区里开黑诊所」)
        if strip_connective(concern.rest) != tracker.get_slot("classified_text"):
            dispatcher.utter_message(text=concern.answer)
        told = (self._problem_description(concern.rest, dispatcher, tracker) if concern.rest
                else {"problem_description": None, "problem_issue": "vague"})
        return {**told, "reporter_note": concern.note}

    def _problem_description(self, text: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        if text and strip_connective(text) == tracker.get_slot("classified_text") and tracker.get_slot("problem_category"):
            return {"problem_description": text}  # validated before (the form was restarted)
        named, _ = latest_place(tracker)
        if tracker.get_slot("requested_slot") != "problem_description" and len(beside_place(text, named)) < 2:
            told = tracker.get_slot("classified_text")
            if told and tracker.get_slot("problem_category"):
                # the place of a problem told before (a report carried into a new session)
                return {"problem_description": told}
            # a bare address (or a pin) opened the conversation: keep it for the location, say so, ask for the problem
            return {"problem_description": None, "problem_issue": "placed" if named.is_dispatchable() else None}
        if is_bare_request(text):
            return {"problem_description": None, "problem_issue": "vague"}
        if tracker.get_slot("problem_issue") == "what" and tracker.get_slot("classified_text"):
            text = with_thing_named(text, tracker.get_slot("classified_text"))  # 「楼道的灯」 → 「楼道的灯又坏了」
        elif names_no_thing(text):  # 「那个东西又坏了」: what broke is asked first, what was said kept for the answer
            return {"problem_description": None, "problem_issue": "what", "classified_text": text}
        if named.text and len(beside_place(text, named)) < 2:
            # 「5栋2单元」 answering 「请问您要反映什么问题？」 after 「锦绣家园」 was filed as the problem (安全隐患): it
            # says more of where (validate_location takes it), and what happened is asked again
            return {"problem_description": None, "problem_issue": None}
        number = only_a_phone(text)
        if number:  # 「13812345678」 alone: whom to call back, kept; the problem is still to be told
            return {"problem_description": None, "problem_issue": "phone", "contact": number}
        predicted = problem_type(tracker)
        if (not has_meaningful_text(text) or only_interjections(text)
                or (not has_chinese(text) and predicted.get("needs_review", True))):
            # no words at all, 「啊啊啊啊」, or Latin letters the problem-type model cannot place (「qwe」)
            return {"problem_description": None, "problem_issue": "unclear"}
        urgency = combined_urgency(latest(tracker, "urgency"), category_floor(predicted), text)
        # the slot holds the resident's text, the parse data its normalised form (「：」 → 「:」)
        said_now = normalize_text(text) == normalize_text(latest_text(tracker))
        problems = latest(tracker, "problems") if said_now else None
        # several problems are filed each with its own grade: the advice follows theirs, not the whole
        # message's (「楼道灯坏了，还有电梯也经常停」 together read as a hazard, neither part is one)
        levels = [(p.get("urgency") or {}).get("level") for p in problems] if problems else [urgency.level]
        if "特急" in levels:
            dispatcher.utter_message(text=f"⚠️ {emergency_advice()}")
        # a number given with the problem (「电话138…，楼道灯坏了」) is the contact, not part of the problem: a
        # description goes to departments and public answers
        number = phone_in(text)
        told = strip_connective((without_phone(text) or text) if number else text)
        contact = {"contact": number} if number and tracker.get_slot("contact") in (None, NOT_GIVEN) else {}
        line = transit_line(text) if conversation_settings().takes_route(predicted) else None
        route = route_place(line) if line and not tracker.get_slot("location") else {}
        return {"problem_description": told[:MAX_DESCRIPTION], "problem_issue": None, "classified_text": told,
                "problem_category": predicted or None, "urgency": urgency.level,
                "urgency_reasons": urgency.reasons, "problems": problems or None,
                "inquiry": is_inquiry(text) and not problems, **contact, **route}

    def validate_location(self, value: Any, dispatcher: CollectingDispatcher,
                          tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        pending = tracker.get_slot("location_candidates")
        if pending:
            chosen = choose(latest_text(tracker) or str(value or ""), pending)
            if chosen:
                return settled(complete(tracker.get_slot("location_detail"), chosen))
        own = [Address.from_dict(p.get("address")) for p in latest(tracker, "problems") or []]
        if own and all(address.is_dispatchable() for address in own):
            # several problems, each at a place of its own (「一是海景花园3栋…，二是中英街…」): each is
            # filed at its own place, and the message as a whole is not one place to ask about
            return settled(own[0])
        named, placement = latest_place(tracker)
        if value and not named.text and named.lat is None and not tracker.get_slot("location_detail"):
            # named by an earlier message the form did not run on (「the street light at 海景花园 is broken」,
            # not understood, then 「路灯坏了」): the place in the slot, not 「还没能确定具体位置」
            earlier = locate(str(value))
            if earlier.found:
                named, placement = earlier.address, {**earlier.placement.to_dict(), "doubts": earlier.doubts}
        last = offered(tracker)
        if last and not named.text and named.lat is None:
            if says_same_place(tracker):
                return settled(Address.from_dict(last))
            if declined(tracker):
                return {"location": None, "location_issue": None}  # the plain question, without the offer
        # 「5栋」 after a place was given (a correction, or an answer to another question, or offered
        # from the report filed before) refines it
        current = tracker.get_slot("location_detail") or last
        if current and value == Address.from_dict(current).display() and not named.text and named.lat is None:
            # a place settled before this form began (「还有一个事 海景花园那边」 after a filing, then
            # 「路灯坏了」): the message that starts the form names none, so the place stands
            return settled(Address.from_dict(current))
        found = (numbered_road(current, latest_text(tracker))
                 or place_said(tracker, current if current and Address.from_dict(current).is_dispatchable() else None)
                 or place_slots(named, placement))
        kept = found.get("location_detail")
        if tracker.get_slot("urgency") == "特急" and found.get("location") is None and kept and found.get(
                "location_issue") in UNCLEAR and Address.from_dict(kept).road:
            # a danger is not left unfiled while the agent asks for a number the resident may not know
            # (「海景二路」): it is filed at the road said and an operator settles the rest (the place review
            # queue). A road through several streets is still asked about: one tap routes it right.
            return settled(Address.from_dict(kept))
        place = with_fine_parts(road_said(found, current, tracker.get_slot("location_issue"), named,
                                          gave_up=skipped(latest_text(tracker))), current)
        if place.get("location") is None and place.get("location_issue") in UNCLEAR and named.lat is None:
            # not a place to choose from or outside the area: the message said something else
            line = transit_line(latest_text(tracker))
            if line and conversation_settings().takes_route(tracker.get_slot("problem_category") or {}):
                return route_place(line)  # 「23路」 after a complaint about a bus: the line is the place
            name = unknown_place_name(tracker)
            # 「盐田河」: the gazetteer read only 盐田 in it, an area, not a place; the name is what was said
            if name and (not named.text or (named.text != name and named.text in name and not named.is_dispatchable())):
                asked = unknown_name(name, Address.from_dict(current) if current else None)
                # a danger is filed at once at the name said, as at a road (above); anything else confirms it
                urgent = tracker.get_slot("urgency") == "特急"
                return settled(Address.from_dict(asked["location_detail"])) if urgent else asked
            instead = corrected_instead(tracker, dispatcher, "location")
            if instead:  # 「不是油烟，是噪音」 while asked where: the type changes, said so, and where is asked again
                return {**place, **instead, "location_issue": None}
            more = told_more(tracker, dispatcher)
            if last and not named.text:  # more about the problem, not where: the offer stands
                place.update(location_issue=OFFERED, location_place=shown(last))
            elif more and not named.text and not tracker.get_slot("location_issue"):
                # 「漏到我家卫生间了」 answering where, asked plainly: no place was tried, so the question is
                # asked plainly again, not 「抱歉，我还没能确定具体位置」
                place["location_issue"] = None
            return {**place, **more}
        if found.get("location") is None and place.get("location") and not named.text and named.lat is None:
            # asked again, the resident named no place and the road said before was taken (road_said):
            # what they said instead (「每天晚上十一点以后」) is about the problem, and was lost
            return {**place, **told_more(tracker, dispatcher)}
        if not place.get("location"):
            return place
        # what the answer says besides the place: since when (「…，昨天晚上开始的」), or more about the problem
        # (「海景花园的物业天天不打扫卫生，垃圾堆在楼道里」 after 「物业」: the ticket said only 「物业」)
        since = since_besides_place(tracker)
        if (since or tracker.get_slot("requested_slot") != "location"  # the message that told the problem
                or content_chars(text_without_place(strip_courtesy(latest_text(tracker)))) < MIN_MORE_WITH_PLACE):
            return {**place, **since}
        return {**place, **told_more(tracker, dispatcher, besides_place(latest_text(tracker)))}

"""What a resident's correction changes, read once for the summary (before filing) and for a
filed ticket (after it): the place or only its building/unit/room, the problem type, the urgency
they ask for, and their own words to keep on the ticket."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from actions.parse_data import latest, latest_place, latest_text
from actions.place_slots import place_slots, settled
from dispatch.location import COARSE_PARTS, FINE_PARTS, Address, only_fine_parts
from nlu.contact import without_phone
from nlu.continuation import without_adding
from nlu.correction import BARE_ROOM, claim_words, claimed_urgency
from nlu.location import text_without_place
from nlu.urgency import Urgency, assess_urgency, category_floor, default_rules
from nlu.vague import content_chars


def _named(address: Address) -> bool:
    return any(getattr(address, part) for part in (*COARSE_PARTS, *FINE_PARTS))


def another_place(current: Dict[str, Any], said: Dict[str, Any]) -> bool:
    """``said`` names a different estate, road, community … than ``current`` (both hold that part):
    not a detail of the same place."""
    return any(current.get(part) and said.get(part) and current.get(part) != said.get(part)
               for part in COARSE_PARTS if part != "lat")


#: how each fine part is said after its number, to find the old one in the place's text
_SAID_AS = {"entrance": r"", "building": r"\s*(?:号楼|栋|幢|座|#楼|号院)", "unit": r"\s*单元", "room": r"\s*(?:室|房|号房|户)?"}


def refine(current: Dict[str, Any], address: Address, withdrawn: List[str]) -> Address:
    """The current place with the building/unit/room the resident corrected: 「不是3栋，是5栋」 names
    what it takes back; 「不对，是5栋」 does not, and the old 3栋 leaves the text all the same (it
    read 「海景花园3栋5栋」)."""
    data = dict(current)
    text, said = data.get("text") or "", address.text or ""
    for part in FINE_PARTS:
        if getattr(address, part):
            if data.get(part) and data[part] != getattr(address, part):
                text = re.sub(rf"(?<!\d){re.escape(str(data[part]))}{_SAID_AS[part]}", "", text, count=1)
            data[part] = getattr(address, part)
    old = next((w for w in withdrawn if w and w in text), None)
    if old:
        data["text"] = text.replace(old, said)
    elif said not in text:
        data["text"] = f"{text}{said}"
    else:
        data["text"] = text
    return Address.from_dict(data)


#: a resident's words added to a description after it was told: 「（补充：是从昨天开始的）」「（更正：…）」
NOTE = re.compile(r"（(?:补充|更正)：(.*?)）")


def as_told(description: str) -> str:
    """The description as a resident would say it, each note's words after a comma: the brackets are the
    ticket's, and the urgency model, which never read them, took 「变压器声音有点大（补充：是从昨天开始的）」
    for 特急 (0.31) and the same words told plainly for 紧急."""
    return NOTE.sub(r"，\1", description)


def regrade(description: str, category: Dict[str, Any], claim: Optional[str]) -> Urgency:
    """The hazards in the description (as told) and the category floor; a resident's 紧急 raises it."""
    urgency = assess_urgency(as_told(description), category_floor(category))
    if claim and default_rules().ranks[claim] > default_rules().ranks[urgency.level]:
        return Urgency(level=claim, reasons=[*urgency.reasons, "居民说明情况紧急"])
    return urgency


def claim_reply(claim: str, urgency: Urgency) -> str:
    """What a resident who asked for a grade is told: the grade filed, and when the hazards or the
    category keep it above the one asked for (「不急」 of sewage welling up), why — in their words, not
    the model's figures."""
    ranks = default_rules().ranks
    if ranks[claim] >= ranks[urgency.level]:
        return f"好的，紧急程度按{urgency.level}登记。"
    why = next((reason.split("（")[0] for reason in urgency.reasons if reason.split("（")[0]), "")
    because = f"（{why}）" if why else ""
    if ranks[claim] > min(ranks.values()):
        # 「很急，有小孩在旁边玩」 asked for more and the children made it 特急: no 「不过…仍按」 as to one asking less
        return f"好的，这个情况{because}按{urgency.level}登记，会优先处理。"
    return f"好的。不过这个情况{because}需要及时处理，紧急程度仍按{urgency.level}登记。"


#: what a resident puts around the words taken back (「不是卖水果的」 about 「有人摆摊卖水果」)
_AROUND_TAKEN_BACK = re.compile(r"^(?:那个|这个)|[的了啊呀]+$")


def as_held(withdrawn: List[str]) -> List[str]:
    """The words taken back as a ticket would hold them: 「卖水果的」 → 「卖水果」."""
    return [_AROUND_TAKEN_BACK.sub("", w) for w in withdrawn if w]


def takes_back(problem: Dict[str, Any], withdrawn: List[str]) -> bool:
    """A word of ``withdrawn`` is in the problem's description or the name of its category."""
    category = problem.get("problem_type") or {}
    said = problem.get("description", "") + "".join(str(category.get(k) or "") for k in ("level2", "level3"))
    return any(w and w in said for w in as_held(withdrawn))


def which_problem(problems: List[Dict[str, Any]], withdrawn: List[str]) -> int:
    """The problem a correction is about: the one whose words or category it takes back, else the first."""
    return next((index for index, problem in enumerate(problems) if takes_back(problem, withdrawn)), 0)


def place_said(tracker: Tracker, current_place: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The place slots for the place the latest message names, or None when it names none: a
    building/unit/room alone refines ``current_place`` (「是5栋」), anything else is placed anew (with the
    building said before when only the site was taken back: same_building_elsewhere)."""
    address, placement = latest_place(tracker)
    if not _named(address) and current_place and Address.from_dict(current_place).building:
        # 「不对，是302」 about a place with its building: a bare number there is the room
        correction = latest(tracker, "correction") or {}
        room = BARE_ROOM.match(str(correction.get("said") or ""))
        address = Address(room=room.group(1), text=f"{room.group(1)}室") if room else address
    if not _named(address):
        return None
    withdrawn = (latest(tracker, "correction") or {}).get("withdrawn") or []
    if current_place and only_fine_parts(address):
        return settled(refine(current_place, address, withdrawn))
    return place_slots(same_building_elsewhere(current_place, address, withdrawn), placement)


def same_building_elsewhere(current: Optional[Dict[str, Any]], address: Address, withdrawn: List[str]) -> Address:
    """「不是海景花园，是锦绣家园」 about 海景花园3栋: the estate is taken back, not the building — the ticket
    went to 锦绣家园 without its 3栋. A correction naming another site and no building keeps the building,
    unit and room said before, unless the words taken back held them (「不是海景花园3栋，是锦绣家园」)."""
    if not current or not withdrawn or any(getattr(address, part) for part in FINE_PARTS):
        return address
    before = Address.from_dict(current)
    old = next((w for w in withdrawn if w and w in (before.text or "")), None)
    fine = {part: getattr(before, part) for part in FINE_PARTS if getattr(before, part)}
    if not old or not fine or any(re.search(rf"(?<!\d){re.escape(str(value))}{_SAID_AS[part]}", old)
                                  for part, value in fine.items()):
        return address
    return Address.from_dict({**address.to_dict(), **fine, "text": (before.text or "").replace(old, address.text or "", 1)})


@dataclass
class Change:
    place: Optional[Dict[str, Any]] = None  # the place slots (place_slots.py): settled, or why to ask
    category: Optional[Dict[str, Any]] = None
    claim: Optional[str] = None  # 紧急/一般 asked for in words
    note: Optional[str] = None  # 「（更正：…）」 appended to the description
    #: (taken back, said instead) of each 「不是X是Y」: reworded() replaces them in the description before filing
    pairs: List[List[str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.place or self.category or self.claim or self.note)

    @property
    def place_settled(self) -> bool:
        return bool(self.place and self.place.get("location"))


def taken_back(description: str, withdrawn: List[str]) -> Optional[str]:
    """The first of the words a correction takes back that the description says."""
    return next((word for word in as_held(withdrawn) if word and word in description), None)


def corrected_category(description: str, correction: Dict[str, Any]) -> Dict[str, Any]:
    """The category of the problem as corrected. Where the description says the words taken back,
    it is read with them replaced (「楼下饭店油烟好大」 + 「不是油烟，是噪音」 → 「楼下饭店噪音好大」): the
    words said alone are often too few for the model (「噪音」 alone once came out 体育事业, and the
    noise went to the sports bureau); they count where that reading is unsure and theirs is not.
    Where it does not (「…工地晚上还在施工 轰隆隆的」 + 「不是噪音的问题 主要是灰尘太大」), what is said
    is the problem now, and its own reading stands (the NLU's)."""
    alone = correction.get("problem_type") or {}
    old = taken_back(description, correction.get("withdrawn") or [])
    if old is None:
        return alone
    read = category_of(description.replace(old, correction.get("said") or "", 1))
    return alone if read.get("needs_review") and alone and not alone.get("needs_review") else read


def category_of(text: str) -> Dict[str, Any]:
    """The problem type of ``text`` read on its own, as the NLU puts it into the parse data (a part of a
    message: the words a correction or a change of topic leaves)."""
    from classifiers.problem_type import default_classifier  # loaded the first time a part is read

    read = default_classifier().classify(text).to_dict()
    read.pop("alternatives", None)
    return read


def read_change(tracker: Tracker, current_place: Optional[Dict[str, Any]],
                current_category: Dict[str, Any], description: str = "") -> Change:
    """What the latest message changes in a problem at ``current_place`` of ``current_category``
    told as ``description``."""
    text = latest_text(tracker).strip()
    correction = latest(tracker, "correction") or {}
    said = correction.get("said", text) if correction else text
    change = Change(claim=claimed_urgency(text), place=place_said(tracker, current_place))
    content = text_without_place(said)
    for word in claim_words() if change.claim else ():
        content = content.replace(word, "")  # 「是紧急的 污水都漫到楼道了」: the claim, and more
    says_more = content_chars(content) >= 2
    # a correction naming only a place (「不对，是海景花园北门那家」) changes no category: the model's
    # reading of a place name is no problem type (it filed a barbecue's noise as 基础设施)
    corrected_type = corrected_category(description, correction) if correction.get("problem_type") and says_more else None
    if corrected_type and corrected_type.get("level3") != (current_category or {}).get("level3"):
        change.category = corrected_type
    if says_more:
        # the resident's own words go on the ticket: a correction explains the change; a phone number given with
        # them is the contact (「我电话是136…，麻烦尽快联系我」 left 「（补充：，麻烦尽快联系我）」 once the number was cut)
        words = without_phone(text) or text
        change.note = f"（{'更正' if correction else '补充'}：{words if correction else without_adding(words)}）"
    change.pairs = correction.get("pairs") or []
    return change


def placed_anew(description: str, before: Optional[str], after: Optional[str]) -> str:
    """The description with the place's old text said as its new one, before filing and after: 「海景花园3栋漏水」
    corrected to 5栋 still said 3栋 in the problem, and the dispatcher read two places."""
    return description.replace(before, after) if before and after and before != after else description


def reworded(description: str, pairs: List[List[str]]) -> str:
    """The description with what a correction takes back replaced by what it says instead: 「锦绣家园3栋电梯坏了」 corrected 「不是3栋是5栋，也不是电梯是楼道灯」 went on saying 电梯 before
    the correction note, which a dispatcher reads first. Places are left to the place's own change (it
    replaces the place's text), numbers with them (「3栋」 may stand elsewhere in the words)."""
    text = description
    for old, new in pairs:
        if (old and new and old in text and not any(ch.isdigit() for ch in old) and text_without_place(old) == old
                and _A_NAME.fullmatch(new)):
            text = text.replace(old, new, 1)
    return text


#: what can stand in a sentence for the word taken back: a name of a thing (「楼道灯」「噪音」), not a clause
#: (「不是垃圾，是有人乱摆摊」 made 「小区门口有人乱摆摊没人清」)
_A_NAME = re.compile(r"(?!.*(?:有人|了|在|被|把|得|着|没|不|是))[^，,。！？\s]{1,6}")


def nothing_said(tracker: Tracker) -> bool:
    """「不对」 alone: a no without saying what is wrong."""
    correction = latest(tracker, "correction") or {}
    said = correction.get("said", latest_text(tracker)) if correction else latest_text(tracker)
    return not said.strip("，。！？ ")

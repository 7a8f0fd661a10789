"""Splitting a message that reports several problems into one text per problem.

Clauses are cut at sentence marks and commas. A clause starts a further problem only when the
resident marks it as one — a connective (另外, 还有, 此外, 其次, 「2、」…) or an additive 「也」
near its start (「小区门口路面也被挖坏了」) — and the problem-type model reads it confidently
as a different problem from what came before, or it names a place of its own other than the
one before (「一是海景花园3栋门口的垃圾桶…，二是中英街的公厕…」: two places are two tickets,
even when both are the same kind of problem). Without that mark, a long single-topic letter
would be cut into several tickets: on 300 real single-topic letters (teddy train.csv, seed 1),
cutting at every confident topic change split 108 (36 %); this rule splits 7, and 6 of another
300 (seed 2) — mostly letters that number separate points (「1、…2、…」). Re-measured with the
models of 2026-11-29: 16 and 12 of those 300 with or without the place rule (it adds none: a
place counts only when a ticket could be filed at it, which 「该路」 cannot).
"""
from __future__ import annotations

import functools
import re
from typing import Callable, List, Optional, Tuple

_CLAUSE_END = re.compile(r"(?<=[。！？；\n，,])|(?=另外|还有就是|还有|此外|同时还|并且还)")
#: a clause that opens a further problem
_FURTHER = re.compile(r"^(?:另外|还有|此外|同时还|并且还|再有|再就是|其次|另一[个件点条]|再一个|第[二三四五六]|[二三四五六]是|[2-6][、.．)）]"
                      r"|[^，,。！？我你他她们]{1,6}也(?!是|希望|想|要|不|没|就|会|能|可以|请|应|该|很|太|都|还|只)"
                      r"|[^，,。！？我你他她们]{1,8}也(?:不|没)(?:亮|通|能用|转|出水|来水|来电|工作|好使|管用|灵)"
                      r"|[^，,。！？我你他她们]{1,8}也没人(?:收|管|清|扫|修|处理|理))")
#: a connective counting the problems (「还有一个是」「另一件事是」「第二个是」「二是」): another problem follows for sure
_COUNTED_NEXT_PROBLEM = re.compile(r"^(?:还有|另外)?(?:一|另一|另)[个件点条](?:事情|事|问题)?就?是|^第[二三四五六][个件点条]?是?|^[二三四五六]是"
                                   r"|^[2-6][、.．)）](?!\d)|^[(（][2-6][)）]")
#: the connective or the number itself is not part of the problem (nor 「而且」 before a problem marked by 「也」:
#: 「海景花园7栋电梯坏了三天了，而且楼道灯也不亮」 filed 「而且楼道灯也不亮」)
_CONNECTIVE = re.compile(r"^(?:另外|还有就是|还有(?:一|另一|另)?[个件点条](?:事情|事|问题)?就?是|还有(?:一|另一|另)[个件](?:事情|事)|还有|此外|同时还|并且还|并且|而且还|而且|同时(?=[，,、\s])|对了|再有|再就是|其次|另一[个件点条](?:事情|事)?是?|再一个是?|第[二三四五六][个点条]?是?|[二三四五六]是"
                         r"|[2-6][、.．)）]|[(（][2-6][)）])[，,、:：\s]*")
#: 「反映两个事：一是…」「第一，…」 before the first of several problems
_FIRST = re.compile(r"^(?:[^，,。！？]{0,12}[:：]\s*|[^，,。！？]{0,8}(?:事|问题|情况|地方)[，,\s]*)?(?:一是|一[个件](?:事情|事)?是|第一[个点条]?是?|1[、.．)）]|[(（]1[)）])[，,、:：\s]*")
#: 「两个事 一是楼道灯坏了 二是垃圾没人收」 said without a comma (a call, a quick message): where 一是
#: or 第一 was said, 二是 / 第二 … begin a clause of their own
_COUNTED_FIRST = re.compile(r"一是|第一")
_COUNTED_NEXT = re.compile(r"(?=[二三四五六]是|第[二三四五六])")
#: … and in a short message 「1.…2.…」「（1）…（2）…」 numbered without a line between them (not 「2.5米」): a WeChat
#: message listing problems (a letter numbers the points of one complaint: splitting there split 6 more of
#: train.csv's 963 letters)
_NUMBERED_FIRST = re.compile(r"(?<![\d.])1[、.．)）](?!\d)|[(（]1[)）]")
_PAREN_NUMBER = re.compile(r"^[(（][2-6][)）]")
#: 「2.」「（2）」「二是」「第二个」 after a first one, in a short message: the resident numbers the problems, and each
#: is one however unsure the model is of it (「1.小区门口路灯不亮 2.垃圾桶没人清 3.停车位被占」 filed the parking
#: spaces inside the rubbish ticket: 「停车位被占」 read 0.23). Not 「第二次」「第二天」: a time, not a count of problems
_NUMBERED_PROBLEM = re.compile(r"^(?:第[二三四五六](?=[个件点条是，,、:：\s])|[二三四五六]是|[2-6][、.．)）](?!\d)|[(（][2-6][)）])")
_NUMBERED_NEXT = re.compile(r"(?=(?<![\d.(（])[2-6][、.．)）](?!\d)|[(（][2-6][)）])")
#: 「对了还有个事，…」「另外我还有一个问题：…」: words that only announce a problem to come are none themselves
#: (「对了还有个事」 was filed as a problem of its own, 安全隐患, beside the elevator the resident went on to)
_ANNOUNCEMENT = (r"(?:对了|另外|还有|此外|再有|然后|哦)*[，,、\s]*(?:(?:我|我们)?(?:还|再)?(?:有|要|想)?(?:说|反映|讲|问)?(?:一下)?"
                 r"(?:一|两|另一|另)?[个件点条]?(?:事|事情|问题|情况)(?:要|想)?(?:说|反映|讲)?(?:一下)?)?")
_COUNTED_WORD = re.compile(r"[个件点条]")
_ANNOUNCES = re.compile(rf"{_ANNOUNCEMENT}[，,。！!：:；;\s]*")
_ANNOUNCED = re.compile(rf"^{_ANNOUNCEMENT}[，,。！!：:；;\s]+")
#: 「…，三是有人占道经营，都在海景花园门口」: a closing clause placing all the problems together is no part
#: of the last one (its ticket read 「有人占道经营，都在海景花园门口」); each problem is placed there anyway
_ALL_THERE = re.compile(r"^(?:这些|以上|上面|这几个|这两个|这三个)?(?:问题|事情?)?(?:都|全|全都)(?:是)?(?:在|位于)")

#: a message this long or shorter is a chat message or a short call, not a letter: a marked clause after a
#: problem the model is unsure of starts a further problem even under the same label (on train.csv's 963
#: letters, doing so for any length split 7 more single-topic letters; up to this length, none)
SHORT_MESSAGE = 100

#: (label, confidence) for a clause
Classify = Callable[[str], Tuple[str, float]]
#: what place a clause names (a key to compare), or None when it names none
PlaceOf = Callable[[str], Optional[Tuple[str, ...]]]


def clauses(text: str) -> List[str]:
    parts = _CLAUSE_END.split(text)
    if _COUNTED_FIRST.search(text):
        parts = [piece for part in parts for piece in _COUNTED_NEXT.split(part)]
    if len(text) <= SHORT_MESSAGE and _NUMBERED_FIRST.search(text):
        parts = [piece for part in parts for piece in _NUMBERED_NEXT.split(part)]
    return [c for c in (part.strip() for part in parts) if c.strip("，,。！？；、 ")]


def strip_connective(text: str) -> str:
    """「还有楼道灯也坏了」 told as a problem of its own (after a place said alone, or to a summary): the word
    joining it to what came before is no part of the problem, nor are words announcing it (「对了还有个事，」)."""
    stripped = _CONNECTIVE.sub("", text)
    if _COUNTED_WORD.match(stripped):
        stripped = text  # 「还有个问题很严重」: 还有 is the verb there, not a connective
    announced = _ANNOUNCED.match(stripped)
    if announced and announced.group(0).strip("，,。！!：:；;、 ") and announced.end() < len(stripped):
        stripped = stripped[announced.end():]
    return stripped or text


def announces(clause: str) -> bool:
    """The clause only says a problem is coming (「对了」「还有个事」「另外我还有一个问题：」)."""
    return bool(clause.strip("，,。！!？?：:；;、 ")) and bool(_ANNOUNCES.fullmatch(clause.strip()))


def split_problems(text: str, classify: Classify, place_of: Optional[PlaceOf] = None,
                   min_confidence: float = 0.45, min_chars: int = 5) -> List[str]:
    """Return the text of each problem reported in ``text`` (at least one)."""
    parts = clauses(text)
    if len(parts) <= 1:
        return [text.strip()] if text.strip() else []
    # asked once per clause: each further problem compares its place with every clause before it, and
    # locating the same clauses again cost the longest letters about 3 ms of 29
    place_of = functools.cache(place_of) if place_of else None
    # a clause's label is asked only when a marked clause needs it: a message with no marked clause (most
    # single problems) costs no classification here, which matters when the model reads a sentence encoder
    classify = functools.cache(classify)
    groups: List[Tuple[List[str], str]] = []  # clauses of each problem, and the clause that opened it
    # 「…，还有个事，门口的垃圾没人清」: in a chat message the clause after an announcement is marked by it (in a
    # letter a bare 「另外，」 marks nothing more than before: on train.csv's 963 letters it split 2 more)
    announced = False
    counted = len(text) <= SHORT_MESSAGE and bool(_COUNTED_FIRST.search(text) or _NUMBERED_FIRST.search(text))
    for clause in parts:
        if announces(clause) and len(parts) > 1:
            announced = announced or (bool(groups) and len(text) <= SHORT_MESSAGE)
            continue
        if not groups:
            groups.append(([clause], clause))
            continue
        before, opening = groups[-1]
        if counted and _NUMBERED_PROBLEM.match(clause) and len(clause.strip("，,。！？；")) >= min_chars:
            groups.append(([_CONNECTIVE.sub("", clause)], clause))
            announced = False
            continue
        numbered = len(text) <= SHORT_MESSAGE and _PAREN_NUMBER.match(clause)  # 「（2）」: in a letter, a point
        marked = (announced or _FURTHER.match(clause) or numbered) and len(clause.strip("，,。！？；")) >= min_chars
        announced = False
        if not marked:  # an unmarked clause goes on the problem before it: its own label is not needed
            before.append(clause)
            continue
        before_label, before_confidence = classify(opening)
        label, confidence = classify(clause)
        if len(text) <= SHORT_MESSAGE and _COUNTED_NEXT_PROBLEM.match(clause):
            # 「还有一个是小区门口有人占道摆摊」 says another problem follows and read 0.33, the stall itself 0.71: in a
            # short message the surer reading counts. Not after a bare 「另外」「还有」: 「另外该路车司机服务态度极差」
            # read alone is 殡葬管理 0.50, and the bus fare before it one complaint (in letters, counted or not,
            # it split 5 more of train.csv's 963, none of them two problems)
            label, confidence = max((label, confidence), classify(_CONNECTIVE.sub("", clause) or clause),
                                    key=lambda reading: reading[1])
        # the problem before read unsure (「…有人占用消防通道停车」 0.15) and happening to share the marked
        # clause's label (「还有楼道灯也坏了」) is no sign of one topic in a message this short
        unsure_before = before_confidence < min_confidence and len(text) <= SHORT_MESSAGE
        if ((confidence >= min_confidence and (label != before_label or unsure_before))
                or (before_confidence >= min_confidence and _elsewhere(clause, before, place_of))):
            groups.append(([_CONNECTIVE.sub("", clause)], clause))
        else:
            before.append(clause)
    if len(groups) > 1 and len(groups[-1][0]) > 1 and _ALL_THERE.match(groups[-1][0][-1]) and (
            place_of is None or place_of(groups[-1][0][-1])):
        groups[-1][0].pop()
    if not groups:
        return [text.strip()]
    texts = ["".join(c).strip("，,；;。 ") for c, _ in groups]
    if len(texts) > 1:
        texts[0] = _FIRST.sub("", texts[0]) or texts[0]
    return texts


def _elsewhere(clause: str, group: List[str], place_of: Optional[PlaceOf]) -> bool:
    """``clause`` names a place, and the problem before it names another one."""
    if place_of is None:
        return False
    here = place_of(clause)
    before = next((p for p in map(place_of, group) if p), None)
    return bool(here and before and here != before)

"""A request to report that does not say what happened: 「我要投诉」「有个事想反映一下」.

A 12345 operator answers such an opening with 「请问您要反映什么问题？」; filing it as the
problem loses the real one (issue 13). The words are in settings/conversation.yml.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Pattern, Tuple

from nlu.conversation_settings import conversation_settings
from nlu.courtesy import strip_courtesy
from nlu.location import text_without_place
from nlu.normalize import normalize_text
from nlu.words import tagged

#: fewer letters/digits/characters than this left besides the request: nothing was said
MIN_CONTENT_CHARS = 2


@lru_cache(maxsize=1)
def _patterns() -> Tuple[Pattern[str], Pattern[str]]:
    settings = conversation_settings()
    words = "|".join(map(re.escape, settings.request_words))
    fillers = "|".join(map(re.escape, sorted({*settings.request_words, *settings.request_fillers},
                                             key=len, reverse=True)))
    return re.compile(words), re.compile(fillers)


def is_bare_request(text: str) -> bool:
    """True when ``text`` asks to report (a request word) and says nothing else but a place."""
    request, _ = _patterns()
    work = strip_courtesy(normalize_text(text or ""))
    if not request.search(work):
        return False
    return _letters(text_without_place(work) if work else "") < MIN_CONTENT_CHARS


#: a direction after a verb says how something moved (「漏下来」「冒出来」「流进去」): content, though its
#: characters alone are request fillers (「来反映一下」)
_DIRECTION = re.compile(r"[上下进出回过起](?:来|去)")


def _letters(work: str) -> int:
    """Letters and digits left in ``work`` once the request words and fillers are taken out."""
    _, fillers = _patterns()
    return sum(ch.isalnum() for ch in fillers.sub("", _DIRECTION.sub("动", work)))


#: what opens a further matter (「还有一个事」「另外」「对了」) without saying what it is
_OPENING = re.compile(r"^(?:还有就是|还有|另外|此外|对了|再就是|再有|然后)")


def content_chars(text: str) -> int:
    """Letters and digits ``text`` has besides courtesy, the place, the words that ask to report
    and those that open a further matter: how much it says about a problem at all. 「还有一个事
    海景花园那边」 says nothing (0); 「树倒了」 little (2)."""
    work = strip_courtesy(normalize_text(text or ""))
    return _letters(_OPENING.sub("", text_without_place(work).strip() if work else ""))


#: words that only say when or how long (「每天晚上」「从昨天开始」「三天了」)
_WHEN = re.compile(r"每天|每晚|每周|天天|昨天|前天|今天|上周|上个?星期|上个?礼拜|上个?月|去年|最近|这几天|这两天|一直|"
                   r"早上|上午|中午|下午|傍晚|晚上|凌晨|半夜|夜里|深夜|开始|以来|到现在|至今|从|好几|"
                   r"[\d一二两三四五六七八九十几半多]+个?(?:点钟?|天|周|星期|礼拜|月|年|小时)")


def says_when(text: str) -> bool:
    """Whether ``text`` says when or how long at all (「从上周开始」「每天中午」「三天了」)."""
    return bool(_WHEN.search(normalize_text(text or "")))


def says_only_when(text: str) -> bool:
    """「每天晚上」「从昨天开始」: a time said (to the summary, or to 「从什么时候开始的？」), not a
    problem — the problem-type model is sure of nearly anything on four characters (「每天晚上」
    read as 治安案件 0.88)."""
    work = _WHEN.sub("", strip_courtesy(normalize_text(text or "")))
    return bool(text and text.strip()) and _letters(work) < MIN_CONTENT_CHARS


#: 「公司叫…」「厂子名字叫…」「名叫…」: an answer that says outright that what follows is a name (a bare 「叫」
#: is not: 「叫卖声太吵」)
_NAMING = r"(?:我们|我的)?(?:(?:公司|单位|厂子?|店|工地|商家)(?:名字|名称)?|名字|名称)(?:叫做|名叫|叫)|叫做|名叫"
#: a name said alone: 「碧海湾」「就是碧海湾那边」「公司叫鑫达五金厂」 (the words around it are not part of it)
_NAME_AROUND = re.compile(rf"^(?:在|是|就是|就在|我在|我们在|我家在|住在|{_NAMING})"
                          r"|(?:那边|这边|那里|这里|那儿|附近|里面|小区里)$")
MAX_NAME_CHARS = 6
#: a workplace or a shop is named longer (「鑫达五金制品有限公司」); its kind word says it is a name, not a sentence
_BUSINESS_NAME = re.compile(r"^[\u4e00-\u9fff]{2,14}(?:有限公司|公司|集团|工厂|厂|商行|门店|商店|工地|酒楼|餐厅|饭店|餐馆|酒店|宾馆|"
                            r"工作室|物流|快递|超市|便利店|药店|药房|诊所|驾校|旅行社|健身房|培训中心|培训班)$")
#: words that place an answer relative to the resident, not by a name (「我们小区」「楼下」)
_RELATIVE_PLACE = ("小区", "楼下", "楼上", "这里", "那里", "这边", "那边", "家里", "门口", "附近", "隔壁", "对面",
                   "后面", "前面", "旁边", "后边", "前边", "边上")

#: words that point without naming (「就是那个」「那个地方」)
_DEMONSTRATIVE = re.compile(r"(?:那|这)(?:个|儿|块|片|一块)?(?:地方|位置|东西)?")

#: 「我也不知道地址」「具体门牌记不清了」: a resident saying what they cannot tell of the place, said with the place
#: they can (「我也不知道地址，就在沙头角菜市场后面」) — nothing more about the problem (it was added to the
#: description as 「我也不知道地址，就在后面」)
_PLACE_HEDGE = re.compile(r"[我也都还]*(?:不知道|不清楚|不太清楚|说不清|说不上来|记不清|不记得|不晓得)了?(?:具体)?的?"
                          r"(?:地址|位置|门牌号?|路名|楼号|叫什么(?:名字)?|在哪里?)|"
                          r"(?:具体)?的?(?:地址|位置|门牌号?|路名|楼号)[我也都]*(?:不知道|不清楚|不太清楚|说不清|说不上来|记不清|"
                          r"不记得|不晓得)了?")


def without_place_hedge(text: str) -> str:
    """``text`` without what it says the resident cannot tell of the place (_PLACE_HEDGE)."""
    return _PLACE_HEDGE.sub("", text or "")


def _short_answer(text: str) -> str:
    """An answer as said, without courtesy and the marks around it."""
    return strip_courtesy(normalize_text(text or "")).strip("，。！？,.!? ")


def only_relative_place(text: str) -> bool:
    """「我们小区」「就在我家楼下」: where, relative to the resident, and nothing about the problem."""
    work = _short_answer(text)
    for word in ("我们家", "我们", "我家", "咱们", "就在", "就是", "在", "的", *_RELATIVE_PLACE):
        work = work.replace(word, "")
    return bool(text and text.strip()) and not work


def says_a_name(text: str) -> bool:
    """「公司叫鑫达五金厂」「叫顺达物流」: the answer opens by saying a name follows, whatever the words of the name
    suggest (公司 made the problem-type model sure of a labour dispute; 物流, said at the summary, filed a second
    ticket under 物流管理). Whether a name does follow is name_alone's."""
    work = _short_answer(text)
    # 「叫顺达物流」: a bare 「叫」 before a business's name, its kind word last, says a name as well
    return bool(re.match(_NAMING, work)) or (work.startswith("叫") and bool(_BUSINESS_NAME.match(work[1:])))


#: jieba's tags of which a name holds at least one: nouns (names of people, places, bodies, others), localities,
#: places, abbreviations
_NAME_TAGS = ("n", "f", "s", "j")


def name_alone(text: str) -> Optional[str]:
    """The name a short answer says and nothing else (two to six Chinese characters, or a business's name
    ending in its kind word; no place relative to the resident, no question word), or None."""
    work = _short_answer(text)
    for _ in range(2):  # 「就是在碧海湾那边」: 就是, then 在
        work = _NAME_AROUND.sub("", work)
    if any(word in work for word in _RELATIVE_PLACE) or any(word in work for word in ("什么", "哪", "谁")):
        return None  # 「叫什么来着」 asks, names nothing
    if _DEMONSTRATIVE.fullmatch(work):
        return None  # 「就是那个」 points, names nothing (it was told 「没有找到「那个」」)
    if _BUSINESS_NAME.match(work):
        return work
    if not (2 <= len(work) <= MAX_NAME_CHARS and all("\u4e00" <= ch <= "\u9fff" for ch in work)):
        return None
    # 「坏了」 answering where (after 「路灯」) was told 「辖区地名库里没有找到「坏了」」: a name holds a noun, a place
    # word or a locality (「碧海湾」 nr+ns, 「金色年华」 nz, 「幸福里」 a+f); a state (a, d, v, ul) is no name
    return work if any(tag.startswith(_NAME_TAGS) for _, tag in tagged(work)) else None


#: a thing not named (「那个东西」「它」), and a breakdown said of it (「又坏了」「不能用了」)
_UNNAMED_THING = re.compile(r"(?:我们|我家|家里|楼里|小区里?)?(?:那个|这个|那|这)?(?:东西|玩意儿?)|它")
_BROKEN = re.compile(r"(?:又|还|也|一直|老是|总是|经常|都)*(?:坏掉|坏|出问题|出毛病|出故障|不行|不好使|不能用|用不了|不管用|"
                     r"不工作|没修好|没人修|没修)")
_DURATION = re.compile(r"好几个?(?:天|周|星期|礼拜|月|年|小时)")
#: an answer saying a state, not only a thing (「楼道灯不亮了」「水管漏了」)
_SAYS_STATE = re.compile(r"[不没了漏堵断破]")
#: what an answer naming the thing opens with (「就是楼道的灯」)
_POINTING = re.compile(r"^(?:就是|是|那个是|坏的是)")


def names_no_thing(text: str) -> bool:
    """「那个东西又坏了好几天了」「又坏了」: something broke, and what it is was not said — a 12345 operator asks
    what before where (the agent asked where, and would have filed 「那个东西」 under whatever the model guessed)."""
    work = text_without_place(strip_courtesy(normalize_text(text or "")))
    if not _BROKEN.search(work):
        return False
    rest = _WHEN.sub("", _DURATION.sub("", _BROKEN.sub("", _UNNAMED_THING.sub("", work))))
    return _letters(rest.replace("已经", "").replace("都", "")) == 0


def with_thing_named(answer: str, told: str) -> str:
    """The problem once the thing is named: 「楼道的灯」 answering what broke in 「那个东西又坏了好几天了」 →
    「楼道的灯又坏了好几天了」; an answer that says the breakdown itself (「楼道灯不亮了」) stands alone."""
    named = _POINTING.sub("", (answer or "").strip()).rstrip("。！!，, ")
    if not named or _BROKEN.search(named) or _SAYS_STATE.search(named) or len(named) > 12:
        return answer
    return named + _UNNAMED_THING.sub("", told or "").lstrip("，,、 ")


#: sounds and marks that say nothing (「啊啊啊啊」「嗯嗯」「哈哈哈」「？？？」)
_INTERJECTIONS = re.compile(r"[啊呀哦噢嗯唉哎呃哇嘿喂诶欸呵哈嘛呢吧了！!？?。，,~～…\s]+")


def only_interjections(text: str) -> bool:
    """「啊啊啊啊啊啊」: nothing but sounds — it was taken for a problem and the resident asked where it was."""
    work = normalize_text(text or "")
    return bool(work) and not _INTERJECTIONS.sub("", work)

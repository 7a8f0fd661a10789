"""Text normalisation applied before anything reads a resident's message.

Residents type on phones (full-width punctuation, emoji, stray spaces, traditional characters — a
phone set to Hong Kong or Taiwan input, a resident from there) and hotline calls arrive as ASR text;
every later step (tokenizer, classifier, address parser, gazetteer) sees the same clean, simplified form.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import opencc

from common.privacy import spoken_digits
from nlu.dialect import as_mandarin

#: Messages longer than this are cut before analysis; the full text is still stored on the ticket.
MAX_ANALYZED_CHARS = 2000

_EMOJI = re.compile(
    "["
    "\U0001F000-\U0001FAFF"  # pictographs, emoticons, transport, supplemental symbols
    "\u2600-\u27BF"  # misc symbols, dingbats
    "\uFE0F\u200D\u20E3"  # variation selector, zero-width joiner, keycap
    "]+"
)
_SPACES = re.compile(r"\s+")
_REPEATED_PUNCT = re.compile(r"([，。！？、；：,.!?;:~～])\1+")
# Spaces between two CJK characters carry no meaning (ASR inserts them between words).
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
#: 「锦绣家园 12 栋 2 单元」「海涛路 88 号」: spaces around a building, unit, room or house number (typed so, or put in
#: by ASR) part the number from its place: the place read 「锦绣家园12 栋2 单元」, and 「海涛路 88 号」 lost its number
_ADDRESS_UNIT = r"(?:号楼|栋|幢|座|单元|号|楼(?![上下道梯顶])|层|室|巷|弄)"
_NUMBER_SPACE = re.compile(rf"(?<=[\u4e00-\u9fff])\s+(?=\d{{1,5}}\s*{_ADDRESS_UNIT})|(?<=\d)\s+(?={_ADDRESS_UNIT})")


#: a message of nothing but approval emoji is a yes (「👍」 at the summary on WeChat)
_APPROVAL = re.compile(r"^(?:[\U0001F44D\U0001F44C\u2705\U0001F197\U0001F646\u270C\uFE0F\U0001F3FB-\U0001F3FF]|\s)+$")


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    """OpenCC's traditional → simplified conversion (phrase-aware: 「乾隆」 stays, 「乾淨」 → 「干净」);
    simplified text passes unchanged (all 2,818 of our problem examples did), about 2 µs a message."""
    return opencc.OpenCC("t2s")


_CONVERT_LOCK = threading.Lock()


def simplified(text: str) -> str:
    """``text`` in simplified characters: 「海景花園3棟樓道燈壞了」 → 「海景花园3栋楼道灯坏了」."""
    with _CONVERT_LOCK:  # one converter per process, shared by the server's threads
        return _to_simplified().convert(text)


#: WeChat's own emoticons arrive as their names in brackets (「[捂脸]」「[流泪]」「[强]」): no words of the report. Only
#: the names of WeChat's set: a resident's own bracketed word (「[紧急]」「[危险]」) says something
_WECHAT_EMOTICONS = (
    "微笑 撇嘴 色 发呆 得意 流泪 害羞 闭嘴 睡 大哭 尴尬 发怒 调皮 呲牙 惊讶 难过 囧 抓狂 吐 偷笑 愉快 白眼 傲慢 困 惊恐 憨笑 悠闲 "
    "咒骂 疑问 嘘 晕 衰 骷髅 敲打 再见 擦汗 抠鼻 鼓掌 坏笑 右哼哼 左哼哼 哈欠 鄙视 委屈 快哭了 阴险 亲亲 可怜 笑脸 生病 脸红 "
    "破涕为笑 恐惧 失望 无语 嘿哈 捂脸 奸笑 机智 皱眉 耶 吃瓜 加油 汗 天啊 社会社会 旺柴 好的 打脸 哇 翻白眼 666 让我看看 叹气 苦涩 "
    "裂开 嘴唇 爱心 心碎 拥抱 强 弱 握手 胜利 抱拳 勾引 拳头 OK 合十 啤酒 咖啡 蛋糕 玫瑰 凋谢 菜刀 炸弹 便便 月亮 太阳 庆祝 礼物 "
    "红包 發 福 烟花 爆竹 猪头 跳跳 发抖 转圈").split()
_WECHAT_EMOTICON = re.compile(r"\[(?:" + "|".join(map(re.escape, _WECHAT_EMOTICONS)) + r")\]")


def strip_emoji(text: str) -> str:
    return _WECHAT_EMOTICON.sub("", _EMOJI.sub("", text))


@lru_cache(maxsize=512)
def normalize_text(text: str, max_chars: int = MAX_ANALYZED_CHARS) -> str:
    """Return the canonical form of a message: Cantonese words as Mandarin (nlu/dialect.py), NFKC (full-width
    → half-width digits and letters, keeping Chinese punctuation readable), simplified characters, no emoji,
    phone and ID numbers said in words as digits, single spaces, no repeated punctuation. Remembered for the
    last texts: each part of the understanding normalises what it is given (a letter was normalised eight
    times in one analysis, half a millisecond each time for a long one)."""
    if not text:
        return ""
    if text.strip() and _APPROVAL.match(text):
        return "好的"
    # Cantonese first: 𨋢 and 點解 are read before OpenCC turns them into other characters
    text = simplified(unicodedata.normalize("NFKC", as_mandarin(text)))
    # NFKC turns Chinese full-width punctuation into ASCII; keep the sentence marks Chinese so
    # that sentence splitting sees one kind.
    text = text.translate(str.maketrans({",": "，", "!": "！", "?": "？", ";": "；"}))
    text = strip_emoji(text)
    text = _NUMBER_SPACE.sub("", _CJK_SPACE.sub("", text))
    # a phone or ID number typed or said in words (「一三九一二三四五六七八」): digits, so that it is read as the
    # contact and masked wherever numbers are (common/privacy.py); in words it was shown and filed whole
    text = spoken_digits(text)
    text = _SPACES.sub(" ", text).strip()
    text = _REPEATED_PUNCT.sub(r"\1", text)
    return text[:max_chars]


_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def has_chinese(text: str) -> bool:
    """True when the message has at least one Chinese character (「qwe」 has none)."""
    return bool(_CHINESE.search(text or ""))


def mostly_latin(text: str) -> bool:
    """Most of the message's letters are Latin (「the elevator in building 5 of 海景花园 is broken」): written in
    another language (three words or more), told in both that only Chinese is taken."""
    words = re.findall(r"[A-Za-z]{2,}", text or "")  # a sentence of words, not a stray 「asdkjh」
    latin = sum(map(len, words))
    return len(words) >= 3 and latin > 2 * len(_CHINESE.findall(text or ""))


def has_meaningful_text(text: str) -> bool:
    """True when the message contains at least one letter, digit or Chinese character."""
    return any(ch.isalnum() for ch in normalize_text(text))

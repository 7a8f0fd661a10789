"""A Chinese text's words as jieba cuts them, by jieba-rs (the `rjieba` wheel): jieba's dictionary and
HMM in Rust, about eighteen times faster. Cutting letters into words was the largest share of their
analysis (the urgency model reads a whole letter, the problem-type model its first 600 characters).

jieba-rs keeps a run of ASCII letters, digits and punctuation whole (「0000-00000000」「baidu.com」)
where jieba cuts it into letters-and-digits pieces (with a decimal or a percent sign) and what lies
between them. Such runs are cut again here as jieba cuts them, so models trained on jieba's words read
the same terms: on 37,908 texts (our training data, the benchmarks' reports and letters, the
platform's messages and its replies) the words are jieba's, except for 「啊」 said 500 times, where two
cuts are equally likely.

Part-of-speech tags still come from jieba (jieba-rs tags differ: 276 of 300 letters), whose dictionary
loads on first use — 0.6 s — so the servers load it at start (load_tagger).
"""
from __future__ import annotations

import re
from typing import List, Tuple

import jieba
import jieba.posseg
import rjieba

jieba.setLogLevel(60)

#: jieba's own pattern for the letters-and-digits pieces of an ASCII run (jieba.finalseg.re_skip)
_ASCII_PIECE = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


def cut(text: str) -> List[str]:
    """Every word of ``text`` in order, spaces and punctuation included (as jieba.lcut gives them)."""
    out: List[str] = []
    for word in rjieba.cut(text):
        if word.isascii() and not _ASCII_PIECE.fullmatch(word):
            out.extend(piece for piece in _ASCII_PIECE.split(word) if piece)
        else:
            out.append(word)
    return out


def tagged(text: str) -> List[Tuple[str, str]]:
    """Each word of ``text`` with jieba's part-of-speech tag (「井盖」 n, 「坏」 v)."""
    return [(pair.word, pair.flag) for pair in jieba.posseg.cut(text)]


def load_tagger() -> None:
    """Load jieba's dictionary now rather than on the first message that needs tags (0.6 s once per process)."""
    jieba.initialize()

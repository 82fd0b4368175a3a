"""The abstract's key result: the sentence that carries its main quantitative claim.

Shown only where no one has written a headline for the paper, and always
marked as extracted. A claim is a multiplier (``9.65x``, ``1.49$\\times$``,
``3-fold``) or a percentage (``32%``, ``78.4 percent``), or a number next to
a word of comparison (``outperforms ... by 0.5``); the sentence with the
strongest claim wins, the earlier one on a tie. A sentence with none of
these (``on 2560 GPUs``) is never picked: no result beats a wrong one.
"""
from __future__ import annotations

import re

from generator.site.abstracts import paragraphs

_NUMBER = r"\d+(?:[.,]\d+)*"
_DIGIT = re.compile(r"\d")
_MULTIPLIER = re.compile(
    _NUMBER + r"\s*(?:\$\s*\\(?:times|!)\s*\$|[x×](?![a-wyz])|\s?times\b|-?fold\b)"  # 9.65x, 1.49$\times$
    r"|\$[^$]*?" + _NUMBER + r"\s*\\times\s*\$",  # $3.2\times$, $7$--$173\times$
    re.IGNORECASE)
_PERCENT = re.compile(_NUMBER + r"\s*(?:\\?%|percent\b|pp\b|percentage points?\b)", re.IGNORECASE)
_COMPARISON = re.compile(
    r"\b(?:speed-?ups?|faster|slower|outperform\w*|improv\w*|reduc\w*|lower\w*|higher|increas\w*|"
    r"decreas\w*|sav(?:es?|ings?)|better|fewer|less|accelerat\w*|boost\w*|cuts?|gains?|beats?)\b",
    re.IGNORECASE)
# "outperforms MOON by 0.5": a difference, where a bare count ("on 2560 GPUs") is none.
_BY_AMOUNT = re.compile(r"\bby\s+(?:(?:about|roughly|nearly|over|up to|more than|at least|~)\s*)?\$?" + _NUMBER,
                        re.IGNORECASE)
# A period after these does not end a sentence.
# (Not single capitals: "a system called Y." ends a sentence more often than an initial does.)
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|et al|etc|vs|cf|resp|approx|Fig|Figs|Eq|Sec|No|w\.h\.p)\.$",
                            re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9$\\(\[\"'])")
_MAX_LENGTH = 600  # longer is a mis-split or a whole abstract: show nothing instead


def sentences(abstract: str) -> list[str]:
    """The abstract's sentences, as written (TeX and all)."""
    result = []
    for paragraph in paragraphs(abstract):
        pending = ""
        for piece in _SENTENCE_END.split(paragraph):
            pending = f"{pending} {piece}" if pending else piece
            if not _ABBREVIATIONS.search(pending[-8:]):  # the tail is enough: "w.h.p." is the longest
                result.append(pending)
                pending = ""
        if pending:
            result.append(pending)
    return result


def claim_strength(sentence: str) -> int:
    """0 for no quantitative claim; higher for more, and compared, quantities."""
    if not _DIGIT.search(sentence):
        return 0
    strong = len(_MULTIPLIER.findall(sentence)) + len(_PERCENT.findall(sentence))
    compared = bool(_COMPARISON.search(sentence))
    if strong:
        return 10 * strong + (5 if compared else 0)
    return 1 if compared and _BY_AMOUNT.search(sentence) else 0


def key_result(abstract: str) -> str | None:
    """The sentence with the abstract's main quantitative claim, or None."""
    best, best_strength = None, 0
    for sentence in sentences(abstract):
        strength = claim_strength(sentence)
        if strength > best_strength and len(sentence) <= _MAX_LENGTH:
            best, best_strength = sentence, strength
    return best

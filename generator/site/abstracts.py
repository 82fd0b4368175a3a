"""An abstract's paragraphs, in whichever form arXiv gave it.

arXiv's text comes in two forms. Today's query API gives each paragraph on
one line: a line break ends a paragraph. The API of past years, and
OAI-PMH's ``arXivRaw`` still, give the text as submitted, hard-wrapped at
about 80 columns: a line break there is a space, and a paragraph starts on
an indented line (``\\n  In particular, ...``). Both forms start a paragraph
on an indented line, so only an unindented line break needs a decision,
and it is made once for the whole abstract, from what its breaks are:

* a *wrapped* break falls mid-sentence, on a line that ran to about the
  width of the longest line (the next word would not have fitted);
* a *deliberate* break ends a sentence on a line the next word would have
  fitted on;
* a line longer than any wrap limit (90 columns) means the text is not wrapped.

The abstract is wrapped when its lines fit the limit and wrapped breaks
outnumber deliberate ones. Line lengths alone would split a two-line
abstract mid-sentence or join a short abstract's real paragraphs.
"""
from __future__ import annotations

import re

WRAP_LIMIT = 90  # no hard-wrapped line is longer: arXiv's were 72 to 80 columns
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A line that ends a sentence: terminal punctuation, then closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*$")


def paragraphs(abstract: str) -> list[str]:
    """The abstract's paragraphs, each on one line with single spaces."""
    text = abstract.strip("\n").rstrip()
    if not text.strip():
        return []
    chunks = [lines for block in _BLANK_LINE.split(text) for lines in _indented_paragraphs(block)]
    if is_wrapped(chunks):
        return [" ".join(line.strip() for line in lines) for lines in chunks]
    return [line.strip() for lines in chunks for line in lines if line.strip()]


def _indented_paragraphs(block: str) -> list[list[str]]:
    """A block split into paragraphs at its indented lines; each paragraph a list of lines.

    When every line after the first is indented, indentation marks nothing.
    """
    lines = [line.rstrip() for line in block.split("\n") if line.strip()]
    if not lines:
        return []
    indented = [line[:1] in (" ", "\t") for line in lines]
    if len(lines) > 1 and all(indented[1:]):
        indented = [False] * len(lines)
    paragraphs: list[list[str]] = []
    for line, starts in zip(lines, indented):
        if starts or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return paragraphs


def is_wrapped(paragraphs: list[list[str]]) -> bool:
    """Whether the line breaks inside these paragraphs are spaces (hard wrap) or paragraph ends."""
    breaks = [(lines[i], lines[i + 1]) for lines in paragraphs for i in range(len(lines) - 1)]
    if not breaks:
        return False
    before = [line for line, _ in breaks]
    if any(len(line) > WRAP_LIMIT for line in before):
        return False
    width = max(len(line) for line in before)
    wrapped = deliberate = 0
    for line, after in breaks:
        next_word = after.split()[0]
        would_fit = len(line) + 1 + len(next_word) <= width
        ends_sentence = bool(_SENTENCE_END.search(line)) and not next_word[:1].islower()
        if not ends_sentence and (not would_fit or len(line) >= 0.75 * width):
            wrapped += 1
        elif ends_sentence and would_fit:
            deliberate += 1
    return wrapped > deliberate

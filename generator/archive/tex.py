"""The TeX that arXiv metadata carries, shown offline as text and HTML (math as MathML: ``mathml.py``).

Abstracts and titles hold inline math (``$7$--$173\\times$``) and names hold
TeX accents (``G\\"otte``). Math becomes MathML at build time with
latex2mathml, so a page needs no script; latex2mathml passes some input
through as raw markup, so its string is parsed, checked against an allow-list
and written out again by ``mathml`` (never used as it comes).
Outside math, TeX becomes text with pylatexenc's latex2text (accents, font
commands old and new, symbols, quotes and dashes); font commands become
<em>/<strong>/<code> in HTML. Text-only places (the page's <title>, citation
tags, OpenGraph, feeds, the search index) carry the text a reader
sees, math included: ``$\\omega$Test`` is ``ωTest`` there and
``$\\rho\\le\\sqrt{n}$`` is ``ρ≤√n``, read from the MathML tree the page shows
(``mathml_text``), so the two cannot disagree. What pylatexenc would misread in
arXiv's text is kept out of its way: a bare ``%`` (a percentage, not a
comment), ``~`` (often "about"), ``&`` and ``#`` (as in prose), URLs; text it cannot parse whole (an unpaired
brace or dollar) falls back to the accents-only conversion, so nothing is lost.
"""
from __future__ import annotations

import re
import unicodedata

from functools import lru_cache

from markupsafe import Markup, escape
from pylatexenc import latex2text

from generator.archive.mathml import math_tree, mathml, mathml_text


# TeX accent commands → Unicode combining marks.
_ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
            "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
_ACCENT = re.compile(
    r"\{?\\(?P<cmd>[\"'`^~=.]|[uvHckrdb](?=[\s{]))\s*(?:\{(?P<braced>\\?[A-Za-z]?)\}|(?P<bare>\\?[A-Za-z]))\}?"
)
# A control word swallows the space after it: ``Stra\ss e`` is ``Straße``.
_LETTER = re.compile(r"\{?\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}| )?\}?")
_ESCAPES = {r"\%": "%", r"\&": "&", r"\_": "_", r"\#": "#", r"\$": "$", r"\{": "{", r"\}": "}",
            r"\,": "\u2009", r"\ ": " "}
# Not converted on purpose: ``--``, ``~`` and quotes mean TeX to some authors
# and plain text (a "---" in a title, a ~user URL) to others; arXiv shows them as written.
_ESCAPE = re.compile("|".join(re.escape(k) for k in sorted(_ESCAPES, key=len, reverse=True)))
# Inline math: $...$ not preceded by a backslash, on one paragraph.
_MATH = re.compile(r"(?<!\\)\$(?!\$)((?:[^$\\\n]|\\.|\n(?!\s*\n))+?)(?<!\\)\$")


def _accent(match: re.Match) -> str:
    base = match.group("braced") if match.group("braced") is not None else match.group("bare")
    base = {"\\i": "i", "\\j": "j"}.get(base, base or "")
    return unicodedata.normalize("NFC", base + _ACCENTS[match.group("cmd")])


def accents_to_unicode(text: str) -> str:
    """``G\\"otte`` → ``Götte``, ``{\\'E}cole`` → ``École``, ``\\ss`` → ``ß``."""
    if "\\" not in text:
        return text
    text = _ACCENT.sub(_accent, text)
    return _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)


def accents_text(text: str) -> str:
    """TeX accents and escapes as Unicode, everything else as written (BibTeX keys use this)."""
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], accents_to_unicode(text)) if text else text


# Private-use characters stand for HTML tags while pylatexenc turns TeX into
# text; the text is escaped, then they become tags (feed text cannot hold them:
# they are removed from it first).
_TAGS = {"em": ("\ue000", "\ue001"), "strong": ("\ue002", "\ue003"), "code": ("\ue004", "\ue005")}
_SENTINELS = {c: f"<{tag}>" if i == 0 else f"</{tag}>" for tag, pair in _TAGS.items() for i, c in enumerate(pair)}
_NO_SENTINELS = {ord(c): None for c in _SENTINELS}
_FONT_MACROS = {"emph": "em", "textit": "em", "textsl": "em", "textbf": "strong", "texttt": "code"}
# Old-style switches, ``{\em new}``: the group becomes ``\emph{new}``.
_SWITCHES = {"em": "emph", "it": "textit", "sl": "textsl", "bf": "textbf", "tt": "texttt",
             "sc": "textsc", "rm": "textrm", "sf": "textsf"}
_SWITCH = re.compile(r"\{\\(" + "|".join(_SWITCHES) + r")(?![A-Za-z])\s*")
_URL = re.compile(r"(?:https?|ftp)://[^\s{}<>]+")
_PROTECT = re.compile(r"(?<!\\)[%~&#]")
_PROTECTED = {"%": "\ue010", "~": "\ue011", "&": "\ue012", "#": "\ue013"}
_UNPROTECT = {ord(v): k for k, v in _PROTECTED.items()}
_NEEDS_TEX = re.compile(r"[\\{}$`]|--")


_SYMBOLS = {"S": "§", "P": "¶", "textless": "<", "textgreater": ">", "textbackslash": "\\"}
_KEPT_ARGUMENT = ("mbox", "hbox", "ensuremath", "texttt", "textsf", "textup", "textmd", "textnormal")


def _verbatim(node, *_args) -> str:
    return node.latex_verbatim()


def _converter(html: bool) -> latex2text.LatexNodes2Text:
    db = latex2text.get_default_latex_context_db()
    if html:
        specs = [latex2text.MacroTextSpec(name, simplify_repl=_TAGS[tag][0] + "%s" + _TAGS[tag][1])
                 for name, tag in _FONT_MACROS.items()]
        db.add_context_category("arxiv-fonts", prepend=True, macros=specs)
    # What pylatexenc would drop or replace by a placeholder stays as written:
    # a paper's own macro (\\sysname), a reference (\\cite{x}, not "<cit.>").
    db.add_context_category("arxiv-verbatim", prepend=True, macros=[
        latex2text.MacroTextSpec(name, simplify_repl=_verbatim)
        for name in ("cite", "citep", "citet", "ref", "eqref", "label")] + [
        latex2text.MacroTextSpec(name, simplify_repl=name) for name in ("LaTeX", "TeX", "LaTeXe", "BibTeX")])
    db.set_unknown_macro_spec(latex2text.MacroTextSpec("", simplify_repl=_verbatim))
    # Macros pylatexenc's defaults drop with their argument, or have no text for: their words are kept.
    db.add_context_category("arxiv-kept", prepend=False, macros=[
        *(latex2text.MacroTextSpec(name, simplify_repl="%s") for name in _KEPT_ARGUMENT),
        latex2text.MacroTextSpec("verb", simplify_repl=lambda node: getattr(node.nodeargd, "verbatim_text", "")),
        *(latex2text.MacroTextSpec(name, simplify_repl=text) for name, text in _SYMBOLS.items())])
    return latex2text.LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)


_TO_TEXT = {False: _converter(False), True: _converter(True)}


def _switches_to_macros(text: str) -> str:
    """``{\\bf fast} and {\\em new}`` → ``\\textbf{fast} and \\emph{new}``."""
    while match := _SWITCH.search(text):
        text = text[:match.start()] + "\\" + _SWITCHES[match.group(1)] + "{" + text[match.end():]
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}$]", "", text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and len(re.findall(r"(?<!\\)\$", text)) % 2 == 0


_URL_COMMAND = re.compile(r"\\url\{([^{}]*)\}|\\href\{([^{}]*)\}\{([^{}]*)\}")


def _url_command(match: re.Match) -> str:
    url, href, label = match.groups()
    return url if url is not None else f"{label} ({href})"


def _latex_to_text(text: str, html: bool) -> str:
    """pylatexenc's text for ``text``, with URLs, ``%`` and ``~`` kept as written."""
    text = _URL_COMMAND.sub(_url_command, text)
    parts, last = [], 0
    for match in _URL.finditer(text):
        parts.append(_latex_segment(text[last:match.start()], html))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_latex_segment(text[last:], html))
    return "".join(parts)


def _latex_segment(text: str, html: bool) -> str:
    if not _NEEDS_TEX.search(text):
        return text
    protected = _PROTECT.sub(lambda m: _PROTECTED[m.group(0)], _switches_to_macros(text))
    try:
        converted = _TO_TEXT[html].latex_to_text(protected)
    except Exception:  # pylatexenc raises many types on TeX it cannot read: keep the text
        return accents_text(text)
    return converted.translate(_UNPROTECT)


@lru_cache(maxsize=65536)
def plain_text(text: str) -> str:
    """TeX in a name, title or abstract as the plain Unicode text a reader sees, math included.

    Piece by piece: pylatexenc is slow on long text (milliseconds an abstract),
    and most of an abstract is prose that needs nothing.
    """
    if not text or not _NEEDS_TEX.search(text):
        return text
    text = text.translate(_NO_SENTINELS)
    while found := _font_group_around_math(text):  # text only: the group's words, without the command
        text, match, end = found
        text = text[:match.start()] + text[match.end():end] + text[end + 1:]
    return "".join(_math_text(part) if is_math else _prose_text(part) for part, is_math in split_math(text))


@lru_cache(maxsize=65536)
def _math_text(math: str) -> str:
    """``$\\rho\\le\\sqrt{n}$`` → ``ρ≤√n``: the text of the formula's MathML, as a reader reads it.

    The MathML ``mathml`` renders is read for it (one parser for the page and
    the text); TeX it cannot convert goes to pylatexenc, as prose does."""
    root = math_tree(math[1:-1])
    return mathml_text(root) if root is not None else _latex_segment(math, html=False)


def _prose_text(text: str) -> str:
    if not _NEEDS_TEX.search(text):
        return text
    return _latex_to_text(text, html=False) if _balanced(text) else accents_text(text)


def _text_html(text: str) -> Markup:
    """Escaped text, TeX outside math turned into text and font commands into tags."""
    text = text.translate(_NO_SENTINELS)
    if not _NEEDS_TEX.search(text):
        return escape(text)
    if not _balanced(text):
        return escape(accents_text(text))
    converted = str(escape(_latex_to_text(text, html=True)))
    if any(converted.count(open_) != converted.count(close) for open_, close in _TAGS.values()):
        return Markup(converted.translate(_NO_SENTINELS))  # a group cut by a URL: text, no tags
    return Markup(re.sub("[\ue000-\ue005]", lambda m: _SENTINELS[m.group(0)], converted))


_FONT_GROUP = re.compile(r"\\(" + "|".join(_FONT_MACROS) + r")\{")


def _group_end(text: str, start: int) -> int | None:
    """The index of the brace closing the group opened just before ``start``."""
    depth, i = 1, start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return i
        i += 1
    return None


def _font_group_around_math(text: str) -> tuple[str, re.Match, int] | None:
    """The first font group holding math: (the text with switches as macros, its match, its end)."""
    if "$" not in text or "{" not in text:
        return None
    text = _switches_to_macros(text)
    for match in _FONT_GROUP.finditer(text):
        end = _group_end(text, match.end())
        if end is not None and "$" in text[match.end():end]:
            return text, match, end
    return None


def tex_html(text: str) -> Markup:
    """HTML for a line of arXiv text with inline math: always escaped, never markup.

    A font group around math (``{\\em with $x$ math}``) becomes a tag around
    the math and the words; other TeX is converted between the math.
    """
    if found := _font_group_around_math(text):
        text, match, end = found
        tag = _FONT_MACROS[match.group(1)]
        return Markup("").join([tex_html(text[:match.start()]), Markup(f"<{tag}>"),
                                tex_html(text[match.end():end]), Markup(f"</{tag}>"), tex_html(text[end + 1:])])
    parts, last = [], 0
    for match in _MATH.finditer(text):
        parts.append(_text_html(text[last:match.start()]))
        converted = mathml(match.group(1))
        parts.append(converted if converted is not None
                     else Markup('<code class="tex">{}</code>').format(match.group(0)))
        last = match.end()
    parts.append(_text_html(text[last:]))
    return Markup("").join(parts)


def split_math(text: str) -> list[tuple[str, bool]]:
    """``a $x$ b`` → ``[("a ", False), ("$x$", True), (" b", False)]``: inline math as written."""
    parts, last = [], 0
    for match in _MATH.finditer(text):
        parts.append((text[last:match.start()], False))
        parts.append((match.group(0), True))
        last = match.end()
    parts.append((text[last:], False))
    return [part for part in parts if part[0]]

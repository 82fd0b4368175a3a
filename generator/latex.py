"""The TeX that arXiv metadata carries, shown offline as text and MathML.

Abstracts and titles hold inline math (``$7$--$173\\times$``) and names hold
TeX accents (``G\\"otte``). Math becomes MathML at build time with
latex2mathml, so a page needs no script; latex2mathml passes some input
through as raw markup, so its string is parsed, checked against an allow-list
and written out again by ``mathml`` (never used as it comes).
Outside math, TeX becomes text with pylatexenc's latex2text (accents, font
commands old and new, symbols, quotes and dashes); font commands become
<em>/<strong>/<code> in HTML. Text-only places (the page's <title>, citation
tags, OpenGraph, JSON-LD, feeds, the search index) carry the text a reader
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
import xml.etree.ElementTree as ET

from functools import lru_cache

from latex2mathml.converter import convert as _to_mathml
from markupsafe import Markup, escape
from pylatexenc import latex2text

MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
_MATHML_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
    "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "merror", "mfenced", "semantics", "annotation",
}
_MATHML_ATTRS = {
    "display", "mathvariant", "stretchy", "fence", "separator", "accent", "accentunder",
    "linethickness", "columnalign", "rowspacing", "columnspacing", "width", "height", "depth",
    "lspace", "rspace", "minsize", "maxsize", "movablelimits", "symmetric", "largeop",
    "displaystyle", "scriptlevel", "notation", "open", "close", "separators", "linebreak",
    "columnlines", "rowlines", "frame", "form", "encoding",
}

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
    root = _math_tree(math[1:-1])
    return mathml_text(root) if root is not None else _latex_segment(math, html=False)


_SUPERSCRIPTS = dict(zip("0123456789+-\u2212=()niabcdefghjklmoprstuvwxyzABDEGHIJKLMNOPRTUVW\u22a4",
                         "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵀ"))
_SUBSCRIPTS = dict(zip("0123456789+-\u2212=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
# An accent over one letter: a combining mark (\\tilde{O} → Õ).
_COMBINING = {"~": "\u0303", "\u02dc": "\u0303", "^": "\u0302", "\u02c6": "\u0302", "\u00af": "\u0304",
              "\u2015": "\u0305", "\u203e": "\u0305", "\u02d9": "\u0307", "\u2192": "\u20d7", "\u00a8": "\u0308"}
_ROOTS = {"2": "√", "3": "∛", "4": "∜"}


def mathml_text(element: ET.Element) -> str:
    """The text a reader reads in a MathML tree: √(n log n), n/ρ·log ρ, x², xᵢ, a/(b+c)."""
    return " ".join(_node_text(element, 0).split())


def _is_word(element: ET.Element) -> bool:
    """A function name or an operator written as a word (\\log, \\max, \\bmod): spaced from its neighbours."""
    if _function_name(element):
        return True
    tag = _local(element.tag)
    if tag == "mi" and (element.text or "").startswith("\\"):
        return True  # a paper's own macro (\\polylog n), kept as written
    if tag in _SCRIPTED | {"munder", "mover", "munderover"} and len(element):
        element, tag = element[0], _local(element[0].tag)
    text = (element.text or "").strip()
    return tag == "mo" and (len(text) > 1 and text.replace("\u2009", "").isalpha() or text in _LARGE)


def _grouped(element: ET.Element, depth: int) -> str:
    """An argument's text, in brackets when it is more than one token: n, 2k, (n+1), (log n)."""
    text = _node_text(element, depth).strip()
    return f"({text})" if _loose(text) else text


def _radicand(element: ET.Element, depth: int) -> str:
    """What a root sign covers: √n, √10, √|V|, else in brackets: √(2k), √(n log n)."""
    text = _node_text(element, depth).strip()
    one = len(text) == 1 or text.isdigit() or (len(text) > 1 and text[0] in "([{|" and _closes(text))
    return text if one else f"({text})"


def _closes(text: str) -> bool:
    """Whether the bracket opening ``text`` closes at its end (|V| too)."""
    if text[0] == "|":
        return text[-1] == "|" and "|" not in text[1:-1]
    depth = 0
    for index, char in enumerate(text):
        depth += _BRACKETS.get(char, 0)
        if depth == 0:
            return index == len(text) - 1
    return False


_BRACKETS = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}
_BINDS_LOOSER = set(" +-\u2212\u00b1=<>\u2264\u2265\u2260\u2248/\u00b7\u00d7,;:\u2208\u2192|")


def _loose(text: str) -> bool:
    """Whether ``text`` holds an operator outside brackets, so that as an argument it needs them."""
    depth = 0
    for char in text:
        depth += _BRACKETS.get(char, 0)
        if depth == 0 and char in _BINDS_LOOSER:
            return True
    return False


_LARGE = set("∑∏∐∫∬∭∮⋃⋂⋁⋀⨁⨂⨆")


def _script(text: str, table: dict[str, str], mark: str) -> str:
    """A sub- or superscript in Unicode's script letters when it has them (x², xᵢ, 10⁻³), else x_max, 2^(Ω(n))."""
    if text and all(char in table for char in text) and sum(char.isalpha() for char in text) <= 2:
        return "".join(table[char] for char in text)
    return mark + (f"({text})" if _loose(text) or len(text) > 1 and not text.isalnum() else text)


def _node_text(element: ET.Element, depth: int) -> str:
    if depth > MAX_DEPTH:
        raise _Refused("depth")
    tag = _local(element.tag)
    children = list(element)
    if tag in ("mi", "mn", "mo", "mtext", "ms"):
        text = "".join(element.itertext()).replace("\u00a0", " ")
        if tag == "mo" and text == "\u2061":  # a function applied: TeX's thin space, or none before a bracket
            return " " if element.get("rspace") else ""
        return text.replace("\u2009", " ") if tag == "mo" else text
    if tag == "mspace":
        return " " if not element.get("width", "").startswith("negative") else ""
    if tag in ("annotation", "mphantom"):
        return ""
    if tag == "msqrt":
        return "√" + _radicand(_row(children), depth + 1)
    if tag == "mroot" and len(children) == 2:
        index = _node_text(children[1], depth + 1).strip()
        sign = _ROOTS.get(index) or _script(index, _SUPERSCRIPTS, "^") + "√"
        return sign + _radicand(children[0], depth + 1)
    if tag == "mfrac" and len(children) == 2:
        return _grouped(children[0], depth + 1) + "/" + _grouped(children[1], depth + 1)
    if tag in _SCRIPTED and len(children) >= 2:
        base = _node_text(children[0], depth + 1)
        scripts = [_node_text(child, depth + 1).strip() for child in children[1:]]
        below = scripts[0] if tag != "msup" else ""
        above = scripts[-1] if tag != "msub" else ""
        return base + (_script(below, _SUBSCRIPTS, "_") if below else "") + (
            _script(above, _SUPERSCRIPTS, "^") if above else "")
    if tag in ("mover", "munder", "munderover") and len(children) >= 2:
        base = _node_text(children[0], depth + 1)
        marks = [_node_text(child, depth + 1).strip() for child in children[1:]]
        if tag == "mover" and len(base.strip()) == 1 and marks[0] in _COMBINING:
            return unicodedata.normalize("NFC", base.strip() + _COMBINING[marks[0]])
        if marks and all(len(mark) == 1 and not mark.isalnum() for mark in marks):
            return base  # a brace or a line under or over: its content is what is read
        below = marks[0] if tag != "mover" else ""
        above = marks[-1] if tag != "munder" else ""
        return base + (_script(below, _SUBSCRIPTS, "_") if below else "") + (
            _script(above, _SUPERSCRIPTS, "^") if above else "")
    if tag == "mtable":
        return "; ".join(", ".join(_node_text(cell, depth + 2).strip() for cell in row) for row in children)
    # A row (mrow, math, mstyle, mpadded, ...): its children in order, a word spaced from its neighbours.
    parts: list[str] = []
    words = [_is_word(child) for child in children]
    texts = [_node_text(child, depth + 1) for child in children]  # each child's once: a word looks at the next
    for index, text in enumerate(texts):
        if words[index]:
            before = "".join(parts).rstrip()
            if before and (before[-1].isalnum() or before[-1] in ")]}"):
                parts.append(" ")
            nxt = texts[index + 1].lstrip() if index + 1 < len(texts) else ""
            if nxt and (nxt[0].isalnum() or nxt[0] in "√∛∜∞∑∏∫" or words[index + 1]):
                text += " "
        parts.append(text)
    return "".join(parts)


def _row(children: list[ET.Element]) -> ET.Element:
    row = ET.Element(MATHML_NS + "mrow")
    row.extend(children)
    return row


def _prose_text(text: str) -> str:
    if not _NEEDS_TEX.search(text):
        return text
    return _latex_to_text(text, html=False) if _balanced(text) else accents_text(text)


# Bounds on one formula: arXiv's longest inline math is a few hundred characters
# and a dozen levels deep; past these the TeX is shown as written.
MAX_TEX = 2000
MAX_DEPTH = 60


@lru_cache(maxsize=65536)  # a title's math renders on its page, listings, topics and related lists
def mathml(tex: str) -> Markup | None:
    """MathML for ``tex``, or None when it cannot be converted safely.

    latex2mathml's output is a string with some input copied through as raw
    markup (``\\text{<!-- ... -->}``), so it never reaches a page: it is
    parsed into a tree, every element and attribute is checked against an
    allow-list of MathML presentation markup, and the tree is written out
    again here, text escaped. Comments, CDATA sections, processing
    instructions and entities cannot come out of that, whatever TeX goes in.
    """
    root = _math_tree(tex)
    if root is None:
        return None
    try:
        parts: list[str] = []
        _write(root, parts, 0)
    except Exception:  # an element or attribute outside the allow-list: show the TeX
        return None
    return Markup("".join(parts))


def _math_tree(tex: str) -> ET.Element | None:
    """latex2mathml's tree for ``tex``, typeset as TeX would (see ``_typeset``), or None.

    A fresh tree each call: ``mathml`` and ``math_text`` both read it."""
    if len(tex) > MAX_TEX:
        return None
    try:
        root = ET.fromstring(_to_mathml(tex))
        _typeset(root, 0)
    except Exception:  # latex2mathml raises many types on bad TeX, ET on its raw copies
        return None
    return root


# Function names TeX sets upright with a thin space before their argument
# (\log n, \sin\theta): latex2mathml gives them as a bare <mi>, which a
# browser runs into the next letter ("logn"). \max, \lim, \gcd ... come as
# <mo>, which browsers already space.
_FUNCTIONS = {"arccos", "arcsin", "arctan", "arg", "cos", "cosh", "cot", "coth", "csc", "deg", "dim", "exp",
              "hom", "ker", "lg", "ln", "log", "sec", "sin", "sinh", "tan", "tanh"}
_SCRIPTED = {"msub", "msup", "msubsup"}
# TeX's \, after a function name, unless an opening bracket follows (\log(n) has none).
_THIN_SPACE = "0.1667em"
_OPENING = set("([{|\u2016\u27e8\u230a\u2308")
# Capital Greek is upright in TeX (\Theta, \Omega); a browser slants a one-letter <mi>.
_UPRIGHT_GREEK = {chr(c) for c in range(0x0391, 0x03AA)} - {"\u03a2"}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _function_name(element: ET.Element) -> bool:
    """A function name (\\log), alone or with scripts (\\log_2, \\log^2)."""
    tag = _local(element.tag)
    if tag in _SCRIPTED and len(element):
        element = element[0]
        tag = _local(element.tag)
    return tag == "mi" and (element.text or "").lstrip("\\") in _FUNCTIONS and not len(element)


def _typeset(element: ET.Element, depth: int) -> None:
    """What latex2mathml leaves out of TeX's typesetting, added to its tree in place.

    After a function name, an <mo> applying it (U+2061), with TeX's thin space
    unless a bracket opens next; a capital Greek <mi> is upright. Only
    elements and attributes of the allow-list are added; ``_write`` checks them all the same."""
    if depth > MAX_DEPTH:
        raise _Refused("depth")
    tag = _local(element.tag)
    if tag == "mi" and element.text and not len(element):
        element.text = element.text.lstrip("\\") if element.text.lstrip("\\") in _FUNCTIONS else element.text
        if element.text in _UPRIGHT_GREEK and "mathvariant" not in element.attrib:
            element.set("mathvariant", "normal")
    children = list(element)
    for child in children:
        _typeset(child, depth + 1)
    if tag in _SCRIPTED or tag in ("mfrac", "mroot", "munder", "mover", "munderover"):
        return  # positional children: nothing may be inserted between them
    for index in reversed(range(len(children))):
        if not _function_name(children[index]) or index + 1 == len(children):
            continue
        after = children[index + 1]
        applies = ET.Element(MATHML_NS + "mo")
        applies.text = "\u2061"
        following = after[0] if _local(after.tag) in _SCRIPTED | {"mrow"} and len(after) else after
        if not (_local(following.tag) == "mo" and (following.text or "")[:1] in _OPENING):
            applies.set("lspace", "0")
            applies.set("rspace", _THIN_SPACE)
        element.insert(index + 1, applies)


class _Refused(ValueError):
    """An element, attribute or depth outside what a page may carry."""


def _write(element: ET.Element, parts: list[str], depth: int) -> None:
    """``element`` as HTML-embedded MathML: allow-listed names only, text and values escaped."""
    if depth > MAX_DEPTH or not isinstance(element.tag, str) or not element.tag.startswith(MATHML_NS):
        raise _Refused(element.tag)
    tag = element.tag[len(MATHML_NS):]
    if tag not in _MATHML_TAGS or any(name not in _MATHML_ATTRS for name in element.attrib):
        raise _Refused(tag)
    attributes = {name: value for name, value in element.attrib.items()
                  if not (tag == "math" and name == "display" and value == "inline")}  # HTML's default
    parts.append(f"<{tag}" + "".join(f' {name}="{_text(value, _ATTRIBUTE)}"' for name, value in sorted(attributes.items()))
                 + ">")
    parts.append(_text(element.text))
    for child in element:
        _write(child, parts, depth + 1)
        parts.append(_text(child.tail))
    parts.append(f"</{tag}>")


# Controls (which no formula needs) are dropped; markup characters are escaped.
_CONTROLS = {code: None for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}
_TEXT = {**_CONTROLS, ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_ATTRIBUTE = {**_TEXT, ord('"'): "&quot;"}


def _text(text: str | None, table: dict = _TEXT) -> str:
    return text.translate(table) if text else ""


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

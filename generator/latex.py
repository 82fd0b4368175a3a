"""The TeX that arXiv metadata carries, shown offline as text and MathML.

Abstracts and titles hold inline math (``$7$--$173\\times$``) and names hold
TeX accents (``G\\"otte``). Math becomes MathML at build time with
latex2mathml, so a page needs no script; what latex2mathml emits is checked
against an allowlist, since it passes some input through as raw markup.
Outside math, a handful of text commands become Unicode or HTML; everything
else stays visible as the text it is.
"""
from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert as _to_mathml
from markupsafe import Markup, escape

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
_TEXT_COMMANDS = {"texttt": "code", "emph": "em", "textit": "em", "textbf": "strong",
                  "textsc": None, "textrm": None, "textsf": None, "mbox": None, "text": None}
_TEXT_COMMAND = re.compile(r"\\(" + "|".join(_TEXT_COMMANDS) + r")\{([^{}]*)\}")
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


def plain_text(text: str) -> str:
    """TeX in a name or title as plain Unicode text (math left as written)."""
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], accents_to_unicode(text)) if text else text


def mathml(tex: str) -> Markup | None:
    """MathML for ``tex``, or None when it cannot be converted safely."""
    try:
        output = _to_mathml(tex)
        root = ET.fromstring(output)
    except Exception:  # latex2mathml raises many types on bad TeX: show the TeX instead
        return None
    for element in root.iter():
        tag = element.tag.replace(MATHML_NS, "")
        if tag not in _MATHML_TAGS or any(a not in _MATHML_ATTRS for a in element.attrib):
            return None
    return Markup(_compact_mathml(output))


_NUMERIC_ENTITY = re.compile(r"&#x([0-9A-Fa-f]+);")


def _compact_mathml(output: str) -> str:
    """Drop what HTML5 implies (the namespace, inline display) and spell characters as UTF-8.

    ``&#x000D7;`` is nine bytes, ``×`` two; markup characters stay escaped.
    """
    output = output.replace(' xmlns="http://www.w3.org/1998/Math/MathML" display="inline"', "", 1)
    return _NUMERIC_ENTITY.sub(lambda m: _char(int(m.group(1), 16)) or m.group(0), output)


def _char(code: int) -> str | None:
    char = chr(code) if code < 0x110000 else None
    return None if char in (None, "<", ">", "&", '"', "'") or code < 0x20 else char


def _text_html(text: str) -> Markup:
    """Escaped text with TeX text commands and escapes turned into HTML."""
    text = plain_text(text)
    parts, last = [], 0
    for match in _TEXT_COMMAND.finditer(text):
        parts.append(escape(text[last:match.start()]))
        tag, inner = _TEXT_COMMANDS[match.group(1)], escape(match.group(2))
        parts.append(Markup(f"<{tag}>{inner}</{tag}>") if tag else inner)
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def tex_html(text: str) -> Markup:
    """HTML for a line of arXiv text with inline math: always escaped, never markup."""
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

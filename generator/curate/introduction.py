"""A topic's introduction (the topic file's body): Markdown, shown safely.

MkDocs renders the introduction as Markdown with raw HTML passed through
(and ``attr_list`` lets ``{: onclick=...}`` add any attribute), so the
build cleans the rendered HTML with nh3 against an allow-list: the
formatting curators' notes allow (``generator.curate.notes``), plus what an
introduction is for and a note is not: images, tables, headings, math
(MathML) and admonitions. Anything else is removed, never run.

``problems`` tells the curator what would be removed, naming the line of
the topic file where it was written: ``check`` and the build report them,
so a removal is never silent.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3

from generator.archive.yamlcheck import Problem
from generator.curate import notes

# What MkDocs renders a page with: its defaults and mkdocs.yml's markdown_extensions
# (tests/curate/test_introduction.py keeps the two in step).
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition"]

MATHML = {"math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot", "msub",
          "msup", "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mstyle",
          "mpadded", "mphantom", "menclose", "semantics", "annotation"}
TAGS = (notes.TAGS | {"h1", "h2", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
                      "dl", "dt", "dd", "div", "span", "b", "i", "kbd", "mark", "figure", "figcaption",
                      "details", "summary"} | MATHML)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan", "style"},
    "td": {"align", "colspan", "rowspan", "style"},
    "math": {"display", "xmlns"},
    "mo": {"stretchy", "fence", "separator", "lspace", "rspace"},
    "mfrac": {"linethickness"},
    "mstyle": {"displaystyle", "scriptlevel"},
    "annotation": {"encoding"},
    "details": {"open"},
    **{h: {"id"} for h in _HEADINGS},  # toc's anchors; the permalink beside them is an <a href="#...">
}
CLASSES = {  # the classes MkDocs' own extensions write, and only those: admonitions, permalinks
    "div": {"admonition", "note", "abstract", "info", "tip", "success", "question", "warning",
            "failure", "danger", "bug", "example", "quote"},
    "p": {"admonition-title"},
    "a": {"headerlink"},
}
URL_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src"}
STYLES = {"text-align"}  # the tables extension aligns columns with style="text-align: ..."
# Removed with everything inside them: their text is code or markup, not prose.
REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


def sanitize(html: str) -> str:
    """The rendered introduction with everything outside the allow-list removed."""
    return nh3.clean(html, tags=TAGS, clean_content_tags=REMOVED_WITH_CONTENT, attributes=ATTRIBUTES,
                     allowed_classes=CLASSES, url_schemes=URL_SCHEMES, filter_style_properties=STYLES,
                     link_rel="nofollow noopener noreferrer")


# Bounds on the Markdown a curator writes (an introduction, a note), checked before it is rendered:
# Python-Markdown recurses once a nested list, quote, HTML block or bracket, and took minutes on
# 60 kB of nested brackets or ended in a RecursionError on a few thousand nested lists.
MAX_MARKDOWN = 64 * 1024  # characters: fifty times the longest shipped introduction
MAX_UNCLOSED = 500  # '<' opening a tag with no '>' before the next '<': Python-Markdown's HTML parsing of
# each scans the rest of the text (4 s for 4,000, a minute for 20,000)
MAX_NESTING = 50  # levels of lists (indentation), quotes, brackets or HTML elements
_LEAD = re.compile(r"^(?:[ \t]|>|[*+-](?=[ \t])|[0-9]{1,9}[.)](?=[ \t]))*")  # indentation, quotes, list markers
_MARKER = re.compile(r">|[*+-](?=[ \t])|[0-9]{1,9}[.)](?=[ \t])")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_EMPHASIS_RUN = re.compile(r"[*_]{%d,}" % (2 * MAX_NESTING + 1))
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)(?=[\s/>])[^<>]*?(/?)>")  # not an autolink (<https://...>)
_OPENER = re.compile(r"</?[A-Za-z]")


def refusal(text: str, what: str = "introduction") -> tuple[int, str] | None:
    """(0-based line, message) of the first thing in ``text`` past the bounds above, or None.

    Each count is an upper bound of how deep Markdown nests (a bracket in
    code counts too): one pass, no Markdown parsed.
    """
    if len(text) > MAX_MARKDOWN:
        return 0, f"{what}: {len(text):,} characters long, more than the {MAX_MARKDOWN:,} allowed"
    unclosed = 0
    for opener in _OPENER.finditer(text):
        end, after = text.find(">", opener.end()), text.find("<", opener.end())
        if end == -1 or -1 < after < end:
            unclosed += 1
            if unclosed > MAX_UNCLOSED:
                return (text.count("\n", 0, opener.start()),
                        f"{what}: more than {MAX_UNCLOSED} '<' that open an HTML tag and never close it with '>'")
    brackets = tags = 0
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            brackets = 0  # links and emphasis never span paragraphs
        lead = _LEAD.match(line).group(0)
        if len(lead.expandtabs(4)) > 4 * MAX_NESTING or len(_MARKER.findall(lead)) > MAX_NESTING:
            return number, f"{what}: lists or quotes nested more than {MAX_NESTING} deep"
        if _EMPHASIS_RUN.search(line):
            return number, f"{what}: a run of more than {2 * MAX_NESTING} '*' or '_' (emphasis nested that deep)"
        for char in re.findall(r"[\[\]]", line):
            brackets = brackets + 1 if char == "[" else max(brackets - 1, 0)
            if brackets > MAX_NESTING:
                return number, f"{what}: brackets nested more than {MAX_NESTING} deep"
        for closing, name, empty in _TAG.findall(line):
            if closing:
                tags = max(tags - 1, 0)
            elif not empty and name.lower() not in _VOID:
                tags += 1
                if tags > MAX_NESTING:
                    return number, f"{what}: HTML elements nested more than {MAX_NESTING} deep"
    return None


def render(text: str) -> str:
    """The introduction as MkDocs renders it, before cleaning (for ``problems``)."""
    return markdown.markdown(text, extensions=EXTENSIONS, output_format="html")


@dataclass(frozen=True)
class Removal:
    what: str  # as the curator would search for it in the file: "<script", "onerror", "javascript:..."
    message: str
    written: str = ""  # a regular expression for how it is written (an attribute, not a word in a sentence)


def removals(html: str) -> list[Removal]:
    """What ``sanitize`` would remove from ``html``, in document order."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found


def problems(body: str, first_line: int, path: str) -> list[Problem]:
    """Each thing the build would remove from the introduction ``body``, at its line in the file.

    ``first_line`` is the file line the body starts on. Each removal is
    placed on the first line, from where the previous one of the same
    text was, that holds it as written (an attribute, a tag, a link's
    address, never code or a word in a sentence), else that holds its
    text; on the body's first line if none does. Lines are counted as
    the file's: at line feeds only (``splitlines`` would also break at a
    form feed or U+2028 and shift every line after it).
    """
    if refusal(body):  # not rendered at all: the topic's reader reports it as a problem
        return []
    lines = _live_text(body).split("\n")
    searched_from: dict[str, int] = {}
    found = []
    absent_from: dict[str, int] = {}  # a pattern → a line from which it is not found (nor, then, from any later)
    for removal in removals(render(body)):
        key = removal.written or removal.what
        start = searched_from.get(key, 0)
        index = None
        for pattern in filter(None, (removal.written, re.escape(removal.what))):
            if start >= absent_from.get(pattern, len(lines) + 1):
                continue  # thousands of one unfindable thing cost one search, not one each
            compiled = re.compile(pattern, re.IGNORECASE)
            index = next((i for i in range(start, len(lines)) if compiled.search(lines[i])), None)
            if index is not None:
                break
            absent_from[pattern] = min(start, absent_from.get(pattern, start))
        if index is not None:
            searched_from[key] = index + 1
        found.append(Problem(path, first_line + (index or 0), f"introduction: {removal.message}"))
    return found


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")


def _blank_inline(line: str) -> str:
    """``line`` with its code spans and HTML comments as spaces; linear, whatever the line holds."""
    spans = []
    runs: dict[int, list[int]] = {}  # a run of backticks' length → the indices of its runs, in order
    found = list(_TICKS.finditer(line))
    for i, run in enumerate(found):
        runs.setdefault(len(run.group(0)), []).append(i)
    i = 0
    while i < len(found):  # a span closes at the next run of as many backticks
        same = runs[len(found[i].group(0))]
        k = bisect.bisect_right(same, i)
        if k < len(same):
            spans.append((found[i].start(), found[same[k]].end()))
            i = same[k] + 1
        else:
            i += 1
    start = line.find("<!--")
    while start != -1:
        end = line.find("-->", start + 4)
        if end == -1:
            break
        spans.append((start, end + 3))
        start = line.find("<!--", end + 3)
    chars = list(line) if spans else None
    for begin, end in spans:
        chars[begin:end] = " " * (end - begin)
    return "".join(chars) if chars else line


def _live_text(body: str) -> str:
    """``body`` with what shows as text blanked, line for line: fenced code blocks, code spans, comments."""
    out, fence = [], None
    for line in body.split("\n"):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)[0] * len(opened.group(1))
            out.append("")
        elif fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            out.append("")
        else:
            out.append(_blank_inline(line))
    return "\n".join(out)


class _Finder(HTMLParser):
    """Walks rendered HTML and notes each tag, attribute and link the allow-list refuses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Removal] = []
        self._skipping: list[str] = []  # inside a tag removed with its content

    def handle_starttag(self, tag, attrs):
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.append(tag)
            return
        if tag not in TAGS:
            kept = "with its content" if tag in REMOVED_WITH_CONTENT else "(its text is kept)"
            self.found.append(Removal(f"<{tag}", f"<{tag}> is removed {kept}: it is not allowed in an introduction",
                                      rf"<{re.escape(tag)}(?![\w-])"))
            if tag in REMOVED_WITH_CONTENT:
                self._skipping.append(tag)
            return
        for name, value in attrs:
            self._attribute(tag, name, value or "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if name == "class":
            # A fenced block's language class goes unremarked: the site highlights no code.
            refused = [c for c in value.split() if c not in CLASSES.get(tag, ()) and not c.startswith("language-")]
            if refused:
                name_ = re.escape(refused[0])  # in attr_list's {: .name } or in class="... name"
                self.found.append(Removal(refused[0], f"class '{' '.join(refused)}' of <{tag}> is removed "
                                                      "(only MkDocs' admonition classes are kept)",
                                          rf"(?:(?<![\w.])\.{name_}|class\s*=\s*[\"']?(?:[^\"'>]*\s)?{name_})(?![\w-])"))
        elif name not in ATTRIBUTES.get(tag, ()):
            what = "event handlers never run on the site" if name.startswith("on") else "it is not allowed"
            self.found.append(Removal(name, f"the {name} attribute of <{tag}> is removed ({what})",
                                      rf"(?<![\w-]){re.escape(name)}\s*="))
        elif name in URL_ATTRIBUTES and not _allowed_url(value):
            shown = value if len(value) <= 60 else value[:57] + "..."
            start = value.strip()[:40]  # where a link's address is written: (...), href=, or a [reference]: line
            self.found.append(Removal(start, f"the {'link' if name == 'href' else 'image'} "
                                      f"'{shown}' is removed (only http(s), mailto and relative addresses are kept)",
                                      r"(?:\]\(\s*<?|(?:href|src)\s*=\s*[\"']?\s*|^ {0,3}\[[^\]]+\]:\s*<?)"
                                      + re.escape(start)))
        elif name == "style" and not _allowed_style(value):
            self.found.append(Removal("style", f"the style of <{tag}> is removed (only text-align is kept)",
                                      r"(?<![\w-])style\s*="))


def _allowed_url(value: str) -> bool:
    text = "".join(value.split()).lower()  # browsers ignore whitespace inside a scheme
    scheme, colon, _ = text.partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme:
        return True  # relative: no scheme at all
    return scheme in URL_SCHEMES


def _allowed_style(value: str) -> bool:
    return all(d.split(":", 1)[0].strip().lower() in STYLES for d in value.split(";") if d.strip())

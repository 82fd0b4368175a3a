"""BibTeX for papers: one entry for a paper's page, a ``.bib`` file for any list.

arXiv's text is already TeX (``$7$--$173\\times$``, ``G\\"otte``), so it is
kept as TeX; only what would break a ``.bib`` file or LaTeX is escaped: the
characters TeX treats specially outside math (``& % # _ ^ $``), braces that
do not pair up (BibTeX counts braces to find where a value ends), and a
backslash that would swallow the value's closing brace.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from generator.archive.models import Paper
from generator.archive.tex import accents_text as plain_text, split_math

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Special outside math when not already escaped; inside math only & % # are errors.
_TEXT_SPECIAL = re.compile(r"(?<!\\)([&%#_$])|(?<!\\)\^")
_MATH_SPECIAL = re.compile(r"(?<!\\)([&%#])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NEEDS_WORK = re.compile(r"[\\{}&%#_$^\x00-\x1f\x7f]")
_KEY_SKIP = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "towards", "toward"}


def _escape_specials(text: str) -> str:
    parts = []
    for part, is_math in split_math(text):
        if is_math:
            parts.append(_MATH_SPECIAL.sub(r"\\\1", part))
        else:
            parts.append(_TEXT_SPECIAL.sub(lambda m: "\\" + m.group(1) if m.group(1) else r"\^{}", part))
    return "".join(parts)


def _balance_braces(text: str) -> str:
    """Replace every brace that has no partner (``\\{`` with it) by a TeX command."""
    unmatched, stack = set(), []
    for i, char in enumerate(text):
        if char == "{":
            stack.append(i)
        elif char == "}":
            if stack:
                stack.pop()
            else:
                unmatched.add(i)
    unmatched.update(stack)
    out, i = [], 0
    while i < len(text):
        if i + 1 in unmatched and text[i] == "\\":
            i += 1  # ``\{`` is one character to TeX: replace both
            continue
        if i in unmatched:
            out.append(r"\textbraceleft{}" if text[i] == "{" else r"\textbraceright{}")
        else:
            out.append(text[i])
        i += 1
    return "".join(out)


def bibtex_text(text: str) -> str:
    """A field value that is safe inside ``{...}`` in a ``.bib`` file, on one line."""
    text = " ".join(text.split())
    if not _NEEDS_WORK.search(text):  # most names and titles: nothing to escape
        return text
    text = _balance_braces(_escape_specials(_CONTROL.sub("", text)))
    if re.search(r"(?<!\\)(?:\\\\)*\\$", text):  # a lone trailing backslash would escape the "}"
        text = text[:-1] + r"\textbackslash{}"
    return text


def _author(name: str) -> str:
    name = bibtex_text(name)
    # " and " separates authors: a name holding it ("Smith and Sons Lab") is kept whole.
    return "{" + name + "}" if re.search(r"\sand\s", name, re.IGNORECASE) else name


def _authors(authors: list, limit: int | None) -> str:
    named = [a for a in authors if a.name.strip()]
    names = [_author(a.name) for a in named[:limit]]
    if limit is not None and len(named) > limit:
        names.append("others")
    return " and ".join(names) or "{Anonymous}"  # a nameless author cannot be cited


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", plain_text(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def bibtex_key(paper: Paper) -> str:
    """``wei2026ultraep``: first author's last name, year, first significant title word."""
    surname = _ascii_word(paper.authors[0].name.split()[-1]) if paper.authors and paper.authors[0].name.split() else ""
    title = "".join(part for part, is_math in split_math(plain_text(paper.title)) if not is_math)
    words = [_ascii_word(w) for w in re.split(r"[\s:,.;!?/-]+", title)]
    word = next((w for w in words if w and w not in _KEY_SKIP and not w.isdigit()), "")
    key = f"{surname or 'arxiv'}{paper.published[:4]}{word}"
    return key if key[:1].isalpha() else "arxiv" + key


def bibtex_keys(papers: list[Paper]) -> dict[str, str]:
    """Each paper's id → a key unique in ``papers``: a repeated key gets ``b``, ``c``, … by id."""
    base = {p.id: bibtex_key(p) for p in papers}
    counts, seen, keys = Counter(base.values()), Counter(), {}
    for paper in sorted(papers, key=lambda p: p.id):
        key = base[paper.id]
        if counts[key] > 1:
            seen[key] += 1
            key = key + ("" if seen[key] == 1 else _suffix(seen[key]))
        keys[paper.id] = key
    return keys


def _suffix(n: int) -> str:
    """2 → ``b``, 26 → ``z``, 27 → ``aa``: letters, so a key never ends like a year."""
    letters = ""
    while n:
        n, digit = divmod(n - 1, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
    return letters


def bibtex_entry(paper: Paper, key: str | None = None, max_authors: int | None = None) -> str:
    """The paper as an ``@misc`` entry, in the form arXiv's own export uses.

    With ``max_authors``, a longer list ends with BibTeX's ``and others``
    (set as "et al."), as on a paper's page; ``.bib`` files name everyone.
    """
    fields = [
        # Double braces: bibliography styles must not lower-case a title's acronyms.
        ("title", "{" + bibtex_text(paper.title) + "}"),
        ("author", _authors(paper.authors, max_authors)),
        ("year", paper.published[:4]),
    ]
    month = paper.published[5:7]
    fields += [
        ("eprint", paper.id), ("archivePrefix", "arXiv"), ("primaryClass", bibtex_text(paper.primary_category)),
    ]
    if paper.doi:  # read verbatim by biblatex: only whitespace and unpaired braces go
        fields.append(("doi", _balance_braces("".join(paper.doi.split()))))
    if paper.journal_ref:
        fields.append(("note", bibtex_text(paper.journal_ref)))
    fields.append(("url", f"https://arxiv.org/abs/{paper.id}"))
    lines = [f"@misc{{{key or bibtex_key(paper)},"]
    for name, value in fields:
        lines.append(f"  {name} = {{{value}}},")
        if name == "year" and month.isdigit() and 1 <= int(month) <= 12:
            lines.append(f"  month = {_MONTHS[int(month) - 1]},")  # the month macros every style knows
    lines.append("}")
    return "\n".join(lines) + "\n"


def bib_file(papers: list[Paper], keys: dict[str, str] | None = None) -> str:
    """A ``.bib`` file of ``papers`` in id order; ``keys`` (id → key) keep the site's keys."""
    keys = keys or bibtex_keys(papers)
    return "\n".join(bibtex_entry(p, keys[p.id]) for p in sorted(papers, key=lambda p: p.id))


def month_bib_path(month: str) -> str:
    """Where a month's ``.bib`` file is in the site: ``months/2606/2606.bib``."""
    return f"months/{month}/{month}.bib"

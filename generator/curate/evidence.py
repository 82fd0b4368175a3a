"""Each paper's keyword evidence for each topic, from facts worked out once a keyword and paper.

What a topic's rules find in a paper (``rules.Evidence``) is put together from
facts about single keywords: whether the paper holds the keyword at all
(``listing._keyword_matches_of``), how often it is in the title, in the abstract and
in both. Those depend on the keyword and the paper's title and abstract alone, so
they are kept by keyword and paper (``FactStore``, inside the topic model's store:
the project's ``.cache/generator/topic-model.npz`` for ``topics``, memory
otherwise), and a run looks for a keyword only in the papers no earlier run looked
in. A topic's evidence is then put together for all papers at once (numpy):
whether its rules hold, the topic model's two features and, for the papers a
topic lists, the ``Evidence`` its reasons put in words. Exactly what
``MatchRules.evidence`` gives (``tests/curate/test_keyword_facts.py``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from generator.archive.models import Paper
from generator.curate.rules import Evidence, MatchRules, _count

_NO_ROWS = np.zeros(0, dtype=np.int64)
_NOT_SEEN = np.zeros(0, dtype=bool)


def test_name(part: str, pattern) -> str:
    """A keyword test's name: its part and pattern (``part`` holds no space)."""
    return f"{part} {pattern.pattern}"


def _log1p(total: np.ndarray) -> np.ndarray:
    """``math.log1p`` of small counts, exactly (``Evidence.features``), by table."""
    table = np.array([math.log1p(i) for i in range(int(total.max(initial=0)) + 1)])
    return table[total]


class FactStore:
    """Per keyword test: the rows (papers) looked in, and for those holding it, three counts."""

    def __init__(self):
        self._seen: dict[str, np.ndarray] = {}  # name → bool a row (shorter: the rest not looked in)
        self._hits: dict[str, list[tuple]] = {}  # name → chunks of (rows, in title, in abstract, in both)
        self.used: set[str] = set()

    def seen(self, name: str) -> np.ndarray:
        self.used.add(name)
        return self._seen.get(name, _NOT_SEEN)

    def hits(self, name: str) -> tuple:
        chunks = self._hits.get(name)
        if not chunks:
            return _NO_ROWS, _NO_ROWS, _NO_ROWS, _NO_ROWS
        if len(chunks) > 1:
            chunks[:] = [tuple(np.concatenate(c) for c in zip(*chunks))]
        return chunks[0]

    def add(self, found: dict[str, tuple], looked: np.ndarray, size: int) -> None:
        """Rows ``looked`` in (of ``size`` rows in all) for each test of ``found``: name → (rows, title,
        abstract, both counts) of those holding it."""
        made = {}  # tests that were looked for in the same rows share the new flags (the old ones held)
        for name, columns in found.items():
            old = self._seen.get(name)
            seen = made.get(id(old), (None, None))[1]
            if seen is None:
                seen = np.zeros(size, dtype=bool)
                if old is not None:
                    seen[:len(old)] = old  # a copy: a seen array may be shared by many tests
                seen[looked] = True
                made[id(old)] = old, seen
            self._seen[name] = seen
            self._hits.setdefault(name, []).append(tuple(np.array(c, dtype=np.int64) for c in columns))

    def load(self, data, rows: int) -> bool:
        """From a store file's arrays; False when they do not add up (the file is then not used)."""
        if "kw:names" not in data.files:
            return True
        names = [str(n) for n in data["kw:names"]]
        offsets, patterns, which = data["kw:offsets"], data["kw:patterns"], data["kw:which"].astype(np.int64)
        columns = [data[f"kw:{k}"].astype(np.int64) for k in ("rows", "title", "abstract", "both")]
        if len(offsets) != len(names) + 1 or len(which) != len(names) or \
                patterns.shape != (len(patterns), (rows + 7) // 8) or \
                (len(which) and (which.min() < 0 or which.max() >= len(patterns))) or \
                any(len(c) != offsets[-1] for c in columns) or np.any(np.diff(offsets) < 0) or \
                (len(columns[0]) and (columns[0].max() >= rows or columns[0].min() < 0)):
            return False
        # Most tests were looked for in every paper: each distinct pattern of rows is kept and unpacked once.
        unpacked = [np.unpackbits(p, count=rows).astype(bool) for p in patterns]
        bounds = offsets.tolist()
        for k, (pattern, name) in enumerate(zip(which.tolist(), names)):
            self._seen[name] = unpacked[pattern]
            self._hits[name] = [tuple(c[bounds[k]:bounds[k + 1]] for c in columns)]
        return True

    def arrays(self, keep: np.ndarray, size: int, names: list[str]) -> dict[str, np.ndarray]:
        """The arrays a store file holds for tests ``names``, for rows ``keep`` (sorted) of ``size``, renumbered."""
        renumber = np.full(size, -1, dtype=np.int64)
        renumber[keep] = np.arange(len(keep))
        offsets, patterns, which, columns = [0], {}, [], [[], [], [], []]
        for name in names:
            flags = np.zeros(size, dtype=bool)
            old = self._seen.get(name, _NOT_SEEN)
            flags[:len(old)] = old
            which.append(patterns.setdefault(np.packbits(flags[keep]).tobytes(), len(patterns)))
            rows, *counts = self.hits(name)
            new = renumber[rows]
            kept = new >= 0
            for column, values in zip(columns, (new, *counts)):
                column.append(values[kept])
            offsets.append(offsets[-1] + int(kept.sum()))
        width = (len(keep) + 7) // 8
        found = [np.concatenate(c) if c else np.zeros(0, dtype=np.int64) for c in columns]
        return {"kw:names": np.array(names, dtype=str), "kw:offsets": np.array(offsets, dtype=np.int64),
                "kw:patterns": np.frombuffer(b"".join(patterns), dtype=np.uint8).reshape(len(patterns), width),
                "kw:which": np.array(which, dtype=np.int32),
                **{f"kw:{k}": c.astype(np.min_scalar_type(int(c.max(initial=0))))
                   for k, c in zip(("rows", "title", "abstract", "both"), found)}}

    @property
    def names(self) -> list[str]:
        return sorted(self._seen)


@dataclass
class Found:
    """A keyword test in a selection's papers: the positions holding it, and its counts there."""

    positions: np.ndarray
    title: np.ndarray
    abstract: np.ndarray
    both: np.ndarray


def keyword_facts(tests: dict[str, tuple], papers: list[Paper], index) -> dict[str, Found]:
    """Each test (name → (part, pattern, words)) in ``papers``: looked for only where no run did yet."""
    from generator.curate.listing import _keyword_matches_of

    store = index.kept()
    facts = store.facts
    rows = store.rows(index.digests(papers))
    size = store.size
    groups: dict[bytes, list[str]] = {}  # the rows not looked in yet → the tests they were not
    unknowns = {}  # tests looked for in the same rows share their flags: worked out once
    for name in tests:
        seen = facts.seen(name)
        unknown = unknowns.get(id(seen))
        if unknown is None:
            known = np.zeros(len(rows), dtype=bool)
            inside = rows < len(seen)
            known[inside] = seen[rows[inside]]
            unknown = unknowns[id(seen)] = np.unique(rows[~known])
        if len(unknown):
            groups.setdefault(unknown.tobytes(), []).append(name)
    if groups:
        first = {}  # row → a paper of it (papers with the same title and abstract share a row)
        for paper, row in zip(papers, rows.tolist()):
            first.setdefault(row, paper)
        for key, names in groups.items():
            looked = np.frombuffer(key, dtype=np.int64)
            chosen = [first[r] for r in looked.tolist()]
            texts, words = zip(*map(index.get, chosen))
            matches = _keyword_matches_of({n: tests[n] for n in names}, texts, words)
            found = {}
            for name in names:
                part, pattern, _ = tests[name]
                several = len(pattern.pattern.split(r"[\s-]+")) > 1  # a match may span title and abstract
                columns = [], [], [], []
                for i in matches[name]:
                    title, abstract = index.lowered(chosen[i])
                    t, a = _count(part, pattern, title), _count(part, pattern, abstract)
                    b = _count(part, pattern, f"{title}\n{abstract}") if several else t + a
                    for column, value in zip(columns, (int(looked[i]), t, a, b)):
                        column.append(value)
                found[name] = columns
            facts.add(found, looked, size)
        store.mark_changed()
    order = np.argsort(rows, kind="stable")
    return {name: _positions(facts.hits(name), order, rows[order]) for name in tests}


def _positions(hits: tuple, order: np.ndarray, ranked: np.ndarray) -> Found:
    """A test's hits as positions among papers of ``rows`` (``order`` sorts them into ``ranked``; a
    row held by two papers: both)."""
    hit_rows, *counts = hits
    low, high = np.searchsorted(ranked, hit_rows, "left"), np.searchsorted(ranked, hit_rows, "right")
    many = high - low
    if not len(many) or many.max() <= 1:
        held = many == 1
        return Found(order[low[held]], *(c[held] for c in counts))
    which = np.repeat(np.arange(len(hit_rows)), many)
    starts = np.repeat(low - np.cumsum(many) + many, many)
    return Found(order[np.arange(len(which)) + starts], *(c[which] for c in counts))


class TopicEvidence:
    """One topic's keyword evidence in a selection's papers, for all of them at once."""

    def __init__(self, rules: MatchRules, papers: list[Paper], found: dict[str, Found]):
        self.rules, self._papers, self._found = rules, papers, found
        n = len(papers)
        hit, other = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        title, counted_any = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        counted, weak = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
        for keyword, part, pattern, _ in rules._keywords:
            f, kind = found[test_name(part, pattern)], rules._kinds[keyword]
            hit[f.positions] = True
            if kind != "weak":  # weak words alone are no evidence (MatchRules.evidence)
                other[f.positions] = True
                title[f.positions] |= f.title > 0
            if kind == "keywords":
                counted[f.positions] += f.abstract
                counted_any[f.positions] |= f.abstract > 0
            elif kind == "weak":
                weak[f.positions] += f.both
        out = np.zeros(n, dtype=bool)
        for _, part, pattern, _ in rules._unless:
            out[found[test_name(part, pattern)].positions] = True
        valid = hit & other & ~out
        in_title = valid & title
        total = np.where(valid, counted + weak, 0)
        self.features = np.column_stack([in_title.astype(float), _log1p(total)])
        enough = valid & (in_title | counted_any) & (in_title | (total >= rules.mentions))
        if rules.categories or rules.authors:  # the rest of ``MatchRules.holds``, paper by paper
            for i in np.nonzero(enough)[0].tolist():
                enough[i] = rules.holds(papers[i], self.evidence([i])[i])
        self.holds = enough

    def evidence(self, positions) -> dict[int, Evidence]:
        """Position → its ``Evidence``, for papers whose evidence is not empty nor ruled out."""
        wanted = np.zeros(len(self._papers), dtype=bool)
        wanted[list(positions)] = True
        parts = {i: ([], {}, {}) for i in positions}
        rules = self.rules
        for keyword, part, pattern, _ in rules._keywords:
            f, kind = self._found[test_name(part, pattern)], rules._kinds[keyword]
            chosen = wanted[f.positions]
            for i, t, a, b in zip(f.positions[chosen].tolist(), f.title[chosen].tolist(),
                                  f.abstract[chosen].tolist(), f.both[chosen].tolist()):
                in_title, counted, weak = parts[i]
                if kind != "weak" and t:
                    in_title.append(keyword)
                if kind == "keywords" and a:
                    counted[keyword] = a
                elif kind == "weak" and b:
                    weak[keyword] = b
        return {i: Evidence(tuple(t), c, w) for i, (t, c, w) in parts.items()}


def topic_evidence(topics, papers: list[Paper], index) -> dict[str, TopicEvidence]:
    """Each topic with keywords → its evidence in ``papers`` (every keyword looked for once)."""
    tests = {}
    for topic in topics:
        for _, part, pattern, runs in topic.rules._keywords + topic.rules._unless:
            tests.setdefault(test_name(part, pattern), (part, pattern, runs))
    found = keyword_facts(tests, papers, index) if tests else {}
    return {t.slug: TopicEvidence(t.rules, papers, found) for t in topics if t.rules.has_keywords}

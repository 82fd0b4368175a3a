"""What selection works out, kept between runs (``.cache/generator/topic-model.npz``).

A topic's model is fitted from the gold set, its rules and the curators' choices, and its
probability for a paper depends on that fit and the paper's title and abstract alone: so
both are kept, by key (``TopicModel``'s fit key; a digest of the paper's text), and a
run fits, vectorizes and scores only what no earlier run did. So are the facts each
keyword's evidence is made of, by keyword and paper (evidence.py), how many of a
listed paper's closest examples are its topic's (``TopicModel.why``), and the gold
set's figures (evaluate.py), by what they are worked out from. The file holds what the
last run used (so it never outgrows the archive), is machine-only (``.cache/`` is
gitignored), written atomically, read with ``allow_pickle=False`` (loading it runs no
code), and forgotten whole when the code or the libraries that made it change, or when
it cannot be read.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from generator.curate.evidence import FactStore
from generator.errors import WriteError
from generator.fileio import write_atomic

FILE_NAME = "topic-model.npz"
KEPT = 96  # fits kept: this run's, then the earlier runs' (the other side of a diff, the held-out figures' models)
KEPT_TESTS = 4000  # keyword tests kept: this run's, then the earlier runs'
KEPT_TEXTS = 8  # texts kept (the gold set's figures): this run's, then the earlier runs'


@lru_cache(maxsize=1)
def code_version() -> str:
    """What the kept values depend on: this code, the selection's and the libraries' (their versions
    read from their metadata: importing scikit-learn takes a second a warm run need not spend)."""
    from importlib.metadata import version

    from generator.curate import evaluate, evidence, gold, listing, rules, topics
    from generator.curate import model as topic_model

    # text_features is read, not imported: it would import scipy, which a warm run does without.
    modules = (topic_model, topics, rules, listing, evidence, evaluate, gold, __import__(__name__, fromlist=["_"]))
    extra = (Path(topic_model.__file__).with_name("text_features.py"),)
    files = [Path(m.__file__) for m in modules] + list(extra)
    sources = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]
    return f"2/{np.__version__}/{version('scipy')}/{version('scikit-learn')}/{sources}"


def fit_name(key: tuple) -> str:
    return hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()


class ModelStore:
    """Fits by name and, for each fit, the probability of each paper (a row a paper's digest)."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._digests: list[bytes] = []
        self._row: dict[bytes, int] = {}
        self._columns: dict[str, np.ndarray] = {}
        self._fits: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._used_rows: set[int] = set()
        self._used_fits: set[str] = set()
        self._earlier: list[str] = []
        self._texts: dict[str, str] = {}
        self._used_texts: set[str] = set()
        self.facts = FactStore()  # the keyword facts (evidence.py), a row a paper as the probabilities
        self._changed = False
        if path is not None:
            self._load()

    def _load(self) -> None:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                if str(data["version"]) != code_version():
                    return
                digests = [bytes(d) for d in data["digests"]]  # uint8 rows: NUL bytes kept
                columns = {name[2:]: data[name] for name in data.files if name.startswith("p:")}
                fits = {name[4:-5]: (data[name], data[f"fit:{name[4:-5]}:icpt"], data[f"fit:{name[4:-5]}:clss"])
                        for name in data.files if name.startswith("fit:") and name.endswith(":coef")}
                texts = {name[2:]: str(data[name]) for name in data.files if name.startswith("t:")}
                facts = FactStore()
                if not facts.load(data, len(digests)):
                    return
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # none yet, or unreadable: worked out again
            return
        if any(len(c) != len(digests) for c in columns.values()) or len(set(digests)) != len(digests):
            return
        self._digests, self._columns, self._fits, self._texts, self.facts = digests, dict(columns), fits, texts, facts
        self._earlier = sorted(set(columns) | set(fits))  # kept after this run's, if there is room
        self._row = {d: i for i, d in enumerate(digests)}

    @property
    def size(self) -> int:
        """How many rows (papers) the store knows."""
        return len(self._digests)

    def rows(self, digests: list[bytes]) -> np.ndarray:
        """Each paper's row (new papers get new ones)."""
        row = self._row
        for d in digests:
            if d not in row:
                row[d] = len(self._digests)
                self._digests.append(d)
        found = np.array([row[d] for d in digests], dtype=np.int64)
        self._used_rows.update(found.tolist())
        return found

    def column(self, name: str) -> np.ndarray:
        """The probabilities of fit ``name``, one a row (NaN: not worked out yet); written into by the caller."""
        self._used_fits.add(name)
        column = self._columns.get(name)
        size = len(self._digests)
        if column is None or len(column) < size:
            grown = np.full(size, np.nan)
            if column is not None:
                grown[:len(column)] = column
            column = self._columns[name] = grown
        return column

    def mark_changed(self) -> None:
        self._changed = True

    def fit(self, name: str):
        """The fitted model kept under ``name`` (made when first asked for a probability), or None."""
        self._used_fits.add(name)
        found = self._fits.get(name)
        return None if found is None else _KeptFit(found)

    def text(self, name: str) -> str | None:
        """The text kept under ``name`` (the gold set's figures, evaluate.py), or None."""
        self._used_texts.add(name)
        return self._texts.get(name)

    def keep_text(self, name: str, text: str) -> None:
        self._texts[name] = text
        self._used_texts.add(name)
        self._changed = True

    def keep_fit(self, name: str, model) -> None:
        self._fits[name] = (model.coef_, model.intercept_, model.classes_)
        self._used_fits.add(name)
        self._changed = True

    def save(self) -> None:
        """Write what this run used and the earlier runs' fits (up to ``KEPT``), for the papers this run
        read, if it worked anything out (a read-only checkout: nothing is lost)."""
        if self.path is None or not self._changed:
            return
        rows = np.array(sorted(self._used_rows), dtype=np.int64)
        arrays = {"version": np.array(code_version()),
                  "digests": np.frombuffer(b"".join(self._digests[r] for r in rows), dtype=np.uint8).reshape(-1, 16)}
        names = sorted(self._used_fits)
        names += [n for n in self._earlier if n not in self._used_fits][:max(0, KEPT - len(names))]
        for name in sorted(self._used_texts) + [n for n in sorted(self._texts) if n not in self._used_texts][:KEPT_TEXTS]:
            if name in self._texts:
                arrays[f"t:{name}"] = np.array(self._texts[name])
        tests = sorted(self.facts.used) + [n for n in self.facts.names if n not in self.facts.used]
        arrays.update(self.facts.arrays(rows, len(self._digests), tests[:max(KEPT_TESTS, len(self.facts.used))]))
        for name in names:
            if name in self._columns:
                arrays[f"p:{name}"] = self.column(name)[rows]  # grown to every row first
            if name in self._fits:
                coef, intercept, classes = self._fits[name]
                arrays.update({f"fit:{name}:coef": coef, f"fit:{name}:icpt": intercept, f"fit:{name}:clss": classes})
        out = io.BytesIO()
        np.savez(out, **arrays)
        try:
            write_atomic(self.path, out.getvalue())
        except (OSError, WriteError):
            pass


class _KeptFit:
    """A kept fit, made a scikit-learn model only when asked for a probability (a warm run needs none)."""

    def __init__(self, arrays: tuple):
        self._arrays, self._model = arrays, None

    def predict_proba(self, features):
        if self._model is None:
            from sklearn.linear_model import LogisticRegression

            model = LogisticRegression()
            model.coef_, model.intercept_, model.classes_ = (np.array(a) for a in self._arrays)
            model.n_features_in_ = model.coef_.shape[1]
            self._model = model
        return self._model.predict_proba(features)


def project_store(config_path: Path) -> ModelStore:
    from generator.archive.parse_cache import CACHE_DIR

    return ModelStore(Path(config_path).resolve().parent / CACHE_DIR / FILE_NAME)

"""The topic model's fits and probabilities, kept between runs (``.cache/generator/topic-model.npz``).

A topic's model is fitted from the gold set, its rules and the curators' choices, and its
probability for a paper depends on that fit and the paper's title and abstract alone: so
both are kept, by key (``TopicModel``'s fit key; a digest of the paper's text), and a
run fits, vectorizes and scores only what no earlier run did. The file holds what the
last run used (so it never outgrows the archive), is machine-only (``.cache/`` is
gitignored), written atomically, read with ``allow_pickle=False`` (loading it runs no
code), and forgotten whole when the code or the libraries that made it change, or when
it cannot be read.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

from generator.errors import WriteError
from generator.fileio import write_atomic

FILE_NAME = "topic-model.npz"
KEPT = 96  # fits kept: this run's, then the earlier runs' (the other side of a diff, the held-out figures' models)


def code_version() -> str:
    """What the kept values depend on: this code, the selection's and the libraries'."""
    import scipy
    import sklearn

    from generator.curate import listing, rules, topics
    from generator.curate import model as topic_model

    sources = b"".join(Path(m.__file__).read_bytes() for m in (topic_model, topics, rules, listing, __import__(__name__)))
    return f"1/{np.__version__}/{scipy.__version__}/{sklearn.__version__}/{hashlib.sha256(sources).hexdigest()[:16]}"


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
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # none yet, or unreadable: worked out again
            return
        if any(len(c) != len(digests) for c in columns.values()):
            return
        self._digests, self._columns, self._fits = digests, dict(columns), fits
        self._earlier = sorted(set(columns) | set(fits))  # kept after this run's, if there is room
        self._row = {d: i for i, d in enumerate(digests)}

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
        """The fitted model kept under ``name``, or None."""
        self._used_fits.add(name)
        found = self._fits.get(name)
        if found is None:
            return None
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression()
        model.coef_, model.intercept_, model.classes_ = (np.array(a) for a in found)
        model.n_features_in_ = model.coef_.shape[1]
        return model

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


def project_store(config_path: Path) -> ModelStore:
    from generator.archive.parse_cache import CACHE_DIR

    return ModelStore(Path(config_path).resolve().parent / CACHE_DIR / FILE_NAME)

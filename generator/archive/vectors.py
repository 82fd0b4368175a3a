"""The archive's papers as TF-IDF text: what related papers (site) and topic candidates (curate) compare."""
from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from generator.archive.models import Paper
from generator.archive.tex import plain_text


def paper_text(paper: Paper) -> str:
    # The title twice: its words say more about the paper than most of the abstract's.
    title = plain_text(paper.title)
    return f"{title}\n{title}\n{paper.abstract}"


def vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        stop_words="english", sublinear_tf=True, dtype=np.float32,
        # Words in over half the archive ("distributed", "system") tell papers apart poorly.
        max_df=0.5,
        # Words of letters (digits allowed after the first): numbers alone are noise here.
        token_pattern=r"(?u)\b[^\W\d_][\w-]*[^\W_]\b",
    )

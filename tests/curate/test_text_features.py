"""The topic model's text features: words, and concepts (LSA) when the gold set has room for them."""
import numpy as np

from generator.curate.text_features import CONCEPTS, TextFeatures

SUBJECTS = ["straggler mitigation for slow workers in training", "raft consensus replicated log leader",
            "gpu kernel fusion for attention", "serverless cold start of functions",
            "federated learning clients with private data"]


def texts(n):
    return [f"{SUBJECTS[i % len(SUBJECTS)]} paper {i} variant {i % 7} batch {i % 11}" for i in range(n)]


def test_the_same_texts_give_the_same_features_to_the_last_bit():
    corpus = texts(300)
    a = TextFeatures().fit(corpus).transform(corpus[:40])
    b = TextFeatures().fit(corpus).transform(corpus[:40])
    assert a.shape == b.shape and (a != b).nnz == 0


def test_concepts_follow_the_words_when_there_is_room_for_them():
    corpus = texts(300)
    features = TextFeatures().fit(corpus)
    words = len(features.words.vocabulary_)
    dimensions = features.concepts.n_components
    assert dimensions == min(CONCEPTS, words - 1)
    row = features.transform(["raft consensus replicated log leader"]).toarray()[0]
    assert row.shape == (words + dimensions,)
    assert np.isclose(np.linalg.norm(row[words:]), 1.0)  # each paper's concepts normalised


def test_a_gold_set_of_a_few_papers_has_words_only():
    corpus = ["raft consensus log", "raft consensus leader", "gpu kernel"]
    features = TextFeatures().fit(corpus)
    assert features.concepts is None
    assert features.transform(["raft leader"]).shape == (1, len(features.words.vocabulary_))

"""What the topic model works out once and reuses (both sides of ``topics --diff``) gives what
working it out afresh gives: the same fits, probabilities and listings."""
import random

import numpy as np
import pytest

from generator.curate import model as topic_model
from generator.curate.listing import TextIndex, list_topics
from generator.curate.model import ALONE, FALLBACK, LISTED, MOST, TopicModel, train
from generator.curate.rules import MatchRules
from generator.curate.topics import Topic
from test_store import make_paper
from test_topic_model import CONSENSUS, GPUS, OTHER, abstract, gold_papers


def _topics(gpu_keywords=("GPU", "GPUs")):
    return [Topic("consensus", "Consensus", rules=MatchRules(keywords=["Raft", "consensus"])),
            Topic("gpus", "GPUs", rules=MatchRules(keywords=list(gpu_keywords))),
            Topic("other", "Other", rules=MatchRules(keywords=["weather"], mentions=1))]


def _papers(count=40, seed=7):
    rng = random.Random(seed)
    words = [CONSENSUS, GPUS, OTHER]
    return [make_paper(id=f"2606.{i + 1:05d}", published=f"2026-06-{i % 28 + 1:02d}T10:00:00Z",
                       title=f"Paper {i} {rng.choice(['Raft', 'GPU', 'weather', 'study'])}",
                       abstract=abstract(rng, words[i % 3], " consensus on GPUs" if i % 4 == 0 else ""))
            for i in range(count)]


def _shape(listings):
    return [(l.slug, [(e.paper.id, e.reasons) for e in l.entries]) for l in listings]


def _gold():
    gold = gold_papers()
    for g in gold[::3]:  # the third topic's examples: weather words
        g.topics = ["other"] if not g.topics else g.topics
    return gold


def _plain_decide(probabilities, count, ruled):
    """``TopicModel.decide`` as a loop over papers, as it was written first."""
    slugs = sorted(probabilities)
    listed = {slug: set() for slug in slugs}
    for i in range(count):
        row = [probabilities[s][i] for s in slugs]
        order = sorted(range(len(slugs)), key=lambda j: (-row[j], slugs[j]))
        chosen = [j for j in order if row[j] >= (LISTED if i in ruled.get(slugs[j], ()) else ALONE)][:MOST]
        if not chosen and row[order[0]] >= FALLBACK:
            chosen = order[:1]
        for j in chosen:
            listed[slugs[j]].add(i)
    return listed


@pytest.mark.parametrize("seed", range(20))
def test_deciding_whole_columns_at_once_decides_as_paper_by_paper(seed):
    rng = random.Random(seed)
    slugs = [f"t{k}" for k in range(rng.randint(1, 7))]
    count = rng.randint(0, 60)
    # Ties on purpose: equal probabilities go in slug order, and sit on the thresholds.
    values = [0.0, 0.1, LISTED, 0.3, FALLBACK, 0.6, ALONE, 0.99]
    probabilities = {s: np.array([rng.choice(values) for _ in range(count)]) for s in slugs}
    ruled = {s: {i for i in range(count) if rng.random() < 0.4} for s in slugs}
    model = TopicModel.__new__(TopicModel)
    assert model.decide(probabilities, count, ruled) == _plain_decide(probabilities, count, ruled)


def test_a_gold_paper_is_the_same_paper_each_time():
    g = gold_papers(1)[0]
    assert g.paper() is g.paper()
    g.abstract += " more"
    assert g.paper().abstract.endswith(" more")


def test_a_partial_selection_lists_as_the_full_one_for_the_topics_it_asks():
    """``topics --diff`` selects some topics over the changed papers only: the model still weighs
    the others' evidence for those papers (their probabilities decide the at most four topics)."""
    topics, papers, index = _topics(), _papers(), TextIndex()
    model = train(topics, _gold(), index=index)
    parts = [_shape(list_topics(topics[k:k + 1], papers, index=index, model=model)) for k in range(len(topics))]
    full = _shape(list_topics(topics, papers, model=train(topics, _gold())))
    assert [row for part in parts for row in part] == full
    # and what the partial selections kept (each topic's probabilities) misleads no later one
    assert _shape(list_topics(topics, papers, index=index, model=model)) == full


def test_the_other_side_of_a_diff_refits_only_the_topic_that_changed():
    index, papers = TextIndex(), _papers()
    before = train(_topics(), _gold(), index=index)
    fits = {key for key in index.vectors if key[0] == "fit"}
    list_topics(_topics(), papers, index=index, model=before)
    after = train(_topics(gpu_keywords=("GPU", "GPUs", "CUDA")), _gold(), index=index)
    assert len({key for key in index.vectors if key[0] == "fit"} - fits) == 1  # the GPU topic's alone
    reused = list_topics(_topics(("GPU", "GPUs", "CUDA")), papers, index=index, model=after)
    fresh = list_topics(_topics(("GPU", "GPUs", "CUDA")), papers,
                        model=train(_topics(gpu_keywords=("GPU", "GPUs", "CUDA")), _gold()))
    assert _shape(reused) == _shape(fresh)  # what was kept changes nothing


def test_probabilities_worked_out_once_are_those_worked_out_afresh():
    index, papers = TextIndex(), _papers()
    model = train(_topics(), _gold(), index=index)
    first, _ = model.probabilities(papers)
    again, _ = model.probabilities(list(reversed(papers)))  # from what was kept
    fresh, _ = train(_topics(), _gold()).probabilities(papers)
    for slug in first:
        assert np.array_equal(again[slug][::-1], first[slug])
        assert np.allclose(fresh[slug], first[slug], rtol=0, atol=1e-12)


def test_fits_and_probabilities_kept_in_the_file_select_as_working_them_out(tmp_path, monkeypatch):
    from generator.curate import model_store as topic_model_store
    from generator.curate.model_store import ModelStore

    path, papers = tmp_path / "topic-model.npz", _papers()

    def select(store=None):
        index = TextIndex()
        index.store = store
        return _shape(list_topics(_topics(), papers, index=index, model=train(_topics(), _gold(), index=index)))

    fresh = select()
    first = ModelStore(path)
    assert select(first) == fresh
    first.save()
    kept = ModelStore(path)
    fitted = []
    monkeypatch.setattr(topic_model.TopicModel, "_features",
                        staticmethod(lambda *a, real=topic_model.TopicModel._features: fitted.append(1) or real(*a)))
    assert select(kept) == fresh
    assert not fitted  # nothing fitted, nothing scored: all of it was in the file
    # another version of the code, or a file that is not one: worked out again, the same
    monkeypatch.setattr(topic_model_store, "code_version", lambda: "another")
    assert select(ModelStore(path)) == fresh and fitted
    path.write_bytes(b"PK\x03\x04 not a zip file")
    assert select(ModelStore(path)) == fresh

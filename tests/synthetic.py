"""Synthetic arXiv entries, as many as wanted, varied enough to search.

Titles, abstracts and author lists are drawn (deterministically, from a
seed) from a distributed-computing vocabulary, with inline math now and then
and a few long author lists, so search, listings and page sizes behave as on
real cs.DC papers. Ids are fresh (``YYMM.NNNNN``), months run back from June
2026, newest first, with ``per_month`` papers each, as ``harvest`` expects
them from arXiv (sorted by last update, newest first).
"""
from __future__ import annotations

import random

from arxiv_feed import Entry

TOPICS = (
    "consensus", "replication", "scheduling", "serverless", "federated learning", "checkpointing",
    "load balancing", "GPU clusters", "MPI collectives", "RDMA", "erasure coding", "stream processing",
    "key-value stores", "Byzantine fault tolerance", "edge computing", "autoscaling", "sparse matrices",
    "graph analytics", "mixture-of-experts training", "LLM inference", "KV cache", "pipeline parallelism",
    "tensor parallelism", "blockchain sharding", "cache coherence", "work stealing", "transactional memory",
    "lock-free queues", "data center networks", "HPC I/O", "burst buffers", "quantum simulation",
    "stencil codes", "FPGA offload", "energy efficiency", "straggler mitigation", "gossip protocols",
    "CRDTs", "Raft", "Paxos", "microservices", "container orchestration", "Kubernetes", "vector databases",
)
NOUNS = (
    "framework", "system", "protocol", "algorithm", "runtime", "scheduler", "compiler", "benchmark",
    "architecture", "library", "analysis", "design", "approach", "study", "model", "engine",
)
ADJECTIVES = (
    "Scalable", "Efficient", "Fault-Tolerant", "Adaptive", "Elastic", "Decentralized", "Low-Latency",
    "Energy-Aware", "Practical", "Verified", "Asynchronous", "Heterogeneous", "Distributed", "Parallel",
)
VERBS = (
    "reduces", "improves", "accelerates", "balances", "tolerates", "predicts", "schedules", "partitions",
    "replicates", "compresses", "overlaps", "coordinates", "verifies", "shards", "batches", "pipelines",
)
FILLER = (
    "the", "of", "for", "with", "and", "across", "under", "at", "in", "while", "between", "on",
    "workloads", "nodes", "latency", "throughput", "memory", "bandwidth", "communication", "tail",
    "requests", "tasks", "failures", "replicas", "clusters", "accelerators", "jobs", "messages",
    "state", "storage", "network", "cost", "traces", "production", "experiments", "baselines",
)
SYLLABLES = ("ka", "lo", "mesh", "zen", "tri", "vo", "rax", "qu", "or", "flux", "ny", "sto", "pi", "dra", "gon",
             "ex", "tal", "mi", "ra", "shard", "bolt", "ion", "ve", "cor")
MATH = ("$O(n \\log n)$", "$3.2\\times$", "$p_{99}$", "$\\alpha = 0.5$", "$k$-way", "$10^{6}$", "$\\epsilon$")
GIVEN = (
    "Ada", "Alan", "Barbara", "Butler", "Edsger", "Frances", "Grace", "Jim", "John", "Judea", "Ken",
    "Leslie", "Liskov", "Margo", "Nancy", "Radia", "Robbert", "Shafi", "Sophie", "Tony", "Wei", "Xin",
    "Yuki", "Zhang", "Amir", "Bianca", "Chen", "Dmitri", "Elena", "Fatima", "Giulia", "Hiro", "Ines",
    "Jamal", "Kavya", "Lars", "Mei", "Nikolai", "Olga", "Priya", "Quentin", "Rosa", "Sven", "Tariq",
)
FAMILY = (
    "Lamport", "Lynch", "Gray", "Dijkstra", "Hoare", "Liskov", "van Renesse", "Birman", "Ousterhout",
    "Stoica", "Zaharia", "Dean", "Ghemawat", "Vogels", "Chandy", "Misra", "Herlihy", "Shavit", "Li",
    "Wang", "Zhang", "Liu", "Chen", "Kumar", "Singh", "Müller", "Schmidt", "Rossi", "García", "Silva",
    "Kowalski", "Nakamura", "Okafor", "Haddad", "Novak", "Jensen", "Dubois", "Costa", "Ivanova", "Park",
)
AFFILIATIONS = ("MIT", "ETH Zurich", "Tsinghua University", "INRIA", "University of Tokyo", "IISc Bangalore",
                "TU Munich", "University of Cambridge", "Microsoft Research", "Argonne National Laboratory")
CROSS_LISTS = ("cs.LG", "cs.NI", "cs.PF", "cs.OS", "cs.AR", "cs.CR", "math.OC")


def _caps(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def _title(rng: random.Random) -> str:
    topic, other = rng.sample(TOPICS, 2)
    form = rng.randrange(4)
    if form == 0:
        return f"{rng.choice(ADJECTIVES)} {_caps(topic)} for {_caps(other)}"
    if form == 1:
        return f"{rng.choice(ADJECTIVES)} {_caps(rng.choice(NOUNS))} {rng.choice(VERBS)} {topic} at scale"
    if form == 2:
        return f"On the {_caps(rng.choice(NOUNS))} of {_caps(topic)} with {_caps(other)}"
    return f"{_caps(topic)}: a {rng.choice(ADJECTIVES).lower()} {rng.choice(NOUNS)} for {other}"


def _sentence(rng: random.Random, topics: list[str]) -> str:
    words = [rng.choice(ADJECTIVES).lower(), rng.choice(topics), rng.choice(VERBS)]
    words += [rng.choice(FILLER) for _ in range(rng.randrange(8, 20))]
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), rng.choice(MATH))
    return " ".join(words).capitalize() + "."


def _system_name(rng: random.Random) -> str:
    """A made-up system name (``Voshard``, ``TriFlux``): rare words, as real papers coin them."""
    return "".join(rng.choice(SYLLABLES).capitalize() if i == 0 or rng.random() < 0.3 else rng.choice(SYLLABLES)
                   for i in range(rng.randrange(2, 4)))


def _abstract(rng: random.Random, title: str, name: str | None) -> str:
    topics = [t for t in TOPICS if t.lower() in title.lower()] or [rng.choice(TOPICS)]
    sentences = [_sentence(rng, topics + [rng.choice(TOPICS)]) for _ in range(rng.randrange(5, 12))]
    if name:
        sentences.insert(rng.randrange(1, len(sentences)), f"We present {name}, a {rng.choice(NOUNS)} for {topics[0]}.")
    return " ".join(sentences)


def _authors(rng: random.Random) -> list[tuple[str, list[str]]]:
    count = rng.choice((1, 2, 2, 3, 3, 4, 4, 5, 6, 8)) if rng.random() > 0.02 else rng.randrange(20, 40)
    return [(f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
             [rng.choice(AFFILIATIONS)] if rng.random() < 0.3 else []) for _ in range(count)]


def month_back(index: int, newest: tuple[int, int] = (2026, 6)) -> str:
    """``YYMM`` of the month ``index`` months before ``newest``."""
    year, month = divmod(newest[0] * 12 + newest[1] - 1 - index, 12)
    return f"{year % 100:02d}{month + 1:02d}"


def entries(count: int, seed: int = 0, per_month: int = 1000) -> list[Entry]:
    """``count`` entries, newest first; entry ``i`` always has the same id and text for a seed."""
    rng = random.Random(seed)
    result = []
    for i in range(count):
        yymm = month_back(i // per_month)
        number = per_month - i % per_month  # newest first within the month
        day = 1 + (number * 27) // (per_month + 1)
        stamp = f"20{yymm[:2]}-{yymm[2:]}-{day:02d}T{10 + number % 12:02d}:{number % 60:02d}:00Z"
        name = _system_name(rng) if rng.random() < 0.5 else None
        title = f"{name}: {_title(rng)}" if name else _title(rng)
        version = 1 if rng.random() < 0.7 else 2
        result.append(Entry(
            id=f"{yymm}.{number:05d}v{version}", title=title, summary=_abstract(rng, title, name),
            published=stamp, updated=stamp, authors=_authors(rng),
            categories=["cs.DC", *rng.sample(CROSS_LISTS, rng.randrange(0, 3))],
            comment=f"{rng.randrange(6, 30)} pages, {rng.randrange(2, 15)} figures" if rng.random() < 0.6 else None,
            journal_ref=None, doi=f"10.1145/{3600000 + i}" if rng.random() < 0.2 else None))
    result.sort(key=lambda entry: (entry.updated, entry.id), reverse=True)
    return result


def save(docs_dir, batch: list[Entry]) -> None:
    """Store entries in an archive as a harvest would (through the Atom parser)."""
    from arxiv_feed import feed
    from generator.harvest.atom import parse_page
    from generator.archive.store import Archive

    archive = Archive(docs_dir)
    for paper in parse_page(feed(batch), "synthetic").papers:
        archive.save(paper)

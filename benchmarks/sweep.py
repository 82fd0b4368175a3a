"""How long the first run's OAI-PMH sweep takes on this side (not part of `make test`).

Makes an archive of N synthetic cs.DC papers (default 30,000, as the query
API's cap leaves it), then times what a harvest adds past the cap: counting
the archive's papers per category, and a sweep of the category's whole
OAI-PMH set (the N papers held plus 1,000 it lacks, 1,000 records a reply as
arXiv answers) from a local stand-in, with no delay between requests. The
real run adds arXiv's response time and 3 s between requests.

    .venv/bin/python benchmarks/sweep.py [N]
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from arxiv_server import ArxivServer  # noqa: E402
from oai_feed import Record  # noqa: E402
from synthetic import entries, save  # noqa: E402

from generator.archive.store import Archive  # noqa: E402
from generator.harvest.client import Client  # noqa: E402
from generator.harvest.run import Harvester  # noqa: E402

MISSING = 1000


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive(Path(tmp))
        made = entries(count)
        for i in range(0, count, 1000):
            save(archive.docs_dir, made[i:i + 1000])
        records = [Record(id=e.id.split("v")[0], versions=[(int(e.id.split("v")[1]), "Mon, 1 Jun 2026 10:00:00 GMT")],
                          datestamp="2026-06-01") for e in made]
        records += [Record(id=f"0701.{n:05d}", datestamp="2026-06-02") for n in range(1, MISSING + 1)]
        with ArxivServer(oai_records=records, oai_page_size=1000) as server:
            harvester = Harvester(archive, Client(delay=0), "unused", 200, oai_url=server.oai_url)
            start = time.perf_counter()
            held = harvester._count()
            counted = time.perf_counter() - start
            harvester.state.entry("cs.DC")["arxiv_total"] = count + MISSING
            start = time.perf_counter()
            harvester._complete_category("cs.DC")
            swept = time.perf_counter() - start
        print(f"count of {held['cs.DC']:,} papers: {counted:.1f} s")
        print(f"sweep of {count + MISSING:,} records ({len(harvester.report.new):,} new) in "
              f"{harvester.client.requests_made} requests: {swept:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30000)

"""A small archive for the library's browser tests (tests/test_library*.py), and helpers."""
import re
import shutil

import pytest

import synthetic
from arxiv_feed import Entry
from conftest import MINIMAL_CONFIG, Project, SiteServer

TOPIC = "---\ntitle: Consensus <b>protocols</b>\ndescription: Agreement.\nmatch:\n  keywords: [consensus]\n---\n\nIntro.\n"
HOSTILE = '<img src=x onerror="window.pwned=1">Paxos </script><script>window.pwned=1</script>'
KEY = "archive-library:/archive/"
SAVE = ".archive-toggle"

FIRST = [
    Entry(id="2606.09001v1", title="Consensus with $O(n^2)$ messages", published="2026-06-02T10:00:00Z",
          summary="A consensus protocol.", authors=[("Quintessa Vandermolen", []), ("Ivo Quist", [])],
          doi="10.1145/1234567", journal_ref="PODC 2026"),
    Entry(id="2606.09002v1", title="Gossip membership at scale", published="2026-06-03T10:00:00Z",
          summary="Epidemic dissemination.", authors=[("Ada Old", [])]),
    Entry(id="2606.09003v1", title=HOSTILE, published="2026-06-04T10:00:00Z",
          summary="Hostile title, plain abstract.", authors=[("Mallory <b>Evil</b>", [])]),
    Entry(id="cs/0112017v2", title="An old-style identifier", published="2001-12-10T10:00:00Z",
          summary="From before 2007.", authors=[("Ada Old", [])]),
]
# After the rebuild: one new paper in each follow, one backfilled from years ago, one in none.
NEW = [
    Entry(id="2606.09101v1", title="Byzantine consensus, faster", published="2026-06-05T10:00:00Z",
          summary="Another consensus protocol.", authors=[("Zed Nobody", [])]),
    Entry(id="2606.09102v1", title="Stream processing, by Quintessa", published="2026-06-05T11:00:00Z",
          summary="Streams.", authors=[("Quintessa Vandermolen", [])]),
    Entry(id="2301.09103v1", title="Gossip, backfilled", published="2023-01-05T10:00:00Z",
          summary="An old paper the harvest found late.", authors=[("Old Timer", [])]),
    Entry(id="2606.09104v1", title="Unrelated storage engines", published="2026-06-05T12:00:00Z",
          summary="Disks.", authors=[("Nobody Else", [])]),
]


def make_archive(root):
    # No repository: Material's widget would ask GitHub's API, and the test shows no request leaves.
    project = Project(root, MINIMAL_CONFIG.replace("repo_url: https://github.com/example/archive\n", ""))
    synthetic.save(project.content, synthetic.entries(30) + FIRST)
    (project.content / "topics").mkdir()
    (project.content / "topics" / "consensus.md").write_text(TOPIC, encoding="utf-8")
    project.build()
    return project


def publish(project, www):
    shutil.rmtree(www / "archive", ignore_errors=True)
    shutil.copytree(project.site, www / "archive")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    project = make_archive(tmp_path_factory.mktemp("library"))
    www = project.root / "www"
    publish(project, www)
    server = SiteServer(www)
    yield project, server.url + "archive/"
    server.close()


def watched(context, hosts):
    """Every request's URL, and every page error, of a context's pages."""
    def on_page(tab):
        tab.errors = []
        tab.on("pageerror", lambda error: tab.errors.append(str(error)))
        tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
        tab.on("request", lambda request: hosts.append(request.url))
    context.on("page", on_page)
    return context


def library_titles(page):
    page.locator("#archive-library-papers .paper-item__title").first.wait_for()
    return page.locator("#archive-library-papers .paper-item__title").all_inner_texts()


def press(page, button):
    button.click()
    page.wait_for_function("b => b.getAttribute('aria-pressed') === 'true'", arg=button.element_handle())


def download(page, kind) -> str:
    with page.expect_download() as info:
        page.click(f"[data-export={kind}]")
    return open(info.value.path(), encoding="utf-8").read()


def page_bibtex(project, paper_id) -> str:
    html = project.page(f"papers/{paper_id[:4]}/{paper_id}/")
    entry = re.search(r'id="bibtex"><pre><code>(.*?)</code>', html, re.S).group(1)
    import html as html_module
    return html_module.unescape(entry).strip()

"""Only the archive is published: a file, folder or link a pull request adds to content/ is refused.

MkDocs would publish anything under its docs dir, raw HTML and SVG included,
and follows symbolic links; `check` names each such path and the build
refuses it before MkDocs reads a file.
"""
import os
import socket

import pytest

from conftest import Project
from test_curation import add_papers, write

RAW = "<script>window.__xss=1</script><img src=x onerror=window.__xss=1>"
ADDED = [
    "about.md", "index.md", "evil.html", "logo.svg", "robots.txt", "favicon.ico", "page.markdown",
    "topics/x.markdown", "topics/x.html", "topics/x.md.html", "topics/x.svg", "topics/sub/y.md",
    "topics/.hidden/y.md", "papers/evil.md", "papers/2606/notes.md", "papers/2606/2606.00002.html",
    "papers/2606/2606.00002.md.svg", "papers/2606/sub/2606.00003.md", "papers/26o6/2606.00004.md",
    "papers/2606/2606.00005.MD", "assets/evil.js", "assets/archive.css.map", "assets/sub/search.js",
    "months/index.md", "search/index.html", "months/2606/index.md", "pagefind/pagefind.js",
    "assets/fonts/x.woff", ".github/x.md",
]


@pytest.fixture
def archive(project, monkeypatch):
    monkeypatch.chdir(project.root)
    add_papers(project, "2606.00001")
    return project


def built(project):
    return project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))


@pytest.mark.parametrize("relative", ADDED)
def test_a_file_the_archive_does_not_hold_is_refused_by_check_and_build(archive, relative):
    write(archive, relative, f"---\ntitle: x\n---\n{RAW}\n")
    top = "content/" + relative.split("/")[0] if relative.startswith(("months/", "search/", "pagefind/", ".github/")) else None
    checked = archive.run("check")
    assert checked.exit_code == 5, checked.output
    named = [line for line in checked.stderr.splitlines() if "does not publish" in line]
    assert len(named) == 1, checked.output
    shown = named[0].removeprefix("error: ").split(":")[0]
    assert f"content/{relative}".startswith(shown) and shown.startswith(top or "content/"), named
    result = built(archive)
    assert result.exit_code != 0
    assert named[0] in result.stderr
    assert not (archive.site / "index.html").exists()


def test_the_project_s_own_files_pass(archive):
    write(archive, "topics/consensus.md", "---\ntitle: Consensus\ndescription: Agreement.\nmatch:\n"
                                          "  keywords: [consensus]\n---\n\nIntro.\n")
    (archive.content / ".harvest-state.json").write_text("{}", encoding="utf-8")
    (archive.content / "papers" / "2606" / ".2606.00001.md.abc.tmp").write_text("half", encoding="utf-8")
    assert archive.run("check").exit_code == 0
    assert built(archive).exit_code == 0
    assert (archive.site / "papers/2606/2606.00001/index.html").exists()


@pytest.fixture
def outside(tmp_path):
    """A directory and a secret outside the archive, which links under content/ point to."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "2607").mkdir(parents=True)
    secret = elsewhere / "secret.txt"
    secret.write_text(f"build machine secret {socket.gethostname()}", encoding="utf-8")
    paper = (elsewhere / "2607" / "2607.00001.md")
    paper.write_text("---\nid: '2607.00001'\n---\n", encoding="utf-8")
    return elsewhere


LINKS = {
    "leak.txt": lambda o: "/etc/hostname",
    "secret.md": lambda o: o / "secret.txt",
    "papers/2607": lambda o: o / "2607",
    "papers/2606/2606.00009.md": lambda o: o / "secret.txt",
    "topics/leak.md": lambda o: o / "secret.txt",
    "assets/extra.css": lambda o: "/etc/hostname",
    "loop": lambda o: ".",
    "papers/2606/loop": lambda o: "..",
    "dangling.md": lambda o: o / "missing",
}


@pytest.mark.parametrize("relative", LINKS)
def test_a_symbolic_link_under_content_is_refused_never_followed(archive, outside, relative):
    link = archive.content / relative
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(LINKS[relative](outside), link)
    checked = archive.run("check")
    assert checked.exit_code == 5, checked.output
    assert f"error: content/{relative}:1: a symbolic link" in checked.stderr, checked.output
    assert "machine secret" not in checked.output
    result = built(archive)
    assert result.exit_code != 0
    assert f"content/{relative}:1: a symbolic link" in result.stderr
    assert not archive.site.exists() or not any(archive.site.rglob("*.html"))


def test_a_linked_asset_replacing_the_project_s_own_is_refused(archive):
    css = archive.content / "assets" / "archive.css"
    css.unlink()
    os.symlink("/etc/hostname", css)
    checked = archive.run("check")
    assert "content/assets/archive.css:1: a symbolic link" in checked.stderr


def test_the_build_of_a_clean_archive_after_a_refused_one_is_whole(archive):
    write(archive, "evil.html", RAW)
    assert built(archive).exit_code != 0
    (archive.content / "evil.html").unlink()
    assert built(archive).exit_code == 0
    assert not (archive.site / "evil.html").exists()

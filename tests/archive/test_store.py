"""The archive's files: exact round trips, and nothing a person wrote is lost."""
import pytest

from generator.archive.models import Author, Paper
from generator.archive.store import Archive, Outcome, paper_from_text
from generator.errors import PaperFileError
from nasty import NASTY


def make_paper(**fields) -> Paper:
    base = dict(id="2606.01839", version=1, title="A title", authors=[Author("Ada", ["U1", "U2"])],
                published="2026-06-01T10:00:00Z", updated="2026-06-01T10:00:00Z",
                primary_category="cs.DC", categories=["cs.DC", "cs.LG"], abstract="An abstract.",
                links={"abs": "https://arxiv.org/abs/2606.01839v1"})
    base.update(fields)
    return Paper(**base)


@pytest.mark.parametrize("text", NASTY)
def test_feed_text_round_trips_exactly_through_front_matter(tmp_path, text):
    archive = Archive(tmp_path)
    archive.save(make_paper(title=text, comment=text, journal_ref=text,
                            authors=[Author(text, [text])], abstract="Body: " + text))
    back = archive.load("2606.01839")
    assert back.title == text and back.comment == text and back.journal_ref == text
    assert back.authors[0].name == text and back.authors[0].affiliations == [text]
    assert back.abstract == ("Body: " + text).strip()


def test_a_body_line_of_dashes_does_not_end_the_front_matter(tmp_path):
    archive = Archive(tmp_path)
    archive.save(make_paper(abstract="before\n---\ntitle: injected\n---\nafter"))
    back = archive.load("2606.01839")
    assert back.title == "A title"
    assert back.abstract == "before\n---\ntitle: injected\n---\nafter"


CURATION = """\
# A curator's comment above the block, kept too.
curation:
  headline: "Decoupled compression speeds GPU collectives up to 9.65x"
  summary: 'One sentence, in single quotes.'
  note: |
    Free **Markdown**, with a list:

    - item
  topics: [llm-serving]   # an inline comment
  featured: yes
"""


def test_newer_version_keeps_the_curation_block_byte_for_byte(tmp_path):
    archive = Archive(tmp_path)
    archive.save(make_paper())
    path = archive.path_for("2606.01839")
    text = path.read_text()
    path.write_text(text.replace("---\n\n", CURATION + "---\n\n", 1))

    outcome = archive.save(make_paper(version=2, updated="2026-06-09T10:00:00Z", doi="10.1/x",
                                      title="A better title"))
    assert outcome is Outcome.UPDATED
    new_text = path.read_text()
    assert CURATION in new_text
    paper = archive.load("2606.01839")
    assert (paper.version, paper.doi, paper.title) == (2, "10.1/x", "A better title")
    assert paper.curation["featured"] is True and paper.curation["topics"] == ["llm-serving"]
    assert [(v.version, v.date) for v in paper.versions] == [(1, "2026-06-01T10:00:00Z"), (2, "2026-06-09T10:00:00Z")]


def test_same_paper_again_writes_nothing(tmp_path):
    archive = Archive(tmp_path)
    archive.save(make_paper())
    path = archive.path_for("2606.01839")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    assert archive.save(make_paper()) is Outcome.UNCHANGED
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_older_version_never_replaces_a_newer_one(tmp_path):
    archive = Archive(tmp_path)
    archive.save(make_paper(version=3, title="v3"))
    assert archive.save(make_paper(version=2, title="v2")) is Outcome.STALE
    assert archive.load("2606.01839").title == "v3"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    archive = Archive(tmp_path)
    archive.save(make_paper())
    path = archive.path_for("2606.01839")
    before = path.read_bytes()

    def crash(*args):
        raise KeyboardInterrupt  # a kill between writing and renaming

    monkeypatch.setattr("generator.fileio.os.replace", crash)
    with pytest.raises(KeyboardInterrupt):
        archive.save(make_paper(version=2))
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_old_style_id_gets_a_filesystem_safe_name(tmp_path):
    archive = Archive(tmp_path)
    archive.save(make_paper(id="cs/0112017"))
    assert (tmp_path / "papers" / "0112" / "cs-0112017.md").exists()
    assert archive.load("cs/0112017").id == "cs/0112017"


@pytest.mark.parametrize("text, line, message", [
    ("no front matter\n", 1, "no YAML front matter"),
    ("---\nid: '2606.1'\n", 1, "not closed"),
    ("---\nid: '2606.1'\ntitle: [unclosed\n---\n", 4, "malformed YAML"),
    ("---\nid: '2606.1'\n---\n", 2, "missing front matter key(s): version"),
])
def test_bad_paper_file_names_the_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "papers" / "2606" / "2606.1.md"
    with pytest.raises(PaperFileError) as info:
        paper_from_text(text, path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert message in str(info.value)


def test_a_persons_comments_survive_a_harvest_wherever_they_are(tmp_path):
    # A curation block at the top with a line commented out at its end, a note
    # above a harvested key, one at the end: a harvest rewrites none of them away.
    archive = Archive(tmp_path)
    archive.save(make_paper())
    path = archive.path_for("2606.01839")
    text = path.read_text()
    text = text.replace("---\n", "---\ncuration:\n  headline: A claim\n  # featured: true\n", 1)
    text = text.replace("\ndoi: null\n", "\n# The DOI comes with v2.\ndoi: null\n", 1)
    text = text.replace("\n---\n\n", "\n# Checked by Ada.\n---\n\n", 1)
    path.write_text(text)

    newer = dict(version=2, updated="2026-06-09T10:00:00Z", doi="10.1/x")
    assert archive.save(make_paper(**newer)) is Outcome.UPDATED
    new_text = path.read_text()
    assert "curation:\n  headline: A claim\n  # featured: true\n" in new_text
    assert "# The DOI comes with v2.\n" in new_text and "# Checked by Ada.\n" in new_text
    assert archive.load("2606.01839").doi == "10.1/x"
    assert archive.save(make_paper(**newer)) is Outcome.UNCHANGED  # and the next run changes nothing


PERSONS_CRLF = "curation:\r\n  note: written on Windows\r\n  topics: [llm-serving]\r\n"


@pytest.mark.parametrize("bom", ["", "\ufeff"], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", ["\r\n", "\n"], ids=["crlf", "lf"])
def test_a_crlf_or_bom_file_keeps_the_persons_bytes_and_its_convention(tmp_path, bom, newline):
    archive = Archive(tmp_path)
    archive.save(make_paper())
    path = archive.path_for("2606.01839")
    text = path.read_text().replace("---\n\n", PERSONS_CRLF.replace("\r\n", "\n") + "---\n\n", 1)
    path.write_bytes((bom + text.replace("\n", newline)).encode())
    person = PERSONS_CRLF.replace("\r\n", newline).encode()

    assert archive.save(make_paper()) is Outcome.UNCHANGED  # read as written: no churn
    assert archive.save(make_paper(version=2, updated="2026-06-09T10:00:00Z", title="New")) is Outcome.UPDATED
    data = path.read_bytes()
    assert data.startswith(bom.encode() + b"---" + newline.encode())
    assert person in data  # the person's block, byte for byte
    assert data.replace(b"\r\n", b"").count(b"\n") == (0 if newline == "\r\n" else data.count(b"\n"))  # one convention
    back = archive.load("2606.01839")
    assert back.title == "New" and back.version == 2 and back.extra


def test_a_crlf_file_reapplied_onto_itself_gains_no_stray_carriage_returns(tmp_path):
    from generator.archive.store import reapply_harvest
    archive = Archive(tmp_path)
    archive.save(make_paper(abstract="Line one.\nLine two."))
    path = archive.path_for("2606.01839")
    crlf = path.read_text().replace("---\n\n", CURATION + "---\n\n", 1).replace("\n", "\r\n")
    result = reapply_harvest(crlf, crlf, path)
    assert result == crlf and "\r\r" not in result

"""What the built site leaves out (generator/site/trim.py)."""
from generator.site.trim import remove_pagefind_extras, unused_theme_file, without_empty_placeholders, without_search_marks


def test_only_the_marks_the_build_wrote_leave_a_served_page():
    page = ('<h2 id="abstract" data-pagefind-ignore>Abstract</h2><ul class="paper__authors" data-pagefind-weight="5">'
            '<p data-pagefind-ignore class="x">A title: data-pagefind-ignore> stays</p>'
            '<meta name="citation_title" content="On data-pagefind-ignore and data-pagefind-weight=&quot;5&quot; x">')
    assert without_search_marks(page) == (
        '<h2 id="abstract">Abstract</h2><ul class="paper__authors">'
        '<p class="x">A title: data-pagefind-ignore> stays</p>'
        '<meta name="citation_title" content="On data-pagefind-ignore and data-pagefind-weight=&quot;5&quot; x">')


def test_material_s_own_search_and_source_maps_are_left_out_but_nothing_of_the_archive():
    assert unused_theme_file("assets/javascripts/lunr/min/lunr.fr.min.js")
    assert unused_theme_file("assets/javascripts/workers/search.a7633da7.min.js")
    assert unused_theme_file("assets/javascripts/bundle.a5f9d56c.min.js.map")
    assert unused_theme_file("assets/stylesheets/main.57a0d79d.min.css.map")
    for kept in ("assets/javascripts/bundle.a5f9d56c.min.js", "assets/stylesheets/palette.fb2fffe2.min.css",
                 "assets/search.js", "assets/archive.map", "papers/2606/x.map", "topics/lunr/index.md"):
        assert not unused_theme_file(kept), kept


def test_pagefinds_ready_made_interfaces_leave_its_bundle(tmp_path):
    for name in ("pagefind.js", "pagefind-entry.json", "wasm.en.pagefind", "pagefind-ui.js", "pagefind-worker.js"):
        (tmp_path / name).write_text("x")
    remove_pagefind_extras(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagefind-entry.json", "pagefind.js", "wasm.en.pagefind"]


def test_the_built_site_has_none_of_them(sample_site):
    html = (sample_site / "papers/2510/2510.00991/index.html").read_text()
    assert "data-pagefind" not in html
    assert not list(sample_site.rglob("*.map")) and not (sample_site / "assets/javascripts/lunr").exists()
    assert not (sample_site / "assets/javascripts/workers").exists()
    assert not (sample_site / "pagefind/pagefind-ui.js").exists() and (sample_site / "pagefind/pagefind.js").exists()
    # Material's helpers and the palette script, once for every page (generator/site/chrome.py).
    theme = (sample_site / "assets/theme.js").read_text()
    assert "__md_get=" in theme and '"(prefers-color-scheme: dark)", "slate"' in theme
    assert '<script src="../../../assets/theme.js"></script>' in html and "__md_scope" not in html
    # Material's configuration too, the same on every page but for the root, which theme.js finds.
    assert '"features":["content.action.edit","navigation.top","navigation.tabs"]' in theme
    assert '"clipboard.copied":"Copied to clipboard"' in theme and 'id="__config"' not in html
    for gone in ('data-md-component="skip"', 'data-md-component="announce"', 'class="md-overlay"'):
        assert gone not in html, gone


def test_only_materials_empty_placeholders_go():
    page = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">\n'
            '<label class="md-overlay" for="__drawer"></label>\n<div data-md-component="skip">\n</div>\n'
            '<div data-md-component="announce">\n</div>\n<p>x</p>\n'
            '<div data-md-component="skip">\n<a href="#intro" class="md-skip">Skip</a>\n</div>\n'
            '<pre>&lt;div data-md-component="announce"&gt;</pre>')
    assert without_empty_placeholders(page) == (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">\n'
        '<p>x</p>\n<div data-md-component="skip">\n<a href="#intro" class="md-skip">Skip</a>\n</div>\n'
        '<pre>&lt;div data-md-component="announce"&gt;</pre>')

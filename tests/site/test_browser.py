"""What a reader sees in a real browser (headless Chromium)."""


def test_paper_page_renders_math_with_no_console_error(page, sample_server):
    page.goto(sample_server.url + "papers/2606/2606.04101/")
    assert page.locator("h1").inner_text().startswith("UltraEP")
    math = page.locator(".paper__abstract math").first
    box = math.bounding_box()
    assert box and box["width"] > 0  # MathML laid out, not hidden source
    assert page.errors == []


def test_bibtex_copy_button_copies_the_entry(page, sample_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=sample_server.url.rstrip("/"))
    page.goto(sample_server.url + "papers/2606/2606.04101/")
    button = page.locator(".paper__bibtex button")  # Material's copy button, added by its own script
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{wei2026ultraep,") and "eprint = {2606.04101}" in copied
    assert copied.rstrip().endswith("}")
    assert page.errors == []


def test_the_header_shows_a_papers_title_once_the_reader_scrolls_past_it(page, sample_server):
    # The page sends the header's second line empty; assets/theme.js writes it
    # from <title>, and Material's script shows it past the heading.
    page.goto(sample_server.url + "papers/2606/2606.04101/")
    topic = page.locator('[data-md-component="header-topic"] .md-ellipsis')
    assert topic.inner_text().startswith("UltraEP: Unleash MoE Training") and not topic.inner_text().endswith("archive")
    page.mouse.wheel(0, 1500)
    page.wait_for_selector(".md-header__title--active")
    assert page.locator(".md-header__title--active").count() == 1
    page.goto(sample_server.url + "months/2606/")  # other pages send theirs
    assert topic.inner_text() == "June 2026"
    assert page.errors == []


def test_feed_link_in_the_head_resolves_to_a_valid_feed(page, sample_server):
    import feedparser

    page.goto(sample_server.url + "papers/2606/2606.04101/")
    href = page.eval_on_selector('link[rel="alternate"][type="application/atom+xml"]', "link => link.href")
    response = page.request.get(href)
    assert response.ok, href
    feed = feedparser.parse(response.body())
    assert not feed.bozo and len(feed.entries) > 0
    assert page.errors == []


def test_key_result_and_related_papers_show_math_and_links(page, sample_server):
    page.goto(sample_server.url + "papers/2606/2606.01556/")  # 2606.04101, withdrawn, highlights none
    math = page.locator(".paper__key-result math").first
    box = math.bounding_box()
    assert box and box["width"] > 0  # 1.49$\times$ as MathML, laid out
    page.goto(sample_server.url + "papers/2510/2510.00991/")  # UltraEP has no paper close enough in the sample
    page.locator(".paper__related a").first.click()
    page.wait_for_load_state()
    assert "/papers/" in page.url and page.locator("h1.paper__title").count() == 1
    assert page.errors == []


def test_a_page_view_never_downloads_the_whole_sitemap(page, sample_server):
    # Material fetches sitemap.xml beside every <link rel="alternate">: the
    # feeds' stub must answer, not the site's sitemap (megabytes at scale).
    fetched = []
    page.on("response", lambda response: fetched.append((response.url, response.status)))
    for url in ["", "papers/2606/2606.04101/", "topics/llm-serving/"]:
        page.goto(sample_server.url + url)
        page.wait_for_load_state("networkidle")
    sitemaps = [u for u, _ in fetched if u.endswith("sitemap.xml")]
    assert sitemaps and all(u.endswith("/feeds/sitemap.xml") for u in sitemaps)
    assert all(status < 400 for _, status in fetched), fetched
    assert page.errors == []


def test_light_or_dark_follows_the_readers_system_and_its_changes(page, sample_server):
    # No toggle and no palette form on the page: one small script picks the
    # palette whose media query matches, before the page is drawn.
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    page.emulate_media(color_scheme="dark")
    page.goto(sample_server.url + "papers/2606/2606.04101/")
    assert page.evaluate(scheme) == "slate"
    assert page.locator('[data-md-component="palette"], input[name="__palette"]').count() == 0
    page.emulate_media(color_scheme="light")
    page.wait_for_function(f"{scheme} === 'default'")
    page.goto(sample_server.url)
    assert page.evaluate(scheme) == "default"
    assert page.errors == []


def test_the_search_icons_are_drawn_from_the_stylesheet(page, sample_server):
    page.goto(sample_server.url + "papers/2606/2606.04101/")
    icon = page.locator(".paper-search .md-search__icon[for=__search] .paper-search__icon--magnify")
    box = icon.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10  # sized by Material's own rules
    mask = icon.evaluate("svg => getComputedStyle(svg).maskImage || getComputedStyle(svg).webkitMaskImage")
    assert mask.startswith('url("data:image/svg+xml')
    assert page.locator(".paper-search svg path").count() == 0  # no inline copy of the icons
    assert page.errors == []


def test_a_listings_authors_are_links_to_their_papers(page, sample_server):
    # Sent as text (a listing repeats each entry in every topic); assets/search.js links them.
    html = (sample_server.url + "months/2606/")
    page.goto(html)
    assert page.locator(".paper-item__authors > span").count() == 0
    link = page.locator(".paper-item__authors a").first
    name = link.inner_text()
    assert link.get_attribute("href").endswith("/search/?author=" + name.replace(" ", "+"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?author=*")
    page.locator("#archive-search-results .paper-item").first.wait_for()
    assert all(name in authors for authors in page.locator("#archive-search-results .paper-item__authors").all_inner_texts())
    assert page.errors == []

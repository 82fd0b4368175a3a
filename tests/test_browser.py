"""What a reader sees in a real browser (headless Chromium)."""


def test_paper_page_renders_math_with_no_console_error(page, sample_server):
    page.goto(sample_server.url + "papers/2606/2606.04101/")
    assert page.locator("h1").inner_text().startswith("UltraEP")
    math = page.locator(".paper__abstract math").first
    box = math.bounding_box()
    assert box and box["width"] > 0  # MathML laid out, not hidden source
    assert page.errors == []

"""Sphinx's search, run in real Chromium, finds the memo, the notes and the index entries."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("query", "page_title_part"),
    [
        ("partstazh", "The Nucleus in America"),  # a word of the editor's note
        ("couriers", "The Nucleus in America"),  # a word of the memo
        ("konspiratsiia", "Indices"),  # a word of an index entry
    ],
)
def test_search_returns_the_page(page: Page, site_url: str, query: str, page_title_part: str):
    page.goto(f"{site_url}/search.html?q={query}")
    results = page.locator("#search-results ul.search li a")
    # Sphinx shows the results one by one, 5 ms apart, then says it has finished
    expect(page.locator("#search-results .search-summary")).to_contain_text(
        "Search finished", timeout=15_000
    )
    texts = results.all_inner_texts()
    assert any(page_title_part in t for t in texts), texts
    if query != "konspiratsiia":
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any("edition/memo.html" in (h or "") for h in hrefs), hrefs

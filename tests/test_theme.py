"""The edition's theme and what each page loads, read from the built HTML.

The reading page's budget: at most 30 kB gzip for the page and every
stylesheet and script it loads; no page loads a stylesheet or script it does
not use (sphinx-design's only where a component is, Pygments' only where
there is code it colours, Sphinx's search scripts only on the search page).
Every page has one viewport declaration and a favicon, and numbers a paragraph
the same way as the reading page's margin.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from lxml import html

READING = "edition/memo.html"
BUDGET_GZIP = 30_000


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def loaded(page: Path) -> list[Path]:
    """The stylesheets and scripts a page loads (local files)."""
    doc = html.parse(str(page)).getroot()
    found = []
    for el in doc.iter("link", "script"):
        ref = el.get("href") if el.tag == "link" and el.get("rel") == "stylesheet" else None
        ref = ref or (el.get("src") if el.tag == "script" else None)
        if ref and "://" not in ref:
            found.append((page.parent / ref.split("?", 1)[0]).resolve())
    return found


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


@pytest.mark.slow
def test_the_reading_page_weighs_at_most_30_kb_gzip(site):
    page = site / READING
    files = [page, *loaded(page)]
    total = sum(gz(f) for f in files)
    listing = ", ".join(f"{f.name} {gz(f)}" for f in files)
    assert total <= BUDGET_GZIP, f"{total} bytes gzip: {listing}"
    names = {f.name for f in files}
    # the stylesheet is inline on this page (one request fewer before the text paints),
    # and so are the rules of sphinx-design's that its cite boxes use
    assert "edition.css" not in names and "sphinx-design.min.css" not in names, names
    assert not names & {"doctools.js", "sphinx_highlight.js", "documentation_options.js"}
    # nothing render-blocking beyond the page itself: the cite boxes hold one style, so
    # there are no tabs (design-tabs.js, a script in the head) and no highlighted
    # BibTeX (pygments.css); edition.js is deferred
    assert names == {"memo.html", "edition.js"}, names
    doc = html.parse(str(page)).getroot()
    [script] = [s for s in doc.iter("script") if s.get("src")]
    assert script.get("defer") is not None
    css = (site / "_static" / "edition.css").read_text(encoding="utf-8")
    assert css.strip()[:200] in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_no_page_draws_an_svg_before_its_text(site):
    """sphinx-design's dropdown chevrons are CSS characters, not inline SVG.

    The first SVG a page draws cost about 40 ms of first contentful paint in
    Chromium, for an arrow; the reading page has a dropdown under every heading.
    """
    # the reading page's nine cite boxes; the downloads page's edition box and nine more
    for name, boxes in ((READING, 9), ("downloads.html", 10)):
        text = (site / name).read_text(encoding="utf-8")
        assert "<svg" not in text, name
        assert text.count('text-chevron"></span>') == boxes, name


@pytest.mark.slow
def test_no_page_loads_what_it_does_not_use(site):
    problems = []
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        body = text[text.find("<body") :]
        names = {f.name for f in loaded(page)}
        for f in loaded(page):
            if not f.is_file():
                problems.append(f"{page.name}: loads a missing {f.name}")
        if "sphinx-design.min.css" in names and "sd-" not in body:
            problems.append(f"{page.name}: sphinx-design CSS without a component")
        if "design-tabs.js" in names and "sd-tab-set" not in body:
            problems.append(f"{page.name}: design-tabs.js without tabs")
        if "pygments.css" in names and not re.search(r'class="highlight-(?!text|none)', body):
            problems.append(f"{page.name}: pygments.css without coloured code")
        if page.name != "search.html" and names & {"doctools.js", "sphinx_highlight.js"}:
            problems.append(f"{page.name}: Sphinx's search scripts")
        if "edition.css" not in names and "<style>/* The edition's stylesheet" not in text:
            problems.append(f"{page.name}: without the edition's stylesheet")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_every_page_has_one_viewport_and_a_favicon(site):
    for page in pages(site):
        doc = html.parse(str(page)).getroot()
        viewports = doc.xpath("//meta[@name='viewport']")
        assert len(viewports) == 1, f"{page.name}: {len(viewports)} viewport meta tags"
        icons = doc.xpath("//link[@rel='icon']/@href")
        assert icons and (page.parent / icons[0]).is_file(), f"{page.name}: no favicon"


@pytest.mark.slow
def test_paragraphs_are_numbered_as_on_the_reading_page_everywhere(site):
    reading = html.parse(str(site / READING)).getroot()
    numbers = {
        a.get("href")[1:]: a.text_content().strip()
        for a in reading.xpath("//a[contains(concat(' ', @class, ' '), ' parnum ')]")
    }
    assert numbers and "P.1" not in numbers.values(), numbers
    checked = 0
    # the locators the renderer writes (index occurrences, apparatus); the
    # edition's notes cite paragraphs in their own prose, from the TEI
    for name in ("edition/indices.html", "edition/apparatus.html"):
        doc = html.parse(str(site / name)).getroot()
        for a in doc.iter("a"):
            href = a.get("href") or ""
            if not href.startswith("memo.html#"):
                continue
            target = href.split("#", 1)[1]
            if target in numbers:
                label = a.text_content().strip()
                assert numbers[target] in label, f"{name}: {label!r} for {numbers[target]}"
                assert "¶" not in label, f"{name}: {label!r}"
                checked += 1
    assert checked > 10, f"only {checked} paragraph links checked"

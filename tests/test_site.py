"""The built site: every anchor, every word, every cross-link, from a real Sphinx build."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag

import pytest
from conftest import FIXTURES, TEI_FILE, build_edition
from lxml import etree, html
from words import first_difference, page_words, tei_parts, words

from edition import tei

pytestmark = pytest.mark.slow


def ids_on(page: Path) -> set[str]:
    """Every element id on a built page."""
    return {el.get("id") for el in html.parse(str(page)).getroot().iter() if el.get("id")}


def links_on(page: Path) -> list[str]:
    """Every href of an <a> on a built page."""
    return [a.get("href") for a in html.parse(str(page)).getroot().iter("a") if a.get("href")]


def resolves(site: Path, page: Path, href: str) -> bool:
    """Whether a relative link from ``page`` reaches an existing file and element id."""
    target, fragment = urldefrag(href)
    path = (page.parent / target).resolve() if target else page
    if not path.is_file():
        return False
    return not fragment or fragment in ids_on(path)


def test_landing_and_reading_pages_exist(site):
    assert (site / "index.html").is_file()
    assert (site / "edition" / "memo.html").is_file()
    landing = html.parse(str(site / "index.html")).getroot().text_content()
    assert "f. 515, op. 1, d. 164" in landing
    assert "The Nucleus in America" in landing


def test_every_section_paragraph_and_note_id_is_an_element_id(site):
    root = tei.parse(TEI_FILE).root
    text = root.find("tei:text", tei.NS)
    wanted = {
        el.get(tei.XML_ID)
        for el in text.iterdescendants()
        if isinstance(el.tag, str)
        and etree.QName(el).localname in {"div", "p", "note", "head", "app", "rdg"}
    }
    assert {"factory-nuclei", "factory-nuclei-p2", "note-title", "app-leading-organs"} <= wanted
    missing = wanted - ids_on(site / "edition" / "memo.html")
    assert not missing, sorted(missing)


def test_every_word_of_the_memo_is_on_the_reading_page_in_order(site):
    memo, _, colophon = tei_parts(TEI_FILE)
    on_page = page_words(site / "edition" / "memo.html")
    assert on_page == memo + colophon, first_difference(on_page, memo + colophon)


def test_every_word_of_the_editors_notes_is_on_the_reading_page(site):
    _, notes, _ = tei_parts(TEI_FILE)
    doc = html.parse(str(site / "edition" / "memo.html")).getroot()
    sidenotes = [
        words(el.text_content())
        for el in doc.iter()
        if "sidenote" in (el.get("class") or "").split()
    ]
    for note in notes:
        assert any(" ".join(note) in " ".join(s) for s in sidenotes), note


def test_internal_links_resolve(site):
    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue  # absolute links by design (sphinx-notfound-page): tests/test_publishing.py
        for href in links_on(page):
            if href.startswith(("http:", "https:", "mailto:")) or href.startswith("_static"):
                continue
            if not resolves(site, page, href):
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert not broken, broken


def test_every_index_entry_links_to_an_occurrence(site):
    page = site / "edition" / "indices.html"
    doc = html.parse(str(page)).getroot()
    entries = [el for el in doc.iter() if "index-entry" in (el.get("class") or "").split()]
    assert len(entries) >= 15
    for entry in entries:
        links = [a.get("href") for a in entry.iter("a") if "memo.html#" in (a.get("href") or "")]
        assert links, f"{entry.get('id')} has no occurrence"
        assert all(resolves(site, page, href) for href in links)


def test_variants_and_notes_link_both_ways(site):
    memo = site / "edition" / "memo.html"
    memo_links = links_on(memo)
    apparatus_links = links_on(site / "edition" / "apparatus.html")
    notes_links = links_on(site / "edition" / "notes.html")
    root = tei.parse(TEI_FILE).root
    for app in root.iterfind(".//tei:app", tei.NS):
        app_id = app.get(tei.XML_ID)
        assert f"memo.html#{app_id}" in apparatus_links, app_id  # apparatus -> text
        assert app_id in ids_on(site / "edition" / "apparatus.html")
    for note in root.iterfind(".//tei:text//tei:note", tei.NS):
        note_id = note.get(tei.XML_ID)
        assert any(h.startswith("memo.html#") and note_id in h for h in notes_links), note_id
        assert note_id in ids_on(memo)
    # the text links to the apparatus entries through each variant's reading popup source
    assert any(h.startswith("#note-") for h in memo_links)


def test_a_small_edition_of_its_own(tmp_path):
    """Nothing about the memo is hard-coded: a different TEI file lands on the right pages."""
    out = build_edition(FIXTURES / "tei" / "small-edition.xml", tmp_path)
    indices = html.parse(str(out / "edition" / "indices.html")).getroot()
    entry = indices.get_element_by_id("org-guild")
    assert "Guild of Tinkers" in entry.text_content()
    assert any("memo.html#kettles-p1" in (a.get("href") or "") for a in entry.iter("a"))
    apparatus = html.parse(str(out / "edition" / "apparatus.html")).getroot()
    (entry,) = apparatus.find_class("app-entry")
    assert entry.get_element_by_id("app-kettle-head") is not None
    assert "Samovars" in entry.text_content()
    reading = html.parse(str(out / "edition" / "memo.html")).getroot()
    assert reading.get_element_by_id("rdg-kettle-head").text_content().count("Samovars") == 1
    assert "Nucleus" not in reading.get_element_by_id("kettles").text_content()

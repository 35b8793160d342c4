"""Metadata in the built pages' <head>: Highwire Press, Dublin Core, JSON-LD, OpenGraph.

Reference managers read these tags, not the text: the reading page must
carry the edition's title, date, editor and URL in the forms Zotero reads,
and JSON-LD naming each section with its URL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TEI_FILE
from lxml import html

from edition import citation
from edition.pipeline import load_edition
from edition.sphinx_ext import metadata

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def edition():
    return load_edition(TEI_FILE)


def published_base(site: Path) -> str:
    """The base URL the site was built for, read from a page's canonical link.

    A test build may be made for another address (``EDITION_BASE_URL``) than
    the default one.
    """
    head = html.parse(str(site / "index.html")).getroot().find("head")
    [canonical] = [link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"]
    assert canonical.startswith(("http://", "https://")) and canonical.endswith("/index.html")
    return canonical.removesuffix("index.html")


def head_of(page: Path) -> html.HtmlElement:
    return html.parse(str(page)).getroot().find("head")


def metas(head: html.HtmlElement, name: str) -> list[str]:
    return [m.get("content") for m in head.iter("meta") if m.get("name") == name]


def og(head: html.HtmlElement, prop: str) -> str | None:
    return next((m.get("content") for m in head.iter("meta") if m.get("property") == prop), None)


def json_ld(head: html.HtmlElement) -> dict:
    [script] = [s for s in head.iter("script") if s.get("type") == "application/ld+json"]
    return json.loads(script.text)


def test_the_reading_page_carries_highwire_tags_as_zotero_reads_them(site, edition):
    head = head_of(site / "edition" / "memo.html")
    h = edition.header
    url = published_base(site) + "edition/memo.html"
    assert metas(head, "citation_title") == [h.title]
    assert metas(head, "citation_author") == [h.author]
    assert metas(head, "citation_editor") == ["Davenport, Tim"]
    assert metas(head, "citation_publication_date") == ["2026/11/25"]
    assert metas(head, "citation_publisher") == [h.publisher]
    assert metas(head, "citation_public_url") == [url]
    assert metas(head, "citation_language") == ["en"]


def test_the_reading_page_carries_dublin_core(site, edition):
    head = head_of(site / "edition" / "memo.html")
    links = {link.get("rel"): link.get("href") for link in head.iter("link")}
    assert links["schema.DC"] == "http://purl.org/dc/elements/1.1/"
    assert links["schema.DCTERMS"] == "http://purl.org/dc/terms/"
    assert metas(head, "DC.title") == [edition.header.title]
    assert metas(head, "DC.date") == ["2026-11-25"]
    assert metas(head, "DCTERMS.created") == ["1923-07-11"]
    assert metas(head, "DC.contributor") == ["Davenport, Tim"]
    sources = " ".join(metas(head, "DC.source"))
    assert "f. 515, op. 1, d. 164, ll. 11-16" in sources and "RGASPI" in sources
    assert "1000 Flowers Publishing" in sources
    assert metas(head, "DCTERMS.license") == ["https://creativecommons.org/licenses/by/4.0/"]


def test_canonical_url_and_opengraph(site, edition):
    head = head_of(site / "edition" / "memo.html")
    url = published_base(site) + "edition/memo.html"
    [canonical] = [link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"]
    assert canonical == url
    assert og(head, "og:url") == url
    assert og(head, "og:type") == "book"
    assert og(head, "og:title").startswith("The Nucleus in America")
    description = og(head, "og:description")
    assert description.startswith(edition.header.title) and "†" not in description
    assert metas(head, "description") == [description]


def test_json_ld_names_the_edition_its_sources_and_each_section(site, edition):
    head = head_of(site / "edition" / "memo.html")
    data = json_ld(head)
    url = published_base(site) + "edition/memo.html"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Book" and data["@id"] == url
    assert data["name"] == edition.header.title
    assert data["editor"]["name"] == "Tim Davenport"
    assert data["publisher"]["name"] == edition.header.publisher
    assert data["datePublished"] == "2026-11-25" and data["version"] == "1.0"
    printed, archival = data["isBasedOn"]
    assert printed["publisher"]["name"] == "1000 Flowers Publishing"
    assert printed["datePublished"] == "2005"
    assert archival["@type"] == "ArchiveComponent"
    assert archival["identifier"] == "f. 515, op. 1, d. 164, ll. 11-16"
    assert "RGASPI" in archival["holdingArchive"]["name"]
    sections = citation.sections(edition)
    parts = data["hasPart"]
    assert [p["@id"] for p in parts] == [f"{url}#{d.id}" for d in sections]
    assert parts[1]["name"] == "§ 1. The Formation of Nuclei in the Factories"
    assert parts[0]["name"] == "Opening paragraph"
    ids = {el.get("id") for el in html.parse(str(site / "edition" / "memo.html")).getroot().iter()}
    assert {d.id for d in sections} <= ids
    for part, div in zip(parts, sections, strict=True):
        assert part["encoding"]["contentUrl"].endswith(f"/dts/document/nucleus/{div.id}.xml")


def test_every_html_page_has_the_edition_metadata(site, edition):
    pages = [p for p in site.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) >= 8
    for page in pages:
        head = head_of(page)
        assert metas(head, "citation_title") == [edition.header.title], page
        rel = page.relative_to(site).as_posix()
        assert metas(head, "citation_public_url") == [published_base(site) + rel], page
        data = json_ld(head)
        if rel != "edition/memo.html":
            assert data["@type"] == "WebPage"
            assert data["isPartOf"]["@type"] == "Book" and "hasPart" not in data["isPartOf"]


def test_every_page_links_to_the_tei_file(site):
    """Needs the pipeline to write the downloads (the link is only made to an existing file)."""
    for page in [p for p in site.rglob("*.html") if "_static" not in p.parts]:
        head = head_of(page)
        [tei] = [link for link in head.iter("link") if link.get("type") == "application/tei+xml"]
        href = tei.get("href")
        if page.name != "404.html":  # absolute there
            assert (page.parent / href).resolve() == (site / "downloads" / "nucleus.xml").resolve()


def test_json_ld_cannot_break_out_of_its_script_element():
    script = metadata._script({"name": "</script><script>alert(1)</script>"})
    assert script.count("</script>") == 1
    assert json.loads(script.split("\n", 1)[1].rsplit("\n", 1)[0])["name"].startswith("</script>")


def test_meta_values_are_escaped():
    assert metadata._meta("x", 'a "b" <c> & d') == (
        '<meta name="x" content="a &quot;b&quot; &lt;c&gt; &amp; d" />'
    )


def section_cites(site: Path, edition) -> dict[str, html.HtmlElement]:
    """The citation box under each section's heading on the reading page, by section id."""
    doc = html.parse(str(site / "edition" / "memo.html")).getroot()
    out = {}
    for div in citation.sections(edition):
        element = doc.get_element_by_id(div.id)
        out[div.id] = next(
            el for el in element.iter() if "section-cite" in (el.get("class") or "").split()
        )
    return out


def test_each_section_of_the_reading_page_has_its_own_citation(site, edition):
    reading = published_base(site) + "edition/memo.html"
    for section_id, para in section_cites(site, edition).items():
        text = " ".join(para.text_content().split())
        assert text.startswith("Cite "), text
        for style in (
            "Chicago (note):",
            "Chicago (bibliography):",
            "MLA:",
            "APA:",
            "BibTeX:",
            "RIS:",
        ):
            assert style in text, (section_id, style)
        assert para.find(".//details/summary") is not None  # collapsed, opens without JavaScript
        assert f"{reading}#{section_id}" in text
        assert "f. 515, op. 1, d. 164, ll. 11-16" in text and "1000 Flowers Publishing" in text
        assert "ed" in para.get("class").split()  # apparatus, not witness text
    first = section_cites(site, edition)["factory-nuclei"].text_content()
    assert "§ 1, “The Formation of Nuclei in the Factories,”" in first


def test_each_section_links_to_its_tei_document(site, edition):
    """Needs the pipeline to write the DTS files (the link is only made to an existing file)."""
    for section_id, para in section_cites(site, edition).items():
        [link] = [a for a in para.iter("a") if "tei-source" in (a.get("class") or "").split()]
        assert link.get("href") == f"../dts/document/nucleus/{section_id}.xml"
        assert (site / "dts" / "document" / "nucleus" / f"{section_id}.xml").is_file()

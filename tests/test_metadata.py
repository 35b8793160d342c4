"""The built pages: the tags Zotero reads in every ``<head>``, and the cite boxes in the pages.

Reference managers read a page's ``<head>``, not its text: every page must
carry the same item (the edition), in the tags Zotero's Embedded Metadata
translator reads, and nothing that would make Zotero prefer another reading
(COinS) or credit the wrong person. The cite boxes must show one style at a
time with a control that works without JavaScript, each copy block naming
what it copies. The extension must read only the pipeline's data file.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
from conftest import TEI_FILE, TEST_BASE_URL
from lxml import html

from edition import reader, tei
from edition.sphinx_ext import metadata

pytestmark = pytest.mark.slow
# What pages cite: the version's own address under the test builds' site (EDITION_BASE_URL).
# The version and date the header gives; citations name the version's own address.
HEADER = reader.read(tei.load(TEI_FILE)).header
CITED_BASE = f"{TEST_BASE_URL}{HEADER.version}/"
CITE_TABS = ["Chicago note", "Chicago bibliography", "MLA", "APA", "BibTeX", "RIS"]


def published_base(site: Path) -> str:
    """The base URL the site was built for, read from a page's canonical link.

    A test build may be made for another address (``EDITION_BASE_URL``) than
    the default one.
    """
    head = html.parse(str(site / "index.html")).getroot().find("head")
    [canonical] = [link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"]
    assert canonical.startswith(("http://", "https://")) and canonical.endswith("/index.html")
    return canonical.removesuffix("index.html")


def page(site: Path, name: str) -> html.HtmlElement:
    return html.parse(str(site / name)).getroot()


def zotero_tags(root: html.HtmlElement) -> list[tuple[str, str]]:
    """The ``citation_*`` and ``z.*`` tags of a page, in order, and its description."""
    return [
        (m.get("name") or m.get("property"), m.get("content"))
        for m in root.find("head").iter("meta")
        if (m.get("name") or m.get("property") or "").startswith(
            ("citation_", "z.", "DC.", "dc.", "description", "og:description")
        )
    ]


def test_the_reading_page_carries_the_item_as_zotero_reads_it(site):
    tags = [t for t in zotero_tags(page(site, "edition/memo.html")) if "description" not in t[0]]
    reading = f"{CITED_BASE}edition/memo.html"
    assert tags == [
        (
            "citation_title",
            "The Nucleus in America: A Secret Memo on Party Organization from the Executive "
            "Committee of the Communist International to the Central Executive Committee of "
            "the WPA, July 11, 1923",
        ),
        ("citation_author", "Executive Committee of the Communist International,"),
        ("citation_publication_date", HEADER.date.replace("-", "/")),
        ("citation_publisher", "The Nucleus in America digital edition project"),
        ("citation_public_url", reading),
        ("citation_language", "en"),
        ("z.itemType", "book"),
        ("z.edition", f"digital edition, version {HEADER.version}"),
        ("z.archive", "Russian State Archive of Socio-Political History (RGASPI)"),
        (
            "z.archiveLocation",
            "f. 515, op. 1, d. 164: English translation, ll. 11-16; Russian original, ll. 28-32",
        ),
        ("z.extra", "Original Date: 1923-07-11"),
    ]


def test_every_page_gives_the_same_item(site):
    expected = zotero_tags(page(site, "edition/memo.html"))
    pages = [p for p in site.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) >= 10
    for path in pages:
        if path.name in {"404.html", "search.html", "genindex.html"}:
            continue
        assert zotero_tags(page(site, str(path.relative_to(site)))) == expected, path


def test_no_page_has_coins_json_ld_or_an_editor(site):
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "Z3988" not in text, path
        assert "application/ld+json" not in text, path
        assert 'name="citation_editor"' not in text, path
        # Davenport may be named in a page's description (its text), never as a creator.
        for meta in html.fromstring(text).find("head").iter("meta"):
            name = meta.get("name") or meta.get("property") or ""
            if "Davenport" in (meta.get("content") or ""):
                assert name in {"description", "og:description"}, (path, name)


def test_the_reading_page_links_its_tei_and_describes_itself(site):
    head = page(site, "edition/memo.html").find("head")
    [alt] = [link for link in head.iter("link") if link.get("type") == "application/tei+xml"]
    assert alt.get("href") == "../downloads/nucleus.xml"
    assert (site / "downloads" / "nucleus.xml").is_file()
    [description] = [m.get("content") for m in head.iter("meta") if m.get("name") == "description"]
    assert description.endswith(f"A digital edition, version {HEADER.version}.")


def cite_boxes(root: html.HtmlElement) -> list[html.HtmlElement]:
    return root.find_class("section-cite")


def test_each_section_has_a_cite_box_with_its_chicago_note_and_the_rest_a_link_away(site):
    """The reading page shows one style (the Chicago note, as Founders Online does).

    Every other style and format is one click away: the box links the
    section's full box on the downloads page, where all six are, one at a time.
    """
    root = page(site, "edition/memo.html")
    data = json.loads((site.parent / "source" / "edition" / "_site.json").read_text("utf-8"))
    ids = [s["id"] for s in data["sections"]]
    boxes = cite_boxes(root)
    assert len(boxes) == len(ids) == 9
    downloads = page(site, "downloads.html")
    for sid, box in zip(ids, boxes, strict=True):
        section = root.get_element_by_id(sid)
        # Under a section's heading; after a section without one (the opening paragraph).
        placed = box in section.iter() or section.getnext() is box
        assert placed, f"the cite box of {sid} is neither in its section nor after it"
        assert box.tag == "details" and box.get("open") is None
        assert not box.xpath(".//input") and not box.xpath(".//pre")
        copies = box.xpath(".//*[@data-copy-label]")
        assert len(copies) == 1
        label = next(s["label"] for s in data["sections"] if s["id"] == sid)
        if label:
            assert copies[0].get("data-copy-label") == f"Copy Chicago note for {label}"
        [more] = box.find_class("cite-more")
        assert more.get("href") == f"../downloads.html#cite-{sid}"
        assert " ".join(more.text_content().split()) == (
            "Other styles (Chicago bibliography, MLA, APA, BibTeX, RIS)"
        )
        # where it lands: that section's full box, open, every style one at a time
        full = downloads.get_element_by_id(f"cite-{sid}")
        [details] = full.xpath(".//details")
        assert details.get("open") is not None
        tabs = [label.text_content().strip() for label in details.xpath(".//label")]
        assert tabs == CITE_TABS and len(details.xpath(".//input[@type='radio']")) == 6
        # HTML forbids aria-controls on a label bound to an input (sphinx-design sets it)
        assert not details.xpath(".//label[@aria-controls]")
        radios = details.xpath(".//input[@type='radio']")
        assert [r.get("checked") is not None for r in radios] == [True] + [False] * 5
        full_note = details.xpath(".//*[@data-copy-label]")[0]
        assert " ".join(full_note.text_content().split()) == " ".join(
            copies[0].text_content().split()
        )
        for files in (box, details):
            found = {a.text_content(): a.get("href") for a in files.find_class("cite-file")}
            prefix = "../" if files is box else ""
            assert found["RIS"] == f"{prefix}downloads/sections/{sid}.ris"
            assert found["TEI"] == f"{prefix}dts/document/nucleus/{sid}.xml"
        assert (site / "downloads" / "sections" / f"{sid}.ris").is_file()
        assert (site / "downloads" / "sections" / f"{sid}.bib").is_file()


def test_the_section_cite_box_shows_the_sections_citation(site):
    box = (
        page(site, "edition/memo.html")
        .get_element_by_id("factory-nuclei")
        .find_class("section-cite")[0]
    )
    first = box.xpath(".//*[@data-copy-label]")[0]
    text = " ".join(first.text_content().split())
    assert text.startswith(
        "Executive Committee of the Communist International, “The Formation of Nuclei in the "
        "Factories,” in The Nucleus in America"
    )
    assert f"{CITED_BASE}edition/memo.html#factory-nuclei" in text
    assert first.xpath(".//em")[0].text_content().startswith("The Nucleus in America")


def test_the_downloads_page_offers_the_same_cite_box_open(site):
    root = page(site, "downloads.html")
    box = cite_boxes(root)[0]  # then every section's, each open
    assert len(cite_boxes(root)) == 10
    assert box.get("open") is not None
    copies = [c.get("data-copy-label") for c in box.xpath(".//*[@data-copy-label]")]
    assert copies[0] == "Copy Chicago note for the edition" and len(copies) == 6
    files = [a.text_content() for a in box.find_class("cite-file")]
    assert files == ["RIS", "BibTeX", "CSL-JSON", "TEI"]
    listed = [a.get("href") for a in root.find_class("edition-downloads")[0].iter("a")]
    assert listed[:2] == ["downloads/nucleus.xml", "downloads/edition.rng"]
    assert "dts/index.jsonld" in listed
    for href in listed:
        assert (site / href).is_file(), href


def test_the_extension_imports_nothing_that_reads_tei():
    tree = ast.parse(Path(metadata.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {m for m in imported if m and (m.startswith("edition") or m.startswith("lxml"))}


def test_published_base_reads_the_canonical_link(site):
    assert published_base(site) == CITED_BASE


def build_in_process(tmp_path: Path, page: str) -> tuple[str, str]:
    """One page built with the extension in-process (sphinx.testing): its HTML and the warnings.

    The site data is what the pipeline's functions write for the memo.
    """
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    from edition import citations, publish, site_data

    doc = tei.load(TEI_FILE)
    edition = reader.read(doc)
    cites = citations.build(doc, edition, TEST_BASE_URL)
    files = sorted(publish.extra_files(doc, edition, TEST_BASE_URL, cites=cites))
    (tmp_path / "edition").mkdir()
    (tmp_path / site_data.SITE_DATA).write_text(
        site_data.dumps(site_data.build(cites, files, "nucleus")), encoding="utf-8"
    )
    (tmp_path / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_design", "edition.sphinx_ext.metadata"]\n'
        'myst_enable_extensions = ["colon_fence"]\n',
        encoding="utf-8",
    )
    (tmp_path / "index.md").write_text(page, encoding="utf-8")
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=tmp_path, status=StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    built = (tmp_path / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    return built, warnings.getvalue()


def test_an_unknown_section_is_a_warning_at_its_line(tmp_path):
    built, warnings = build_in_process(
        tmp_path,
        "# Test\n\n```{edition-cite-box} no-such-section\n```\n\n"
        "```{edition-cite-box} factory-nuclei\n```\n\n"
        "```{edition-citation}\n:style: apa\n```\n\n"
        "```{edition-citation}\n:style: ris\n:section: press\n```\n",
    )
    messages = [line for line in warnings.splitlines() if line.strip()]
    assert len(messages) == 1, messages
    assert "index.md:3:" in messages[0]
    assert "no section with the id 'no-such-section'" in messages[0]
    assert built.count('class="sd-tab-set') == 1 and "Copy Chicago note for § 1" in built
    assert "(Original work published 2005, 1000 Flowers Publishing)" in built  # APA, the edition
    assert "TI  - The Press" in built and "T2  - The Nucleus in America" in built  # RIS, § 6


def test_filled_boxes_followed_by_a_box_built_as_nodes_keep_every_tab_id_unique(tmp_path):
    """The boxes after the template are numbered after the page's last tab: no id twice."""
    built, warnings = build_in_process(
        tmp_path,
        "# Test\n\n```{edition-cite-box}\n:sections:\n```\n\n```{edition-cite-box} press\n```\n",
    )
    assert not warnings.strip(), warnings
    root = html.fromstring(built)
    inputs = root.xpath("//input[@type='radio']")
    ids = [i.get("id") for i in inputs]
    assert len(ids) == 6 * 10 and len(set(ids)) == len(ids)  # nine sections' boxes, then § 6
    sets = {i.get("name") for i in inputs}
    assert len(sets) == 10
    for label in root.xpath("//label[@for]"):  # each tab's label names its own input
        assert label.get("for") in ids
    contents = [d.get("id") for d in root.find_class("sd-tab-content")]
    assert sorted(contents) == sorted(f"{i}-content" for i in ids)


def test_boxes_filled_in_are_the_bytes_of_boxes_built_as_nodes(site, tmp_path):
    """Every page, built again with ``edition_fill_boxes`` off, is byte for byte the same.

    The memo's downloads page fills its section boxes after the first into one
    rendered box (eight of them): this is what says that the filled boxes are
    what sphinx-design and the translator make of the same MyST.
    """
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / "html"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_site.py"),
            "--source",
            str(site.parent / "source"),
            "--out",
            str(out),
            "-q",
            "-D",
            "edition_fill_boxes=0",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "EDITION_BASE_URL": TEST_BASE_URL},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert pages == sorted(p.relative_to(out) for p in out.rglob("*.html"))
    for rel in pages:
        assert (site / rel).read_bytes() == (out / rel).read_bytes(), rel
    filled = page(site, "downloads.html")
    assert len(filled.find_class("cite-all")) == 9  # the preamble and eight sections
    ids = [i.get("id") for i in filled.xpath("//input[@type='radio']")]
    assert len(ids) == len(set(ids)) == 6 * 10  # and the edition's own box


def test_a_full_box_is_read_as_its_words_and_a_shape(site):
    data = json.loads((site.parent / "source" / metadata.SITE_DATA).read_text(encoding="utf-8"))
    one, two = (metadata.box_slots(data["boxes"][key]) for key in ("press", "trade-unions"))
    assert one is not None and two is not None
    assert one.shape == two.shape and one.template != two.template  # its own file links
    assert one.title == ((False, "Cite § 6"),)
    assert one.labels[0] == "Copy Chicago note for § 6" and len(one.labels) == 6
    assert [em for em, _ in one.paras[0]] == [False, True, False]  # the book's title
    assert one.paras[0][1][1].startswith("The Nucleus in America: A Secret Memo")
    assert [lang for lang, _ in one.codes] == ["bibtex", "text"]
    assert one.files == (
        "downloads/sections/press.ris",
        "downloads/sections/press.bib",
        "dts/document/nucleus/press.xml",
    )
    assert metadata.TITLE in one.template and "Cite § 6" not in one.template


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("::::{tab-item} MLA", "::::{tab-item} *MLA*"),  # same lines
        lambda text: text.replace("\n:::\n::::\n", "\n\nMore.\n:::\n::::\n", 1),  # two blocks
        lambda text: text.replace("Files: ", "Files: {sup}`x` "),  # another role
        lambda text: text.replace("Cite § 6", "Cite [§ 6](x.md)"),  # a link in the title
    ],
)
def test_a_box_of_another_shape_is_not_filled_in(site, change):
    data = json.loads((site.parent / "source" / metadata.SITE_DATA).read_text(encoding="utf-8"))
    text = data["boxes"]["press"]
    changed = change(text)
    assert changed != text
    found = metadata.box_slots(changed)
    assert found is None or found.shape != metadata.box_slots(text).shape


def test_the_search_index_skips_the_cite_boxes(site):
    """A search finds the text and the notes, not the same citation in every box."""
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    assert '"origpublish"' not in index  # a BibTeX field: in the boxes only
    assert '"courier"' in index and '"rgaspi"' in index  # the memo's words, the witnesses page
    for name in ("edition/memo.html", "downloads.html"):
        root = page(site, name)
        boxes = root.find_class("section-cite")
        assert boxes and all("no-search" in box.get("class", "").split() for box in boxes)

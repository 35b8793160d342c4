"""A long text is read in parts (edition.parts); the memo stays one page.

The long text is the memo's body three times over (``bench.synthetic``):
27 top-level divisions, read in three parts of at most ten. Every link, every
citation and every DTS answer must find a unit on the part that shows it.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from conftest import TEI_FILE

from bench.synthetic import multiply
from edition import citations, parts, publish, reader, render, tei
from edition import model as m
from edition.citations import styles, template
from edition.citations.model import item
from edition.render.context import GENERATED_DIR

BASE = "https://example.org/nucleus/"
ANCHOR = re.compile(r"(?:\{#|\bid=\"|^:name: )([A-Za-z][\w.-]*)", re.M)
LINK = re.compile(r"\]\((memo[\w.-]*)\.md#([\w.-]+)\)")


@pytest.fixture(scope="module")
def long_tei(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("parts") / "long.xml"
    path.write_bytes(multiply(TEI_FILE, 3))
    return path


@pytest.fixture(scope="module")
def long_doc(long_tei: Path) -> tei.Document:
    return tei.load(long_tei)


@pytest.fixture(scope="module")
def long_edition(long_doc: tei.Document) -> m.Edition:
    return reader.read(long_doc)


@pytest.fixture(scope="module")
def pages(long_edition: m.Edition) -> dict[str, str]:
    return render.render_pages(long_edition)


def test_the_memo_is_one_reading_page():
    edition = reader.read(tei.load(TEI_FILE))
    (only,) = parts.parts(edition)
    assert only.name == parts.READING and only.items == edition.body
    assert set(parts.page_of(edition).values()) == {parts.READING}


def test_a_long_text_is_read_in_parts_of_at_most_ten_divisions(long_edition):
    found = parts.parts(long_edition)
    assert [len(p.divisions) for p in found] == [10, 10, 7]
    assert found[0].name == "memo"
    # a later part is named by its first division's id, never by its place
    assert [p.name for p in found[1:]] == [f"memo-{p.divisions[0].id}" for p in found[1:]]
    assert tuple(b for p in found for b in p.items) == long_edition.body
    assert all(isinstance(p.items[0], m.Division | m.Milestone) for p in found[1:])


def test_a_page_break_before_a_part_s_first_division_begins_that_part(long_edition):
    import dataclasses

    body = list(long_edition.body)
    eleventh = [i for i, b in enumerate(body) if isinstance(b, m.Division)][10]
    pb = m.Milestone("pb", "7", "#print")
    body.insert(eleventh, pb)
    edition = dataclasses.replace(long_edition, body=tuple(body))
    first, second, *_ = parts.parts(edition)
    assert second.items[0] is pb and pb not in first.items
    assert second.name == f"memo-{body[eleventh + 1].id}"


def test_each_anchor_is_on_one_page_and_every_link_finds_it(long_edition, pages):
    names = [p.name for p in parts.parts(long_edition)]
    # every part has the witness switch, whose inputs (view-en...) are the page's own
    anchors = {
        name: {a for a in ANCHOR.findall(pages[f"{GENERATED_DIR}/{name}.md"])}
        - {"view-en", "view-ru", "view-print"}
        for name in names
    }
    for a, b in itertools.pairwise(names):
        assert not anchors[a] & anchors[b]
    linked = 0
    for path, text in pages.items():
        here = path.removeprefix(f"{GENERATED_DIR}/").removesuffix(".md")
        for page, target in LINK.findall(text):
            assert page != here and target in anchors[page], (path, page, target)
            linked += 1
        if here in anchors:  # a part links to its own anchors by fragment alone
            for target in re.findall(r"\]\(#([\w.-]+)\)", text):
                assert target in anchors[here], (path, target)
    assert linked > 100


def test_a_later_part_has_the_title_the_signs_and_the_way_between_parts(long_edition, pages):
    second = parts.parts(long_edition)[1]
    text = pages[f"{GENERATED_DIR}/{second.name}.md"]
    # the browser's title names the part; the heading's anchor is the part's own
    assert text.startswith("```{title} The Nucleus in America")
    assert "July 11, 1923. § 9 to § 17\n```" in text
    assert f"{{#{second.name}-title .part-title}}\n# The Nucleus in America" in text
    assert "Title given by the print editor" in text
    assert 'name="witness-view"' in text and "Signs used in this edition" in text
    assert "About this view" in text  # the other views' banners, as on the first part
    assert "[This page: &#167; 9 to &#167; 17.]{.part-here}" in text
    assert "[Previous page: " in text and "](memo.md)" in text and "[Next page: " in text
    first = pages[f"{GENERATED_DIR}/memo.md"]
    assert f":hidden:\n\n{second.name}\n" in first  # the parts hang below the first
    # the first part says at its top that the text goes on
    assert first.index("[Next page: ") < first.index(":name: preamble\n")


def test_a_section_on_a_later_part_is_cited_at_that_part(long_doc, long_edition):
    cites = citations.build(long_doc, long_edition, BASE)
    last = parts.parts(long_edition)[2]
    section = cites.section(last.divisions[1].id)
    assert section.page == last.name
    expected = f"{BASE}edition/{last.name}.html#{section.id}"
    assert cites.item(section.id)["URL"] == expected
    assert (
        cites.item(cites.sections[0].id)["URL"] == f"{BASE}edition/memo.html#{cites.sections[0].id}"
    )
    assert expected in cites.ris(section.id) and expected in cites.bibtex(section.id)
    for key in citations.STYLE_FILES:
        # the template's page slot fills in the part, as citeproc-py prints it directly
        direct = styles.render_style(
            cites.description, item(cites.description, cites.url, section), key
        )
        assert cites.style(key, section.id) == direct, key
        assert (
            template.Renderer(cites.description, cites.url).template(key, "§ 80264019370").page
            == "memo"
        )


def test_dts_units_are_addressed_on_their_part(long_doc, long_edition):
    files = publish.extra_files(long_doc, long_edition, base=BASE)
    second = parts.parts(long_edition)[1]
    para = next(b for b in second.divisions[0].blocks if isinstance(b, m.Paragraph))
    answer = files[f"dts/navigation/nucleus/{para.id}.jsonld"].decode("utf-8")
    assert f'"@id":"{BASE}edition/{second.name}.html#{para.id}"' in answer


@pytest.mark.slow
def test_a_long_text_builds_in_parts_and_an_edit_re_reads_only_its_part(long_tei, tmp_path):
    from test_build_make import SPHINX, later, make_html

    tei_copy = tmp_path / "long.xml"
    tei_copy.write_bytes(long_tei.read_bytes())
    builddir = tmp_path / "build"
    make_html(tei_copy, builddir)  # with -W: a part outside the contents would fail it
    edition = reader.read(tei.load(tei_copy))
    found = parts.parts(edition)
    html = builddir / "html" / "edition"
    for part in found:
        page = (html / f"{part.name}.html").read_text(encoding="utf-8")
        assert 'class="part-links' in page and "reading-frame" in page, part.name
        for div in part.divisions:  # the page's contents list its own divisions
            assert f'href="#{div.id}"' in page, (part.name, div.id)
    second = found[1]
    para = next(b for b in second.divisions[3].blocks if isinstance(b, m.Paragraph))
    start = f'<p xml:id="{para.id}"'
    text = tei_copy.read_text(encoding="utf-8")
    at = text.index(start)
    at = text.index(">", at) + 1
    tei_copy.write_text(text[:at] + "Edited " + text[at:], encoding="utf-8")
    later(tei_copy)
    result = make_html(tei_copy, builddir)
    counts = SPHINX.search(result.stdout)
    assert counts and counts.groups() == ("0", "1"), result.stdout
    assert re.search(
        rf"^reading sources\.\.\. \[100%\] edition/{second.name}$", result.stdout, re.M
    )
    assert "Edited " in (html / f"{second.name}.html").read_text(encoding="utf-8")

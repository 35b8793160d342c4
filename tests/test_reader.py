"""TEI to model: mixed content survives, notes and variants land in the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TEI_FILE

from edition import model as m
from edition import reader, tei
from edition.errors import EditionError


def read_variant(tmp_path: Path, old: str, new: str) -> m.Edition:
    """Read a copy of the master file with one string replaced (schema not applied)."""
    text = TEI_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "t.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return reader.read(tei.parse(path))


def find_paragraph(blocks: tuple, pid: str) -> m.Paragraph:
    """Find a paragraph by id anywhere in a block tree."""
    for block in blocks:
        if isinstance(block, m.Paragraph) and block.id == pid:
            return block
        if isinstance(block, m.Division):
            try:
                return find_paragraph(block.blocks, pid)
            except LookupError:
                continue
    raise LookupError(pid)


def plain(nodes: tuple) -> str:
    """Text of inline nodes including every tail."""
    out = []
    for node in nodes:
        if isinstance(node, m.Text):
            out.append(node.text)
        elif isinstance(node, m.Variant):
            out.append(plain(node.lemma.children))
        elif hasattr(node, "children"):
            out.append(plain(node.children))
    return "".join(out)


@pytest.fixture(scope="module")
def edition() -> m.Edition:
    return reader.read(tei.load(TEI_FILE))


def test_mixed_content_keeps_text_and_tails(tmp_path):
    ed = read_variant(
        tmp_path,
        '<p xml:id="factory-nuclei-p4" n="4">Such nuclei,',
        '<p xml:id="factory-nuclei-p4" n="4">a <emph>b <term ref="#term-nucleus">c</term> d</emph> e <emph>f</emph>g Such nuclei,',
    )
    para = find_paragraph(ed.body, "factory-nuclei-p4")
    assert plain(para.children).startswith("a b c d e fg Such nuclei,")
    emph = para.children[1]
    assert isinstance(emph, m.Styled) and emph.style == "emph"
    assert isinstance(emph.children[1], m.Name) and emph.children[1].ref == "term-nucleus"


def test_whitespace_is_normalised_but_not_lost(tmp_path):
    ed = read_variant(tmp_path, "Such nuclei, should", "Such\n   nuclei,\tshould")
    para = find_paragraph(ed.body, "factory-nuclei-p4")
    assert plain(para.children).startswith("Such nuclei, should the necessity")


def test_page_break_inside_a_paragraph_keeps_both_halves(edition):
    para = find_paragraph(edition.body, "press-p3")
    milestones = [n for n in para.children if isinstance(n, m.Milestone)]
    assert milestones == [m.Milestone("pb", "3", "wit-print")]
    assert plain(para.children) == (
        "For the distribution of literature, especially illegal literature, the system of "
        "couriers must be adopted. Couriers should be chosen from the oldest and best-tried comrades."
    )


def test_notes_are_collected_in_document_order(edition):
    assert [n.id for n in edition.notes] == [
        "note-title",
        "note-leading-organs-placement",
        "note-party-record",
        "note-prisoners-aid",
        "note-secret-organization",
    ]
    title_note = edition.note("note-title")
    assert title_note.n == "†" and title_note.resp == "pers-davenport"
    assert edition.note("note-party-record").resp == "digital-edition"


def test_heading_variant_has_lemma_and_russian_reading(edition):
    section = next(b for b in edition.body if isinstance(b, m.Division) and b.id == "prisoners-aid")
    variant = next(n for n in section.head.children if isinstance(n, m.Variant))
    assert plain(variant.lemma.children) == "International Prisoners Aid"
    (reading,) = variant.readings
    assert reading.witnesses == ("wit-ru",)
    assert reading.source == "note-prisoners-aid"
    assert plain(reading.children) == "Red Aid"


def test_deleted_section_is_a_division_variant(edition):
    app = next(b for b in edition.body if isinstance(b, m.DivisionVariant))
    assert app.id == "app-leading-organs"
    assert app.lemma.divisions == ()
    (div,) = app.readings[0].divisions
    assert div.id == "leading-organs"
    gap = next(b for b in div.blocks if isinstance(b, m.GapBlock)).gap
    assert "partstazh" in plain(gap.desc)


def test_unknown_element_stops_the_reader_naming_it_and_its_line(tmp_path):
    text = TEI_FILE.read_text(encoding="utf-8").replace(
        "Such nuclei, should", "Such <hi>nuclei</hi>, should", 1
    )
    path = tmp_path / "t.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        reader.read(tei.parse(path))
    (problem,) = caught.value.problems
    assert "no rule for <hi>" in problem.what
    assert problem.line == next(i for i, line in enumerate(text.splitlines(), 1) if "<hi>" in line)
    assert problem.fix


def test_text_loose_in_a_division_is_an_error(tmp_path):
    with pytest.raises(EditionError, match=r"outside any paragraph|directly in <div>"):
        read_variant(
            tmp_path, '<p xml:id="press-p1" n="1">', 'stray words <p xml:id="press-p1" n="1">'
        )


def test_header_and_entries(edition):
    h = edition.header
    assert h.creation_date == "1923-07-11"
    assert [w.siglum for w in h.witnesses] == ["E", "R", "P"]
    assert [c.unit for c in h.cite_structure] == ["section", "paragraph"]
    kinds = {e.kind for e in edition.entries}
    assert kinds == {"org", "person", "place", "term"}
    assert all(e.sources for e in edition.entries)

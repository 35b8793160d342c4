"""The memo's own encoding, read into the model: its breaks, notes, variants and header.

These tests speak of the memo's text on purpose (fidelity); code tests use
small editions of their own (``tests/cases/``).
"""

from __future__ import annotations

import pytest
from conftest import TEI_FILE
from test_reader import find_paragraph, plain

from edition import model as m
from edition import reader, tei


@pytest.fixture(scope="module")
def edition() -> m.Edition:
    return reader.read(tei.load(TEI_FILE))


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


def test_header_and_entries(edition):
    h = edition.header
    assert h.creation_date == "1923-07-11"
    assert [w.siglum for w in h.witnesses] == ["E", "R", "P"]
    assert [c.unit for c in h.cite_structure] == ["section", "paragraph"]
    kinds = {e.kind for e in edition.entries}
    assert kinds == {"org", "person", "place", "term"}
    assert all(e.sources for e in edition.entries)

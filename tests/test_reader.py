"""TEI to model on small editions of its own: mixed content survives, errors are located.

The memo's own encoding is tested in ``test_memo.py``; each phenomenon's model is
also held as a snapshot in ``tests/cases/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import case_file

from edition import model as m
from edition import reader, tei
from edition.errors import EditionError
from edition.render import plain


def read_case(tmp_path: Path, body: str) -> m.Edition:
    """Read a small edition with ``body`` as its body (schema not applied)."""
    return reader.read(tei.parse(case_file(body, tmp_path / "t.xml")))


SECTION = '<div type="section" xml:id="s" n="1"><head xml:id="s-head">H.</head>{}</div>'


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


def test_mixed_content_keeps_text_and_tails(tmp_path):
    body = (
        '<p xml:id="p" n="1">a <emph>b <term ref="#term-a">c</term> d</emph> e <emph>f</emph>g</p>'
    )
    para = find_paragraph(read_case(tmp_path, SECTION.format(body)).body, "p")
    assert plain(para.children) == "a b c d e fg"
    emph = para.children[1]
    assert isinstance(emph, m.Styled) and emph.style == "emph"
    assert isinstance(emph.children[1], m.Name) and emph.children[1].ref == "term-a"


def test_whitespace_is_normalised_but_not_lost(tmp_path):
    body = '<p xml:id="p" n="1">Such\n   nuclei,\tshould\u00a0be</p>'
    para = find_paragraph(read_case(tmp_path, SECTION.format(body)).body, "p")
    assert plain(para.children) == "Such nuclei, should\u00a0be"


def test_unknown_element_stops_the_reader_naming_it_and_its_line(tmp_path):
    path = case_file(SECTION.format('<p xml:id="p">Such <hi>nuclei</hi>.</p>'), tmp_path / "t.xml")
    text = path.read_text(encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        reader.read(tei.parse(path))
    (problem,) = caught.value.problems
    assert "no rule for <hi>" in problem.what
    assert problem.line == next(i for i, line in enumerate(text.splitlines(), 1) if "<hi>" in line)
    assert problem.fix


def test_text_loose_in_a_division_is_an_error(tmp_path):
    with pytest.raises(EditionError, match=r"outside any paragraph|directly in <div>"):
        read_case(tmp_path, SECTION.format('stray words <p xml:id="p">A.</p>'))

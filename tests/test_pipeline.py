"""Write only what changed; never half-write; stage hand-written pages for trial builds."""

from __future__ import annotations

import pytest
from conftest import ROOT, TEI_FILE

from edition import pipeline
from edition.errors import EditionError


def snapshot(folder):
    """Every file below ``folder`` with its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_second_run_rewrites_nothing(tmp_path):
    first = pipeline.build(TEI_FILE, tmp_path)
    assert "edition/memo.md" in first.written
    before = snapshot(tmp_path)
    second = pipeline.build(TEI_FILE, tmp_path)
    assert second.written == [] and second.removed == []
    assert sorted(second.unchanged) == sorted(first.written)
    assert snapshot(tmp_path) == before


def test_changed_page_alone_is_rewritten(tmp_path):
    pipeline.build(TEI_FILE, tmp_path)
    page = tmp_path / "edition" / "revisions.md"
    page.write_text("stale\n", encoding="utf-8")
    report = pipeline.build(TEI_FILE, tmp_path)
    assert report.written == ["edition/revisions.md"]


def test_stale_generated_page_is_removed(tmp_path):
    pipeline.build(TEI_FILE, tmp_path)
    stale = tmp_path / "edition" / "old-page.md"
    stale.write_text("x", encoding="utf-8")
    report = pipeline.build(TEI_FILE, tmp_path)
    assert report.removed == ["edition/old-page.md"]
    assert not stale.exists()


def test_bad_input_writes_nothing(tmp_path):
    pipeline.build(TEI_FILE, tmp_path / "src")
    before = snapshot(tmp_path / "src")
    bad = tmp_path / "bad.xml"
    bad.write_text(
        TEI_FILE.read_text(encoding="utf-8").replace("</body>", "</bdy>"), encoding="utf-8"
    )
    with pytest.raises(EditionError):
        pipeline.build(bad, tmp_path / "src")
    assert snapshot(tmp_path / "src") == before


def test_stage_from_copies_hand_written_pages(tmp_path):
    pipeline.build(TEI_FILE, tmp_path, stage_from=ROOT / "source")
    assert (tmp_path / "index.md").read_text(encoding="utf-8") == (
        ROOT / "source" / "index.md"
    ).read_text(encoding="utf-8")
    assert (tmp_path / "edition" / "memo.md").exists()

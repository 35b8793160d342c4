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


def test_stale_pages_in_subfolders_go_and_the_extra_files_stay(tmp_path):
    pipeline.build(TEI_FILE, tmp_path)
    generated = tmp_path / "edition"
    (generated / "old" / "deep").mkdir(parents=True)
    (generated / "old" / "deep" / "b.md").write_text("x", encoding="utf-8")
    (generated / "old" / "a.md").write_text("x", encoding="utf-8")
    (generated / "old-page.md").write_text("x", encoding="utf-8")
    # the extra folder, its digest record and a leftover of an interrupted first write
    extra = sorted(
        p.relative_to(tmp_path).as_posix()
        for p in (tmp_path / pipeline.EXTRA_DIR).rglob("*")
        if p.is_file()
    )
    (tmp_path / f"{pipeline.EXTRA_DIR}.new").mkdir()
    (tmp_path / f"{pipeline.EXTRA_DIR}.new" / "x.json").write_text("{}", encoding="utf-8")
    report = pipeline.build(TEI_FILE, tmp_path)
    # in pathlib's order (part by part): "old/a.md" before "old/deep/b.md" before "old-page.md"
    assert report.removed == ["edition/old/a.md", "edition/old/deep/b.md", "edition/old-page.md"]
    assert extra and all((tmp_path / rel).is_file() for rel in extra)
    assert (tmp_path / pipeline.DIGESTS).is_file()
    assert (tmp_path / f"{pipeline.EXTRA_DIR}.new" / "x.json").is_file()


def test_first_write_leaves_only_the_published_files(tmp_path):
    """Subfolders are filled under temporary names: every one ends under its own name."""
    report = pipeline.build(TEI_FILE, tmp_path)
    extra = tmp_path / pipeline.EXTRA_DIR
    on_disk = sorted(p.relative_to(tmp_path).as_posix() for p in extra.rglob("*") if p.is_file())
    assert on_disk == sorted(r for r in report.written if r.startswith(pipeline.EXTRA_DIR + "/"))
    assert {p.name for p in extra.iterdir() if p.is_dir()} == {"dts", "downloads"}
    assert not (tmp_path / f"{pipeline.EXTRA_DIR}.new").exists()


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


# ---------------------------------------------------------------- published files


def test_published_files_are_written_once_and_recorded(tmp_path):
    files = {"dts/index.jsonld": b"{}", "downloads/a.txt": b"a"}
    first = pipeline.write_extra(files, tmp_path)
    folder = tmp_path / pipeline.EXTRA_DIR
    assert first.written == [f"{pipeline.EXTRA_DIR}/{r}" for r in sorted(files)]
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == set(
        files
    )
    assert all(oct(p.stat().st_mode & 0o777) == "0o644" for p in folder.rglob("*") if p.is_file())
    before = snapshot(tmp_path)
    second = pipeline.write_extra(files, tmp_path)
    assert second.written == [] and len(second.unchanged) == 2
    assert snapshot(tmp_path) == before


def test_a_changed_published_file_gets_a_new_inode(tmp_path):
    """So a hard link to it in the published site keeps the old bytes until it is replaced."""
    pipeline.write_extra({"a.txt": b"a", "b.txt": b"b"}, tmp_path)
    folder = tmp_path / pipeline.EXTRA_DIR
    inodes = {name: (folder / name).stat().st_ino for name in ("a.txt", "b.txt")}
    report = pipeline.write_extra({"a.txt": b"A", "b.txt": b"b"}, tmp_path)
    assert report.written == [f"{pipeline.EXTRA_DIR}/a.txt"]
    assert (folder / "a.txt").stat().st_ino != inodes["a.txt"]
    assert (folder / "b.txt").stat().st_ino == inodes["b.txt"]


def test_files_no_longer_published_go_with_their_empty_folders(tmp_path):
    pipeline.write_extra({"dts/x/y.json": b"1", "a.txt": b"a"}, tmp_path)
    report = pipeline.write_extra({"a.txt": b"a"}, tmp_path)
    folder = tmp_path / pipeline.EXTRA_DIR
    assert report.removed == [f"{pipeline.EXTRA_DIR}/dts/x/y.json"]
    assert not (folder / "dts").exists()


def test_a_missing_or_damaged_file_is_written_again(tmp_path):
    files = {"a.txt": b"abc", "b.txt": b"b"}
    pipeline.write_extra(files, tmp_path)
    folder = tmp_path / pipeline.EXTRA_DIR
    (folder / "a.txt").unlink()
    (folder / "b.txt").write_bytes(b"bbbb")
    report = pipeline.write_extra(files, tmp_path)
    assert sorted(report.written) == [f"{pipeline.EXTRA_DIR}/{n}" for n in ("a.txt", "b.txt")]
    assert (folder / "a.txt").read_bytes() == b"abc" and (folder / "b.txt").read_bytes() == b"b"


def test_without_a_record_the_folder_is_replaced_whole(tmp_path):
    folder = tmp_path / pipeline.EXTRA_DIR
    folder.mkdir(parents=True)
    (folder / "stale.txt").write_text("from an older pipeline", encoding="utf-8")
    pipeline.write_extra({"a.txt": b"a"}, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]

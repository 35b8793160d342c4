"""Read, model, render, write: the only module that writes files.

Pages are rendered in memory first, so a bad TEI file stops the build before
anything is written. Then only pages whose bytes changed are rewritten (Sphinx
re-reads a page whenever its modification time changes), and pages no longer
generated are removed.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from edition import anchors, citations, publish, reader, render, site_data, tei
from edition.model import Edition
from edition.publish.paths import EXTRA_DIR, versioned_base_url


@dataclass
class Report:
    """What a run of the pipeline did to the generated folder."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def load_edition(tei_path: Path, schema_path: Path = tei.DEFAULT_SCHEMA) -> Edition:
    """Parse and check the TEI once, and build the model."""
    return reader.read(tei.load(tei_path, schema_path))


def _write_atomic(path: Path, text: str | bytes) -> None:
    """Write through a temporary file and rename, so no file is half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_extra(files: dict[str, bytes], source_dir: Path) -> Report:
    """Write the files published beside the pages (downloads, DTS) under ``EXTRA_DIR``.

    Only changed files are rewritten; files no longer published are removed.
    """
    report = Report()
    folder = source_dir / EXTRA_DIR
    for rel, data in sorted(files.items()):
        path = folder / rel
        if path.exists() and path.read_bytes() == data:
            report.unchanged.append(f"{EXTRA_DIR}/{rel}")
            continue
        _write_atomic(path, data)
        report.written.append(f"{EXTRA_DIR}/{rel}")
    if folder.exists():
        for path in sorted(folder.rglob("*"), reverse=True):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                report.removed.append(f"{EXTRA_DIR}/{rel}")
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return report


def write_pages(pages: dict[str, str], source_dir: Path, prune: bool = True) -> Report:
    """Write changed pages under ``source_dir``; remove stale generated pages."""
    report = Report()
    generated = source_dir / render.GENERATED_DIR
    for rel, text in sorted(pages.items()):
        path = source_dir / rel
        if path.exists() and path.read_text(encoding="utf-8") == text:
            report.unchanged.append(rel)
            continue
        _write_atomic(path, text)
        report.written.append(rel)
    if prune and generated.exists():
        for path in sorted(generated.rglob("*")):
            rel = path.relative_to(source_dir).as_posix()
            if path.is_file() and rel not in pages and not rel.startswith(EXTRA_DIR + "/"):
                path.unlink()
                report.removed.append(rel)
    return report


def stage_sources(from_dir: Path, to_dir: Path) -> dict[str, str]:
    """The hand-written pages of ``from_dir``, for a build from another TEI file.

    Everything but the generated folder is staged, so an editor's trial build
    (``make html TEI=... BUILDDIR=...``) never touches ``source/``.
    """
    staged = {}
    for path in sorted(from_dir.rglob("*")):
        rel = path.relative_to(from_dir)
        if path.is_file() and rel.parts[0] != render.GENERATED_DIR:
            staged[rel.as_posix()] = path.read_text(encoding="utf-8")
    return staged


def build(
    tei_path: Path,
    source_dir: Path,
    schema_path: Path = tei.DEFAULT_SCHEMA,
    stage_from: Path | None = None,
) -> Report:
    """Run the whole transform: TEI file in, MyST pages out."""
    doc = tei.load(tei_path, schema_path)
    edition = reader.read(doc)
    pages = render.render_pages(edition)
    # Citations, downloads and DTS files name the version's own address, never "latest".
    base = versioned_base_url(edition.header.version)
    cites = citations.build(doc, edition, base)
    extra = publish.extra_files(doc, edition, base=base, schema_path=schema_path, cites=cites)
    pages[site_data.SITE_DATA] = site_data.dumps(
        site_data.build(cites, sorted(extra), publish.identifier(doc))
    )
    # Ids, lines, word digests and published files, for scripts/check_anchors.py.
    snap = anchors.snapshot(doc, edition, extra, EXTRA_DIR, base)
    pages[anchors.DATA_FILE] = snap.dumps()
    report = write_pages(pages, source_dir)
    published = write_extra(extra, source_dir)
    report.written += published.written
    report.unchanged += published.unchanged
    report.removed += published.removed
    if stage_from is not None:
        staged = write_pages(stage_sources(stage_from, source_dir), source_dir, prune=False)
        report.written += staged.written
        report.unchanged += staged.unchanged
    return report

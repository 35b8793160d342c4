"""Snapshots of everything the pipeline generates from the memo: pages, DTS responses, downloads.

Each generated file is held under ``tests/snapshots/`` as it was last reviewed.
A change to the TEI or to the code that alters one fails here with the diff;
review it, then accept it with ``pytest tests/test_snapshots.py --force-regen``.
(The citations' exact texts are held by ``test_citation.py``.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TEI_FILE, TEST_BASE_URL

from edition import publish, reader, render, tei

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
# The published TEI copy and its schema are the master files themselves.
COPIES = {"downloads/nucleus.xml", "downloads/edition.rng"}


def generated() -> dict[str, bytes]:
    """Every page and published file the pipeline makes of the memo, by relative path."""
    doc = tei.load(TEI_FILE)
    edition = reader.read(doc)
    out = {f"pages/{k}": v.encode("utf-8") for k, v in render.render_pages(edition).items()}
    files = publish.extra_files(doc, edition, base=TEST_BASE_URL)
    out.update({f"site/{k}": v for k, v in files.items() if k not in COPIES})
    return out


FILES = generated()


@pytest.mark.parametrize("rel", sorted(FILES))
def test_generated_file_matches_its_snapshot(rel, file_regression):
    file_regression.check(FILES[rel], binary=True, fullpath=SNAPSHOTS / rel)


def test_no_snapshot_is_left_for_a_file_no_longer_made():
    held = {
        p.relative_to(SNAPSHOTS).as_posix()
        for part in ("pages", "site")
        for p in (SNAPSHOTS / part).rglob("*")
        if p.is_file()
    }
    assert held - set(FILES) == set(), "snapshots of files the pipeline no longer makes"

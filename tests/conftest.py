"""Shared fixtures: paths, the TEI Consortium schema (compiled once), CI strictness.

Tests that need material only a prepared machine has (``../shared/``, Debian's
chromium, Java) call :func:`require`, which skips with a visible reason on a
bare machine and fails under CI (``CI=true``), so that nothing is skipped there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("EDITION_SHARED", ROOT.parent / "shared"))
TEI_FILE = ROOT / "tei" / "nucleus.xml"
PROJECT_SCHEMA = ROOT / "tei" / "edition.rng"
TEI_ALL = SHARED / "tei" / "tei_all.rng"
TRANSCRIPTION = SHARED / "source" / "000_f807817c0a1e9b67.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip (or, under CI, fail) the calling test when ``condition`` is false."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI but missing: {reason}")
    pytest.skip(reason)


def require_path(path: Path, what: str) -> Path:
    """Return ``path`` if it exists, else skip/fail naming what is missing."""
    require(path.exists(), f"{what} not found at {path}")
    return path


def require_program(name: str) -> str:
    """Return the full path of an executable, else skip/fail."""
    found = shutil.which(name)
    require(found is not None, f"program {name!r} is not installed")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def tei_all_schema() -> etree.RelaxNG:
    """The TEI Consortium's tei_all schema, compiled once per run (about 10 s)."""
    require_path(TEI_ALL, "TEI P5 tei_all.rng (../shared/tei/)")
    return etree.RelaxNG(etree.parse(str(TEI_ALL)))


@pytest.fixture(scope="session")
def transcription() -> str:
    """The source transcription of the 2005 print edition."""
    return require_path(TRANSCRIPTION, "source transcription (../shared/source/)").read_text(
        encoding="utf-8"
    )

"""Shared fixtures: paths, the TEI Consortium schema (compiled once), CI strictness.

Tests that need material only a prepared machine has (``../shared/``, Debian's
chromium, Java) call :func:`require`, which skips with a visible reason on a
bare machine and fails under CI (``CI=true``), so that nothing is skipped there.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from bench.serve import http_server  # noqa: E402

SHARED = Path(os.environ.get("EDITION_SHARED", ROOT.parent / "shared"))
TEI_FILE = ROOT / "tei" / "nucleus.xml"
PROJECT_SCHEMA = ROOT / "tei" / "edition.rng"
TEI_ALL = SHARED / "tei" / "tei_all.rng"
TRANSCRIPTION = SHARED / "source" / "000_f807817c0a1e9b67.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# The address test builds are made for (EDITION_BASE_URL): the root of a host.
TEST_BASE_URL = "https://edition.test/"


CASES = Path(__file__).resolve().parent / "cases"


def case_file(body: str, path: Path) -> Path:
    """Write a small edition: ``body`` inside the header of ``tests/cases/_edition.xml``."""
    template = (CASES / "_edition.xml").read_text(encoding="utf-8")
    path.write_text(template.replace("<!-- CASE -->\n", body + "\n"), encoding="utf-8")
    return path


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


def build_edition(tei: Path, dest: Path, builder: str = "html") -> Path:
    """Build an edition from ``tei`` into ``dest`` the way ``make html TEI=...`` does.

    Returns the output folder. Raises ``AssertionError`` with Sphinx's output
    when a stage fails, so a failing build names its warnings.
    """
    import subprocess
    import sys

    source = dest / "source"
    out = dest / builder
    steps = (
        [
            sys.executable,
            str(ROOT / "scripts" / "build_pages.py"),
            "-q",
            "--tei",
            str(tei),
            "--source",
            str(source),
            "--stage-from",
            str(ROOT / "source"),
        ],
        [
            sys.executable,
            str(ROOT / "scripts" / "build_site.py"),
            "--source",
            str(source),
            "--out",
            str(out),
            "--builder",
            builder,
            "-q",
        ],
    )
    # Both steps are told a site at the root of a host, as the local test server
    # serves it, so that the 404 page's absolute links work there too. (The Sphinx
    # step reads no TEI: only the data file the pipeline wrote.)
    env = {**os.environ, "EDITION_BASE_URL": TEST_BASE_URL}
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, check=False, env=env)
        assert result.returncode == 0, f"{step[1]} failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition built once per test run from the master TEI file (HTML)."""
    return build_edition(TEI_FILE, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    """Serve the built site over HTTP on the loopback interface for the browser tests.

    The same helper as the benchmark's (:func:`bench.serve.http_server`).
    """
    with http_server(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's chromium (Playwright's own browser download is not available)."""
    require_path(CHROMIUM, "Debian's chromium")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


def sphinx_build(src: Path) -> tuple[Any, Path, str]:
    """Build ``src`` with Sphinx in this process (sphinx.testing, its global state restored).

    Returns the app, the HTML folder and the warnings without colour codes.
    """
    import io

    from sphinx.testing.util import SphinxTestApp
    from sphinx.util.console import strip_escape_sequences

    out = src / "_build"
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=src, builddir=out, status=io.StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    return app, out / "html", strip_escape_sequences(warnings.getvalue())

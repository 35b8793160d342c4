"""``make html`` runs only what an edit needs, from one command (Makefile, build_site.py --pages).

A no-change build runs nothing; an edit of the TEI file that changes no
generated file runs the pipeline and stops before Sphinx; a change of
``conf.py`` runs Sphinx and not the pipeline; a changed paragraph runs both and
Sphinx re-reads and writes only the page that shows it, keeping the search
index's entries of every other page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, require_program

GOOD = FIXTURES / "tei" / "minimal.xml"
PIPELINE = re.compile(r"^pages: \d+ written", re.M)
# Sphinx draws its progress lines with terminal codes under CI=true; read them as text.
TERMINAL_CODES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\r")
SPHINX = re.compile(r"^updating environment: (?:\[[^]]*\] )?(\d+) added, (\d+) changed", re.M)


def make_html(tei: Path, builddir: Path) -> subprocess.CompletedProcess:
    """``make html TEI=… BUILDDIR=…`` (``-o``: the venv is taken as installed)."""
    command = [require_program("make"), "--no-print-directory", "-o", ".venv/.stamp-build"]
    command += ["html", f"TEI={tei}", f"BUILDDIR={builddir}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    result.stdout = TERMINAL_CODES.sub("", result.stdout)
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of a small edition and a BUILDDIR holding its build."""
    work = tmp_path_factory.mktemp("make")
    tei = work / "edition.xml"
    shutil.copyfile(GOOD, tei)
    builddir = work / "build"
    first = make_html(tei, builddir)
    assert PIPELINE.search(first.stdout) and SPHINX.search(first.stdout), first.stdout
    return tei, builddir


def later(path: Path) -> None:
    """Give ``path`` a modification time after every file of the last build (now)."""
    os.utime(path)


@pytest.mark.slow
def test_a_second_make_html_runs_nothing(built):
    tei, builddir = built
    again = make_html(tei, builddir)
    assert "Nothing to be done" in again.stdout, again.stdout


@pytest.mark.slow
def test_a_tei_edit_that_changes_no_page_stops_after_the_pipeline(built):
    tei, builddir = built
    published = builddir / "html" / "index.html"
    before = published.stat().st_mtime_ns
    later(tei)
    result = make_html(tei, builddir)
    assert PIPELINE.search(result.stdout), result.stdout
    assert "nothing Sphinx reads has changed" in result.stdout
    assert not SPHINX.search(result.stdout), result.stdout
    assert published.stat().st_mtime_ns == before
    assert "Nothing to be done" in make_html(tei, builddir).stdout


def search_index(builddir: Path) -> dict:
    """The published ``searchindex.js``, read with Sphinx's own reader of it."""
    from sphinx.search import js_index

    return js_index.loads((builddir / "html" / "searchindex.js").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_a_changed_paragraph_re_reads_only_the_reading_page(built):
    tei, builddir = built
    index_before = search_index(builddir)
    assert index_before["indexentries"], "the small edition's index of names is in the search index"
    other = builddir / "html" / "edition" / "notes.html"
    other_before = other.stat().st_mtime_ns
    text = tei.read_text(encoding="utf-8")
    start = '<p xml:id="first-p1" n="1">'  # the body's first paragraph
    assert text.count(start) == 1
    tei.write_text(text.replace(start, start + "Edited "), encoding="utf-8")
    later(tei)
    result = make_html(tei, builddir)
    assert PIPELINE.search(result.stdout), result.stdout
    found = SPHINX.search(result.stdout)
    assert found and (found.group(1), found.group(2)) == ("0", "1"), result.stdout
    assert re.search(r"^reading sources\.\.\. \[100%\] edition/memo$", result.stdout, re.M)
    page = (builddir / "html" / "edition" / "memo.html").read_text(encoding="utf-8")
    assert "Edited " in page
    # Only that page is written again; the search index keeps every page's index entries.
    assert not re.search(r"^writing output\.\.\. .*edition/notes$", result.stdout, re.M)
    assert other.stat().st_mtime_ns == other_before
    index_after = search_index(builddir)
    assert index_after["indexentries"] == index_before["indexentries"]
    assert index_after["docnames"] == index_before["docnames"]


@pytest.mark.slow
def test_a_configuration_change_runs_sphinx_but_not_the_pipeline(built):
    """conf.py is newer than the last build (make -W, as after an edit); the TEI is not."""
    tei, builddir = built
    command = [require_program("make"), "--no-print-directory", "-o", ".venv/.stamp-build"]
    command += ["-W", "conf.py", "html", f"TEI={tei}", f"BUILDDIR={builddir}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not PIPELINE.search(result.stdout), result.stdout
    assert SPHINX.search(result.stdout), result.stdout
    assert "--pages" not in result.stdout

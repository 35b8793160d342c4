"""The EPUB (``make epub``) checked by EPUBCheck, the reference validator.

EPUBCheck comes from Debian (``epubcheck``); without it the test skips, and
under CI it fails. The book must hold every page it links to, use only the
CSS that EPUB allows (no ``:has()``, which the web page's witness switch
needs) and no SVG where EPUB does not allow it.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import TEI_FILE, build_edition, require, require_program

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition built as an EPUB, once for this module."""
    out = build_edition(TEI_FILE, tmp_path_factory.mktemp("epub"), builder="epub")
    [found] = list(out.glob("*.epub"))
    return found


def epubcheck(book: Path) -> subprocess.CompletedProcess[str]:
    """Run EPUBCheck on ``book``: Debian's jar, else an ``epubcheck`` on the PATH."""
    if EPUBCHECK_JAR.is_file():
        command = [require_program("java"), "-jar", str(EPUBCHECK_JAR), str(book)]
    else:
        command = [require_program("epubcheck"), str(book)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


@pytest.mark.slow
def test_epubcheck_reports_no_error(book: Path):
    result = epubcheck(book)
    output = result.stdout + result.stderr
    problems = [line for line in output.splitlines() if line.startswith(("ERROR", "FATAL"))]
    assert not problems, "EPUBCheck:\n" + "\n".join(problems)
    assert result.returncode == 0, output
    counts = re.search(r"(\d+) fatals / (\d+) errors", output)
    require(counts is not None, f"EPUBCheck printed no summary: {output[-300:]}")
    assert counts is not None and counts.groups() == ("0", "0"), output[-300:]


@pytest.mark.slow
def test_the_book_uses_only_what_epub_allows(book: Path):
    with zipfile.ZipFile(book) as epub:
        names = epub.namelist()
        css = {n: epub.read(n).decode() for n in names if n.endswith(".css")}
        pages = {n: epub.read(n).decode() for n in names if n.endswith(".xhtml")}
    assert not [n for n, text in css.items() if ":has(" in text], "a :has() selector in the book"
    assert not [n for n, text in pages.items() if "<svg" in text], "SVG in a page of the book"
    assert "_static/edition-epub.css" in names
    memo = next(text for n, text in pages.items() if n.endswith("memo.xhtml"))
    assert "edition-epub.css" in memo and "witness-switch" in memo
    assert "<script" not in memo, "a script in the book"


def test_epubcheck_finds_a_broken_book(tmp_path: Path):
    """The checker is real: a book that links to a file it lacks fails."""
    broken = tmp_path / "broken.epub"
    container = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    with zipfile.ZipFile(broken, "w") as epub:
        epub.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        epub.writestr("META-INF/container.xml", container)
        epub.writestr("content.opf", "<package/>")
    result = epubcheck(broken)
    assert result.returncode != 0
    assert "ERROR" in result.stdout + result.stderr or "FATAL" in result.stdout + result.stderr

"""The built HTML is valid, and every internal link and fragment resolves.

* The Nu Html Checker (vnu.jar, from npm) runs once over every built page;
  any error fails, printed with file, line and message.
* Every relative ``<a href>`` of every page names a file of the site and,
  if it has a fragment, an element id (or ``<a name>``) in that file; every
  relative ``src``/``href`` of ``script``, ``link`` and ``img`` names a file.

Without Java or node_modules this skips (and fails under CI).
"""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, require_path, require_program
from lxml import html

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Errors the checker must never report (all found errors have been fixed).
KNOWN_ERRORS: dict[str, str] = {}


@pytest.fixture(scope="module")
def vnu_messages(site: Path) -> list[dict]:
    """Run vnu once over all built pages; its error messages."""
    java = require_program("java")
    jar = require_path(VNU, "vnu.jar (npm ci)")
    result = subprocess.run(
        [
            java,
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            "--skip-non-html",
            str(site),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: errors were found
    messages = json.loads(result.stdout)["messages"]
    assert all(m["type"] in ("error", "non-document-error") for m in messages), messages
    for m in messages:
        where = m.get("url", "").split(str(site), 1)[-1].lstrip("/")
        print(f"{where}:{m.get('lastLine', 0)}:{m.get('firstColumn', 0)}: {m['message']}")
    return messages


def test_built_html_is_valid(vnu_messages: list[dict]):
    errors = [m for m in vnu_messages if m["message"] not in KNOWN_ERRORS]
    assert errors == []


def test_no_duplicate_ids(vnu_messages: list[dict]):
    """Ids collected into titles (navigation, prev/next) are not repeated on a page."""
    assert [m for m in vnu_messages if m["message"].startswith("Duplicate ID")] == []


def test_vnu_reports_an_error(tmp_path: Path):
    """The checker runs and finds a planted error (so a silent vnu cannot pass)."""
    java = require_program("java")
    jar = require_path(VNU, "vnu.jar (npm ci)")
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
        '<body><p id="a">x</p><p id="a">y</p></body></html>',
        encoding="utf-8",
    )
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout", str(page)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert [m["message"] for m in json.loads(result.stdout)["messages"]] == ["Duplicate ID “a”."]


# --------------------------------------------------------------------------
# Internal links
# --------------------------------------------------------------------------


@cache
def _ids(path: Path) -> frozenset[str]:
    root = html.parse(str(path)).getroot()
    return frozenset(
        value
        for el in root.iter()
        if isinstance(el.tag, str)
        for value in (el.get("id"), el.get("name") if el.tag == "a" else None)
        if value
    )


def internal(value: str) -> bool:
    """Whether a link value is relative to the site (no scheme, no host)."""
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc and not value.startswith("//")


def resolve(site: Path, page: Path, value: str) -> tuple[Path, str]:
    """The file and fragment a relative link on ``page`` points to."""
    parts = urlsplit(value)
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def broken_links(site: Path) -> list[str]:
    """Every relative link or resource of the site that does not resolve, described."""
    site = site.resolve()
    problems = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        root = html.parse(str(page)).getroot()
        for el in root.iter("a", "link", "script", "img"):
            attribute = "src" if el.tag in ("script", "img") else "href"
            value = el.get(attribute)
            if not value or not internal(value):
                continue
            target, fragment = resolve(site, page, value)
            if not target.is_relative_to(site) or not target.is_file():
                problems.append(f"{rel}: <{el.tag} {attribute}={value!r}>: no file {target}")
            elif (
                el.tag == "a"
                and fragment
                and target.suffix == ".html"
                and fragment not in _ids(target)
            ):
                problems.append(f"{rel}: <a href={value!r}>: no id {fragment!r} there")
    return problems


def test_every_internal_link_resolves(site: Path):
    problems = broken_links(site)
    print(*problems, sep="\n")
    assert problems == []


def test_link_checker_finds_a_broken_fragment(tmp_path: Path):
    (tmp_path / "a.html").write_text(
        '<html><body><p id="here">x</p><a href="#here">ok</a><a href="b.html#gone">b</a>'
        '<a href="c.html">c</a><a href="https://example.org/#x">external</a></body></html>'
    )
    (tmp_path / "b.html").write_text('<html><body><p id="there">y</p></body></html>')
    problems = broken_links(tmp_path)
    assert len(problems) == 2, problems
    assert "no id 'gone'" in problems[0] and "c.html" in problems[1]

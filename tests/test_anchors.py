"""Anchors are forever: the registry of published pages and anchors is kept.

``published-anchors.json`` records every page and every edition anchor the
site has published. The master build must still publish all of them; a TEI
file that loses one (here: a renamed xml:id) fails the check, naming it; a new
one extends the registry.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, TEI_FILE, build_edition

sys.path.insert(0, str(ROOT))

from edition import anchors

REGISTRY = ROOT / "published-anchors.json"
MINIMAL = FIXTURES / "tei" / "minimal.xml"
CHECK = ROOT / "scripts" / "check_anchors.py"


def check(site: Path, registry: Path, tei: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run scripts/check_anchors.py."""
    return subprocess.run(
        [
            sys.executable,
            str(CHECK),
            "--site",
            str(site),
            "--registry",
            str(registry),
            "--tei",
            str(tei),
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


# --------------------------------------------------------------------------
# The committed registry and the master build
# --------------------------------------------------------------------------


def test_registry_is_sorted_one_item_per_line():
    text = REGISTRY.read_text(encoding="utf-8")
    assert text == anchors.Registry.load(REGISTRY).dumps(), "run check_anchors.py --update"
    data = json.loads(text)
    assert list(data) == ["pages", "anchors"]
    assert set(data["anchors"]) <= set(data["pages"])


def test_master_build_keeps_every_published_anchor(site: Path):
    current = anchors.collect(site, anchors.edition_ids(TEI_FILE))
    published = anchors.Registry.load(REGISTRY)
    lost = anchors.removed(published, current, REGISTRY.name)
    assert lost == [], "\n".join(lost)
    new = anchors.added(published, current)
    if new:
        print(f"not yet in {REGISTRY.name} (scripts/check_anchors.py --update):", *new, sep="\n")


def test_registry_holds_the_citable_units():
    """The anchors a reader cites (sections, paragraphs, notes, variants) are all registered."""
    published = anchors.Registry.load(REGISTRY)
    memo = set(published.anchors.get("edition/memo.html", []))
    assert {"factory-nuclei", "factory-nuclei-p2", "note-title", "app-leading-organs"} <= memo


def test_navigation_copies_are_not_anchors(site: Path):
    """Only the main content counts: a heading copied into the sidebar is not published there."""
    ids = anchors.edition_ids(TEI_FILE)
    current = anchors.collect(site, ids)
    assert "about.html" not in current.anchors


# --------------------------------------------------------------------------
# Losing and adding anchors (minimal.xml, built into tmp)
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The minimal edition built, and its registry of anchors."""
    dest = tmp_path_factory.mktemp("anchors-minimal")
    site = build_edition(MINIMAL, dest)
    registry = dest / "published-anchors.json"
    result = check(site, registry, MINIMAL, "--update")
    assert result.returncode == 0, result.stderr
    return site, registry


def variant(tmp: Path, old: str, new: str) -> tuple[Path, Path]:
    """Build a copy of minimal.xml with ``old`` replaced by ``new``; return TEI and site."""
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    tei = tmp / "changed.xml"
    tei.write_text(text.replace(old, new), encoding="utf-8")
    return tei, build_edition(tei, tmp)


def test_minimal_registry_has_its_anchors(minimal_site):
    _, registry = minimal_site
    data = anchors.Registry.load(registry)
    assert "edition/memo.html" in data.pages
    assert {"first", "first-p2", "note-a", "app-a"} <= set(data.anchors["edition/memo.html"])
    assert "org-a" in data.anchors["edition/indices.html"]


@pytest.mark.slow
def test_losing_an_xml_id_fails_naming_it(minimal_site, tmp_path: Path):
    _, registry = minimal_site
    before = registry.read_bytes()
    tei, site = variant(tmp_path, 'xml:id="first-p2"', 'xml:id="first-p2-renamed"')
    result = check(site, registry, tei, "--update")
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert any(
        line.startswith("published anchor edition/memo.html#first-p2 would disappear; restore")
        for line in lines
    ), result.stderr
    assert not any("first-p2-renamed" in line for line in lines)
    assert registry.read_bytes() == before, "a failed check must not touch the registry"
    current = anchors.collect(site, anchors.edition_ids(tei))
    lost = anchors.removed(anchors.Registry.load(registry), current, "registry")
    assert [m.split(" would")[0] for m in lost] == ["published anchor edition/memo.html#first-p2"]


@pytest.mark.slow
def test_a_new_xml_id_extends_the_registry(minimal_site, tmp_path: Path):
    _, registry = minimal_site
    copy = tmp_path / "registry.json"
    copy.write_bytes(registry.read_bytes())
    tei, site = variant(
        tmp_path,
        '<p xml:id="second-p1" n="1">The last paragraph.</p>',
        '<p xml:id="second-p1" n="1">The last paragraph.</p>\n'
        '        <p xml:id="second-p2" n="2">A new paragraph.</p>',
    )
    result = check(site, copy, tei)
    assert result.returncode == 0, result.stderr
    assert "1 new, not yet in" in result.stdout
    assert "second-p2" not in copy.read_text(encoding="utf-8"), "written without --update"
    result = check(site, copy, tei, "--update")
    assert result.returncode == 0, result.stderr
    data = anchors.Registry.load(copy)
    assert "second-p2" in data.anchors["edition/memo.html"]
    old = anchors.Registry.load(registry)
    assert old.items() < data.items()
    assert copy.read_text(encoding="utf-8") == data.dumps()  # sorted, one item per line

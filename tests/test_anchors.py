"""Anchors are forever: published addresses stay, and so do the words under them.

``published-anchors.json`` records every page, anchor and file the site has
published, a digest of the words under each anchor, the ids the pages use for
themselves, and the versions. The master build must keep all of them. The
fixture editions in ``tests/fixtures/tei/anchors_*.xml`` are published into a
temporary folder the way ``make html`` publishes the edition (the pipeline,
then ``build_site.py --anchors``), and then changed: a word changed under an
anchor, the same change recorded, an id the pages already use, a renamed file,
a file left behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, TEST_BASE_URL, build_edition, require_program
from lxml import html

sys.path.insert(0, str(ROOT))

from edition import anchors, reader, tei

try:  # where the names of the published files are made (edition/publish after its split)
    from edition.publish import extra_files
except ImportError:
    from edition.dts import extra_files

REGISTRY = ROOT / "published-anchors.json"
TEI_DIR = FIXTURES / "tei"
V1_0 = TEI_DIR / "anchors_v1_0.xml"
UNRECORDED = TEI_DIR / "anchors_changed_unrecorded.xml"
RECORDED = TEI_DIR / "anchors_changed_recorded_v1_1.xml"
OLD_VERSION_RECORD = TEI_DIR / "anchors_changed_recorded_old_version.xml"
ADDED = TEI_DIR / "anchors_paragraph_added_v1_1.xml"
RENAMED_ID = TEI_DIR / "anchors_id_renamed.xml"
VIEW_SWITCH_ID = TEI_DIR / "anchors_view_switch_id.xml"
RESERVED = TEI_DIR / "anchors_reserved_id.xml"
CHECK = ROOT / "scripts" / "check_anchors.py"


def line_of(tei_file: Path, needle: str) -> int:
    """The line of ``tei_file`` that holds ``needle`` (once)."""
    lines = [
        i for i, text in enumerate(tei_file.read_text("utf-8").splitlines(), 1) if needle in text
    ]
    assert len(lines) == 1, (needle, lines)
    return lines[0]


# The name every fixture edition is published under, as an editor edits one file.
PUBLISHED_NAME = "memo.xml"


def publish(
    fixture: Path, dest: Path, name: str = PUBLISHED_NAME
) -> subprocess.CompletedProcess[str]:
    """Publish ``fixture`` as ``dest/tei/<name>`` into ``dest/html``, as ``make html`` does.

    The registry is ``dest/registry.json``. Returns the first failing step's result.
    """
    tei_file = dest / "tei" / name
    tei_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fixture, tei_file)
    steps = (
        [
            sys.executable,
            str(ROOT / "scripts" / "build_pages.py"),
            "-q",
            "--tei",
            str(tei_file),
            "--source",
            str(dest / "source"),
            "--stage-from",
            str(ROOT / "source"),
        ],
        [
            sys.executable,
            str(ROOT / "scripts" / "build_site.py"),
            "--source",
            str(dest / "source"),
            "--out",
            str(dest / "html"),
            "--anchors",
            str(dest / "registry.json"),
            "-q",
        ],
    )
    env = {**os.environ, "EDITION_TEI": str(tei_file.resolve()), "EDITION_BASE_URL": TEST_BASE_URL}
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, check=False, env=env)
        if result.returncode != 0:
            break
    return result


def canonical(page: Path) -> str:
    """A page's canonical URL."""
    head = html.parse(str(page)).getroot().find("head")
    [href] = [link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"]
    return href


def source_snapshot(site: Path) -> anchors.Snapshot:
    """The anchor data the pipeline wrote beside the pages of a test build."""
    return anchors.Snapshot.load(site.parent / "source" / anchors.DATA_FILE)


# --------------------------------------------------------------------------
# The committed registry and the master build
# --------------------------------------------------------------------------


def test_registry_is_sorted_one_item_per_line():
    text = REGISTRY.read_text(encoding="utf-8")
    assert text == anchors.Registry.load(REGISTRY).dumps(), "run make html to update it"
    data = json.loads(text)
    assert list(data) == ["pages", "anchors", "files", "words", "reserved", "versions"]
    assert set(data["anchors"]) <= set(data["pages"])
    registered = {a for ids in data["anchors"].values() for a in ids}
    assert set(data["words"]) == registered, "every published anchor has its words' digest"


def test_master_build_keeps_every_published_address_and_its_words(site: Path):
    snap = source_snapshot(site)
    current = anchors.published_by(site, snap)
    published = anchors.Registry.load(REGISTRY)
    lost = anchors.removed(published, current, REGISTRY.name)
    assert lost == [], "\n".join(lost)
    assert anchors.word_changes(published, snap) == []
    assert anchors.version_problems(published, snap) == []
    assert anchors.reserved_problems(published, snap) == []
    assert set(published.files) <= set(current.files), set(published.files) - set(current.files)
    assert snap.version == published.latest()


def test_registry_holds_the_citable_units_downloads_and_dts_files():
    """The anchors a reader cites, and the files a client fetches, are all registered."""
    published = anchors.Registry.load(REGISTRY)
    memo = set(published.anchors.get("edition/memo.html", []))
    assert {"factory-nuclei", "factory-nuclei-p2", "note-title", "app-leading-organs"} <= memo
    assert {"downloads/nucleus.xml", "dts/index.jsonld", "robots.txt"} <= set(published.files)
    assert "dts/document/nucleus/factory-nuclei-p2.xml" in published.files


def test_navigation_copies_are_not_anchors(site: Path):
    """Only the main content counts: a heading copied into the sidebar is not published there."""
    current = anchors.collect(site, source_snapshot(site).anchors)
    assert "about.html" not in current.anchors


def test_the_reserved_ids_are_derived_from_the_built_pages(site: Path):
    """The committed list is what the built pages use, not a list kept by hand."""
    snap = source_snapshot(site)
    derived = anchors.reserved_ids(site, snap.anchors)
    assert derived == anchors.Registry.load(REGISTRY).reserved
    # The edition's note references and view switch, Sphinx's index targets.
    assert derived["noteref-{id}"] == "edition/memo.html"
    assert {"view-en", "index-{n}"} <= set(derived)
    # Every id the reading page uses for itself (theme included) is covered.
    known = set(snap.anchors)
    own = [i for i in anchors._all_ids(site / "edition" / "memo.html") if i not in known]
    assert own and all(any(anchors._matches(p, i, known) for p in derived) for i in own)


def test_reserved_patterns_match_what_the_pages_would_make():
    known = {"note-a", "first"}
    assert anchors._generalise("noteref-note-a", known) == "noteref-{id}"
    assert anchors._generalise("index-12", known) == "index-{n}"
    assert anchors._matches("noteref-{id}", "noteref-note-a", known)
    assert not anchors._matches("noteref-{id}", "noteref-other", known)
    assert anchors._matches("index-{n}", "index-40", known)
    assert not anchors._matches("index-{n}", "index-org", known)


def test_words_ignore_layout_but_not_a_word():
    assert anchors.digest("a  b\n   c") == anchors.digest("a b c")
    assert anchors.digest("a b c") != anchors.digest("a b d")


def test_the_version_never_goes_back_and_records_name_theirs():
    published = anchors.Registry(versions=["1.0", "1.1"])
    change = anchors.ChangeRecord("1.2", "2026-03-01", ("first-p2",), 40)
    unversioned = anchors.ChangeRecord("", "2026-03-01", ("first-p1",), 41)
    snap = anchors.Snapshot("t.xml", "1.0", {}, (change, unversioned), version_line=17)
    assert anchors.version_problems(published, snap) == [
        "t.xml:17: the edition's version 1.0 is older than the published version 1.1; "
        'set <edition n="..."> to 1.1 or later',
        "t.xml:40: this change is recorded for version 1.2, newer than the edition's "
        'version 1.0; set <edition n="1.2">',
        't.xml:41: this change names anchors but no version; give it n="1.0" (the version '
        "that publishes it)",
    ]
    assert anchors.version_key("1.10") > anchors.version_key("1.9")


def test_a_duplicate_id_on_a_built_page_is_located_in_the_tei(tmp_path: Path):
    """The check after Sphinx: an id standing twice on a page names its TEI line."""
    (tmp_path / "edition").mkdir()
    (tmp_path / "edition" / "memo.html").write_text(
        '<html><body><nav id="view-en"></nav><main><p id="view-en">x</p></main></body></html>',
        encoding="utf-8",
    )
    snap = anchors.Snapshot("tei/x.xml", "1.0", {"view-en": anchors.Anchor(12, "d")})
    [problem] = anchors.duplicate_problems(tmp_path, snap)
    assert problem.startswith('tei/x.xml:12: xml:id "view-en" stands 2 times on edition/memo.html')


# --------------------------------------------------------------------------
# A published fixture edition, changed (tests/fixtures/tei/anchors_*.xml)
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """anchors_v1_0.xml published once: its site, sources and registry."""
    dest = tmp_path_factory.mktemp("anchors-published")
    result = publish(V1_0, dest)
    assert result.returncode == 0, result.stdout + result.stderr
    return dest


@pytest.fixture
def again(published: Path, tmp_path: Path) -> Path:
    """A copy of the published state, to publish a changed edition over."""
    dest = tmp_path / "again"
    shutil.copytree(published, dest, symlinks=True)
    return dest


@pytest.mark.slow
def test_a_publication_registers_words_files_and_its_version(published: Path):
    registry = anchors.Registry.load(published / "registry.json")
    assert registry.versions == ["1.0"]
    assert registry.words["first-p2"].version == "1.0"
    assert any(f.startswith("downloads/") and f.endswith(".xml") for f in registry.files)
    assert "dts/index.jsonld" in registry.files
    # The version's own address holds the same words, and the pages cite it.
    site = published / "html"
    assert (site / "1.0" / "edition" / "memo.html").read_bytes() == (
        site / "edition" / "memo.html"
    ).read_bytes()
    assert canonical(site / "edition" / "memo.html") == f"{TEST_BASE_URL}1.0/edition/memo.html"
    assert "/latest/" not in (site / "edition" / "memo.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_word_changed_under_an_anchor_stops_the_build_naming_it(again: Path):
    before = (again / "html" / "edition" / "memo.html").read_bytes()
    registry = (again / "registry.json").read_bytes()
    result = publish(UNRECORDED, again)
    assert result.returncode == 2, result.stdout + result.stderr
    problems = [line for line in result.stderr.splitlines() if "the words under" in line]
    line = line_of(UNRECORDED, 'xml:id="first-p2"')
    assert len(problems) == 1, result.stderr
    assert problems[0].startswith(
        f"{again / 'tei' / PUBLISHED_NAME}:{line}: the words under published anchor #first-p2 (version 1.0) changed "
        "and revisionDesc records no change for it; restore the published words, or record"
    ), problems
    assert '<change when="YYYY-MM-DD" n="1.1" who="#..." target="#first-p2">' in problems[0]
    # Only the innermost anchor is named: its section's words changed through it.
    assert not any("#first " in p for p in problems)
    assert (again / "html" / "edition" / "memo.html").read_bytes() == before
    assert (again / "registry.json").read_bytes() == registry


@pytest.mark.slow
def test_a_recorded_change_moves_the_version_on_and_keeps_the_old_words(again: Path):
    result = publish(RECORDED, again)
    assert result.returncode == 0, result.stdout + result.stderr
    registry = anchors.Registry.load(again / "registry.json")
    assert registry.versions == ["1.0", "1.1"]
    assert registry.words["first-p2"].version == "1.1"
    assert registry.words["first-p1"].version == "1.0", "unchanged words keep their version"
    site = again / "html"
    latest = (site / "edition" / "memo.html").read_text(encoding="utf-8")
    old = (site / "1.0" / "edition" / "memo.html").read_text(encoding="utf-8")
    assert "The second, corrected paragraph" in latest
    assert "The second paragraph" in old and "corrected paragraph" not in old
    assert (site / "1.1" / "edition" / "memo.html").read_text(encoding="utf-8") == latest
    # The changed passage says so, and links to the words as cited in 1.0.
    [para] = html.parse(str(site / "edition" / "memo.html")).getroot().xpath('//*[@id="first-p2"]')
    notice = para.getnext()
    assert "revised" in notice.get("class", "").split(), "the notice follows the paragraph"
    assert notice.text_content().startswith("Revised in version 1.1 (2026-02-01): Corrected")
    assert notice.xpath(".//a/@href") == [f"{TEST_BASE_URL}1.0/edition/memo.html#first-p2"]
    revisions = (site / "edition" / "revisions.html").read_text(encoding="utf-8")
    assert f'href="{TEST_BASE_URL}1.0/edition/memo.html#first-p2"' in revisions
    assert canonical(site / "edition" / "memo.html") == f"{TEST_BASE_URL}1.1/edition/memo.html"
    assert canonical(site / "1.0" / "edition" / "memo.html") == (
        f"{TEST_BASE_URL}1.0/edition/memo.html"
    )


@pytest.mark.slow
def test_a_change_record_for_an_old_version_does_not_cover_the_change(again: Path):
    """Recording the change under the version that published the old words is refused."""
    result = publish(OLD_VERSION_RECORD, again)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "its change record is for version 1.0, which published the old words" in result.stderr


@pytest.mark.slow
def test_an_id_the_pages_already_use_stops_the_build_with_its_line(again: Path):
    result = publish(RESERVED, again)
    assert result.returncode == 2, result.stdout + result.stderr
    line = line_of(RESERVED, 'xml:id="noteref-note-a"')
    where = f"{again / 'tei' / PUBLISHED_NAME}:{line}"
    assert f'{where}: xml:id "noteref-note-a" is an id the built pages already use' in (
        result.stderr
    )
    assert "noteref-{id}, on edition/memo.html" in result.stderr


@pytest.mark.slow
def test_a_file_left_by_an_earlier_build_is_removed_unless_it_was_published(again: Path):
    site, work = again / "html", again / "sphinx-html"  # published; Sphinx's, kept between builds
    (work / "downloads").mkdir(parents=True, exist_ok=True)
    (work / "downloads" / "never-cited.txt").write_text("left behind", encoding="utf-8")
    result = publish(V1_0, again)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (work / "downloads" / "never-cited.txt").exists()
    assert not (site / "downloads" / "never-cited.txt").exists()
    assert "downloads/never-cited.txt" not in anchors.Registry.load(again / "registry.json").files
    # A registered address that the build no longer makes stops it instead.
    registry = anchors.Registry.load(again / "registry.json")
    registry.files.append("dts/document/gone.xml")
    (again / "registry.json").write_text(registry.dumps(), encoding="utf-8")
    (site / "dts" / "document" / "gone.xml").write_text("<TEI/>", encoding="utf-8")
    result = publish(V1_0, again)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "published file dts/document/gone.xml would disappear" in result.stderr
    assert (site / "dts" / "document" / "gone.xml").exists(), "the published site is untouched"


def extra_names(tei_file: Path) -> set[str]:
    """The addresses of the files the pipeline publishes for ``tei_file``."""
    doc = tei.load(tei_file)
    return set(extra_files(doc, reader.read(doc), base=TEST_BASE_URL))


@pytest.mark.slow
def test_a_renamed_tei_file_moves_no_published_address(again: Path, tmp_path: Path):
    """Names come from the TEI's identifier (idno type="edition"), not from the file's name."""
    renamed = tmp_path / "renamed-master.xml"
    shutil.copyfile(V1_0, renamed)
    assert extra_names(renamed) == extra_names(again / "tei" / PUBLISHED_NAME)
    before = anchors.Registry.load(again / "registry.json")
    result = publish(V1_0, again, name=renamed.name)
    assert result.returncode == 0, result.stdout + result.stderr
    after = anchors.Registry.load(again / "registry.json")
    assert after.files == before.files and after.pages == before.pages
    assert after.items() == before.items()
    assert "downloads/memo.xml" in after.files and "dts/document/memo.xml" in after.files


# --------------------------------------------------------------------------
# Losing and adding anchors (anchors_v1_0.xml, built into tmp)
# --------------------------------------------------------------------------


def check(source: Path, site: Path, registry: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run scripts/check_anchors.py on a test build."""
    command = [sys.executable, str(CHECK), "--source", str(source), "--site", str(site)]
    return subprocess.run(
        [*command, "--registry", str(registry), *extra],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture edition built, and its registry of anchors."""
    dest = tmp_path_factory.mktemp("anchors-minimal")
    site = build_edition(V1_0, dest)
    registry = dest / "published-anchors.json"
    result = check(dest / "source", site, registry, "--update")
    assert result.returncode == 0, result.stderr
    return site, registry


def build_as_published(fixture: Path, tmp: Path) -> tuple[Path, Path]:
    """Build ``fixture`` under the published file's name; return its sources and site."""
    tei_file = tmp / V1_0.name  # the same file, edited: its addresses stay
    shutil.copyfile(fixture, tei_file)
    return tmp / "source", build_edition(tei_file, tmp)


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
    source, site = build_as_published(RENAMED_ID, tmp_path)
    result = check(source, site, registry, "--update")
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert any(
        line.startswith("published anchor edition/memo.html#first-p2 would disappear; restore")
        for line in lines
    ), result.stderr
    assert not any("first-p2-renamed" in line for line in lines)
    assert registry.read_bytes() == before, "a failed check must not touch the registry"


@pytest.mark.slow
def test_a_new_xml_id_extends_the_registry(minimal_site, tmp_path: Path):
    _, registry = minimal_site
    copy = tmp_path / "registry.json"
    copy.write_bytes(registry.read_bytes())
    source, site = build_as_published(ADDED, tmp_path)
    result = check(source, site, copy)
    assert result.returncode == 0, result.stderr
    assert "not yet in" in result.stdout
    assert "second-p2" not in copy.read_text(encoding="utf-8"), "written without --update"
    result = check(source, site, copy, "--update")
    assert result.returncode == 0, result.stderr
    data = anchors.Registry.load(copy)
    assert "second-p2" in data.anchors["edition/memo.html"]
    assert data.words["second-p2"].version == data.latest() == "1.1"
    assert data.words["second"].version == "1.1", "its section's words changed with it"
    old = anchors.Registry.load(registry)
    assert old.items() < data.items()
    assert copy.read_text(encoding="utf-8") == data.dumps()  # sorted, one item per line


@pytest.mark.slow
def test_an_id_in_use_is_caught_in_the_built_page_before_any_registry_knows_it(tmp_path: Path):
    """Without a derived list yet, the built page itself shows the collision, with its line."""
    source, site = tmp_path / "source", build_edition(VIEW_SWITCH_ID, tmp_path)
    registry = tmp_path / "registry.json"
    result = check(source, site, registry, "--update")
    assert result.returncode == 2, result.stdout + result.stderr
    line = line_of(VIEW_SWITCH_ID, 'xml:id="view-en"')
    assert result.stderr.startswith(
        f'{VIEW_SWITCH_ID}:{line}: xml:id "view-en" stands 2 times on edition/memo.html'
    ), result.stderr
    assert not registry.exists(), "a failed check writes no registry"


# --------------------------------------------------------------------------
# Earlier versions on a fresh machine: built once from their git tags
# --------------------------------------------------------------------------

BUILD_VERSIONS = ROOT / "scripts" / "build_versions.py"


def git(repo: Path, *args: str) -> None:
    """Run git in ``repo`` as a test author."""
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


@pytest.mark.slow
def test_a_version_missing_from_the_site_is_built_from_its_tag(tmp_path: Path):
    """A fresh clone has no 1.0 folder: the tag 1.0 builds it, with 1.0's own words."""
    require_program("git")
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(repo)], check=True)
    shutil.copyfile(V1_0, repo / "tei" / "nucleus.xml")
    git(repo, "commit", "--quiet", "-am", "version 1.0 of a test edition")
    git(repo, "tag", "-f", "1.0")  # this test's 1.0, not the repository's own
    # The repository's own later tags are not this test's: 1.1 must be missing.
    subprocess.run(["git", "-C", str(repo), "tag", "-d", "1.1"], capture_output=True, check=False)
    registry = tmp_path / "registry.json"
    registry.write_text(anchors.Registry(versions=["1.0", "1.1"]).dumps(), encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    env = {**os.environ, "EDITION_BASE_URL": TEST_BASE_URL}
    command = [sys.executable, str(BUILD_VERSIONS), "--site", str(site), "--repo", str(repo)]
    result = subprocess.run(
        [*command, "--registry", str(registry)], capture_output=True, text=True, env=env
    )
    # 1.1 has no tag: named, and the run fails; 1.0 is built all the same.
    assert result.returncode == 1, result.stdout + result.stderr
    assert "version 1.1: no git tag 1.1" in result.stderr
    page = site / "1.0" / "edition" / "memo.html"
    assert "The second paragraph" in page.read_text(encoding="utf-8")
    assert canonical(page) == f"{TEST_BASE_URL}1.0/edition/memo.html"
    assert (
        "tree"
        not in subprocess.run(
            ["git", "-C", str(repo), "worktree", "list"], capture_output=True, text=True
        ).stdout.split("\n", 1)[-1]
    ), "the temporary worktree is removed"


def test_the_extension_reads_the_file_the_pipeline_writes():
    """The Sphinx side imports nothing of the edition, so it names the file itself."""
    from edition.sphinx_ext import versions

    assert versions.DATA_FILE == anchors.DATA_FILE

"""Anchors are forever: every published address, and the words under every anchor.

Readers cite the edition by URL and fragment (``1.0/edition/memo.html#press-p2``).
The registry ``published-anchors.json`` keeps what the site has ever
published, so that no build can take it back silently:

``pages``
    every HTML page of the edition;
``anchors``
    per page, every element id that comes from an ``xml:id`` of the TEI file,
    in the page's main content (a theme's navigation copies are ignored);
``files``
    every other published address: the downloads, the DTS files, ``robots.txt``;
``words``
    per published anchor, a digest of its normalised words (its text and its
    notes) and the version that published them;
``reserved``
    the ids the pages already use for themselves (theme, Sphinx, the edition's
    own HTML such as ``noteref-{id}``), derived from the built pages, each with
    the page it was seen on: an ``xml:id`` may not take one of them;
``versions``
    every version of the edition that has been published.

A build that loses a page, an anchor or a file fails, naming it. A build that
changes the words under a published anchor fails, naming the anchor and its
TEI line, unless the TEI's ``revisionDesc`` records the change for that anchor
under a new version (the version the TEI's ``edition/@n`` then carries)::

    <change when="2026-12-01" n="1.1" who="#digital-edition" target="#press-p2">
      Corrected "teh" to "the", a transcription error.</change>

The registry is sorted, one item per line, so its diffs are clean.

This module never parses the TEI: the pipeline loads it once and hands the
loaded document to :func:`snapshot`, whose result it writes beside the pages
(:data:`DATA_FILE`); the checks read that file and the built site.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree, html

if TYPE_CHECKING:
    from edition.model import Edition
    from edition.tei import Document

# Where the pipeline writes the snapshot, relative to the source folder.
DATA_FILE = "edition/_anchors.json"
# Pages Sphinx writes for itself, not pages of the edition.
SPHINX_PAGES = frozenset({"genindex.html", "search.html", "py-modindex.html"})
# Files Sphinx writes for itself; they are not addresses anyone cites.
SPHINX_FILES = frozenset({".buildinfo", "objects.inv", "searchindex.js", "sitemap.xml"})
# The pages whose ids an xml:id may collide with: those generated from the TEI.
GENERATED_PREFIX = "edition/"
# A published version's folder at the site root, e.g. ``1.0``.
VERSION = re.compile(r"^\d+(\.\d+)+$")
# How a reserved id that embeds an edition id is generalised (``noteref-{id}``).
SLOT = "{id}"
NUMBER = "{n}"
TEI_NS = "http://www.tei-c.org/ns/1.0"
TEI = {"tei": TEI_NS}
NOTE = f"{{{TEI_NS}}}note"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def version_key(version: str) -> tuple[int, ...]:
    """``"1.10"`` sorts after ``"1.9"``; a version that is not numeric sorts first."""
    return tuple(int(p) for p in version.split(".")) if VERSION.match(version) else ()


# ---------------------------------------------------------------- the snapshot


@dataclass(frozen=True)
class Anchor:
    """One ``xml:id`` of the TEI: where it is, a digest of its words, what holds it."""

    line: int
    digest: str
    # The anchors whose words include this one's: the nearest enclosing
    # element with an id, and, for a note, the ids its @target names.
    within: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeRecord:
    """A ``revisionDesc/change`` that names the anchors whose words it changed."""

    n: str
    when: str
    targets: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Snapshot:
    """What the checks need from the TEI, worked out once by the pipeline."""

    file: str
    version: str
    anchors: dict[str, Anchor]
    changes: tuple[ChangeRecord, ...] = ()
    # What the pipeline publishes beside the pages, and where it writes it
    # (relative to the source folder).
    files: tuple[str, ...] = ()
    extra_dir: str = ""
    # The line of editionStmt/edition, which carries the version.
    version_line: int = 0
    # The version's own address, which every citation names (for the Sphinx side).
    base: str = ""

    def dumps(self) -> str:
        """The snapshot as sorted JSON (written beside the pages)."""
        data = {
            "file": self.file,
            "version": self.version,
            "anchors": {
                key: {"line": a.line, "digest": a.digest, "within": list(a.within)}
                for key, a in sorted(self.anchors.items())
            },
            "changes": [
                {"n": c.n, "when": c.when, "targets": list(c.targets), "line": c.line}
                for c in self.changes
            ],
            "files": sorted(self.files),
            "extra_dir": self.extra_dir,
            "version_line": self.version_line,
            "base": self.base,
        }
        # Compact, so that Python's encoder runs in C (thousands of anchors at scale).
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

    @classmethod
    def load(cls, path: Path) -> Snapshot:
        """Read a snapshot the pipeline wrote."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            data["file"],
            data["version"],
            {
                key: Anchor(a["line"], a["digest"], tuple(a["within"]))
                for key, a in data["anchors"].items()
            },
            tuple(
                ChangeRecord(c["n"], c["when"], tuple(c["targets"]), c["line"])
                for c in data["changes"]
            ),
            tuple(data.get("files", ())),
            data.get("extra_dir", ""),
            data.get("version_line", 0),
            data.get("base", ""),
        )

    def where(self, anchor: str) -> str:
        """``FILE:LINE`` of an anchor's element."""
        found = self.anchors.get(anchor)
        return f"{self.file}:{found.line if found else 0}"


def words(text: str) -> str:
    """Words separated by single spaces: layout and indentation are not words."""
    return " ".join(text.split())


def digest(text: str) -> str:
    """A short, stable digest of normalised words."""
    return "sha256:" + hashlib.sha256(words(text).encode("utf-8")).hexdigest()[:32]


# An element's string value (every text node below it), compiled once.
_STRING = etree.XPath("string(.)", smart_strings=False)


def _pointers(value: str | None) -> tuple[str, ...]:
    """``"#a #b"`` as ``("a", "b")``; URLs are not pointers to anchors."""
    return tuple(p[1:] for p in (value or "").split() if p.startswith("#"))


def snapshot(
    doc: Document,
    edition: Edition,
    files: Iterable[str] = (),
    extra_dir: str = "",
    base: str = "",
) -> Snapshot:
    """Every ``xml:id`` of the loaded TEI with its line, words and containers.

    An anchor's words are the string value of its element (every text node
    below it, its notes and readings included) plus the words of the notes
    whose ``@target`` names it, white space normalised. Markup, attributes and
    layout are not words: re-indenting the file changes no digest. ``files``
    are the addresses the pipeline publishes beside the pages, written under
    ``extra_dir`` (relative to the source folder); ``base`` is the version's
    own address.
    """
    ids = doc.by_id()
    targeting: dict[str, list[str]] = {}
    for key, el in ids.items():
        if el.tag == NOTE:
            for target in _pointers(el.get("target")):
                targeting.setdefault(target, []).append(key)
    anchors = {}
    for key, el in ids.items():
        text = _STRING(el)
        for note in sorted(targeting.get(key, ())):
            text += " " + _STRING(ids[note])
        parent = next(
            (a.get(XML_ID) for a in el.iterancestors() if a.get(XML_ID) is not None), None
        )
        within = ((parent,) if parent else ()) + (
            _pointers(el.get("target")) if el.tag == NOTE else ()
        )
        anchors[key] = Anchor(el.sourceline or 0, digest(text), within)
    changes = tuple(
        ChangeRecord(
            c.get("n", ""), c.get("when", ""), _pointers(c.get("target")), c.sourceline or 0
        )
        for c in doc.root.iterfind("tei:teiHeader/tei:revisionDesc/tei:change", TEI)
    )
    version_el = doc.root.find("tei:teiHeader/tei:fileDesc/tei:editionStmt/tei:edition", TEI)
    return Snapshot(
        str(doc.path),
        edition.header.version,
        anchors,
        changes,
        tuple(files),
        extra_dir,
        (version_el.sourceline or 0) if version_el is not None else 0,
        base,
    )


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Words:
    """The digest of an anchor's words and the version that published them."""

    digest: str
    version: str


@dataclass
class Registry:
    """Everything the edition has published (see the module docstring)."""

    pages: list[str] = field(default_factory=list)
    anchors: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    words: dict[str, Words] = field(default_factory=dict)
    reserved: dict[str, str] = field(default_factory=dict)
    versions: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Registry:
        """Read a registry file."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            list(data.get("pages", [])),
            dict(data.get("anchors", {})),
            list(data.get("files", [])),
            {k: Words(v["digest"], v["version"]) for k, v in data.get("words", {}).items()},
            dict(data.get("reserved", {})),
            list(data.get("versions", [])),
        )

    def dumps(self) -> str:
        """The registry as sorted JSON, one item per line."""
        data: dict[str, Any] = {
            "pages": sorted(set(self.pages)),
            "anchors": {
                page: sorted(set(ids)) for page, ids in sorted(self.anchors.items()) if ids
            },
            "files": sorted(set(self.files)),
            "words": {
                key: {"digest": w.digest, "version": w.version}
                for key, w in sorted(self.words.items())
            },
            "reserved": dict(sorted(self.reserved.items())),
            "versions": sorted(set(self.versions), key=version_key),
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def items(self) -> set[tuple[str, str]]:
        """Every ``(page, id)`` pair."""
        return {(page, anchor) for page, ids in self.anchors.items() for anchor in ids}

    def latest(self) -> str:
        """The newest published version, or ``""``."""
        return max(self.versions, key=version_key, default="")


# ---------------------------------------------------------------- the built site


def _internal(rel: str) -> bool:
    """Sphinx's and the theme's own files, and the folders of earlier versions."""
    first = rel.split("/", 1)[0]
    return (
        first.startswith("_")
        or first.startswith(".")
        or "/_" in rel
        or rel in SPHINX_FILES
        or ("/" in rel and VERSION.match(first) is not None)
    )


def site_pages(site: Path) -> list[str]:
    """The edition's HTML pages in a built site, relative, without Sphinx's own."""
    return sorted(
        rel
        for path in site.rglob("*.html")
        if not _internal(rel := path.relative_to(site).as_posix()) and rel not in SPHINX_PAGES
    )


def site_files(site: Path) -> list[str]:
    """Every other address the site publishes: downloads, DTS files, ``robots.txt``."""
    return sorted(
        rel
        for path in site.rglob("*")
        if path.is_file()
        and not path.name.endswith(".html")
        and not _internal(rel := path.relative_to(site).as_posix())
    )


def _all_ids(path: Path) -> list[str]:
    """Every element id of a page, in document order, repeats included."""
    root = html.parse(str(path)).getroot()
    return [i for el in root.iter() if isinstance(el.tag, str) and (i := el.get("id"))]


def page_ids(path: Path) -> set[str]:
    """Every element id in an HTML page's main content.

    Only the main content (``role="main"`` or ``<main>``, else the body) counts:
    a theme's navigation may copy a heading, id and all, onto every page.
    """
    root = html.parse(str(path)).getroot()
    main = root.xpath("(//*[@role='main'] | //main)[1]")
    content = main[0] if main else root.find("body")
    if content is None:
        return set()
    return {i for el in content.iter() if isinstance(el.tag, str) and (i := el.get("id"))}


def collect(site: Path, ids: set[str] | dict[str, Any]) -> Registry:
    """What a built site publishes: its pages, the ids among ``ids`` on each, its files."""
    pages = site_pages(site)
    anchors = {page: sorted(page_ids(site / page) & set(ids)) for page in pages}
    return Registry(
        pages, {page: found for page, found in anchors.items() if found}, site_files(site)
    )


def published_by(site: Path, snap: Snapshot) -> Registry:
    """What this build publishes: the site's pages and anchors, its files and the pipeline's.

    The pipeline's files (downloads, DTS) count whether Sphinx copied them
    into ``site`` or a later step places them; the ids the pages use for
    themselves are derived from the same pages.
    """
    current = collect(site, snap.anchors)
    current.files = sorted(set(current.files) | set(snap.files))
    current.reserved = reserved_ids(site, snap.anchors)
    return current


def reserved_ids(site: Path, ids: set[str] | dict[str, Any]) -> dict[str, str]:
    """The ids the generated pages use for themselves, each with a page it is on.

    Any id on a page made from the TEI that is not an ``xml:id`` was put there
    by the theme, Sphinx or the edition's HTML. Ids made one per edition id or
    per number (``noteref-note-a``, ``noteref-note-b``; ``index-0``,
    ``index-1``) are kept as patterns (``noteref-{id}``, ``index-{n}``), so the
    ids a longer edition will make are reserved too.
    """
    known = set(ids)
    seen: dict[str, str] = {}
    for page in site_pages(site):
        if page.startswith(GENERATED_PREFIX):
            for key in _all_ids(site / page):
                if key not in known:
                    seen.setdefault(key, page)
    by_pattern: dict[str, set[str]] = {}
    for key in seen:
        by_pattern.setdefault(_generalise(key, known), set()).add(key)
    found: dict[str, str] = {}
    for pattern, keys in by_pattern.items():
        for key in sorted(keys) if len(keys) < 2 else (min(keys),):
            found[key if len(keys) < 2 else pattern] = seen[key]
    return found


def _generalise(key: str, known: set[str]) -> str:
    """Generalise an id: ``noteref-note-a`` → ``noteref-{id}``, ``index-3`` → ``index-{n}``.

    The slot is the longest hyphenated part that is an edition id (``note-a``).
    """
    parts = key.split("-")
    for size in range(len(parts) - 1, 0, -1):
        for start in range(len(parts) - size + 1):
            if "-".join(parts[start : start + size]) in known:
                return "-".join([*parts[:start], SLOT, *parts[start + size :]])
    return "-".join(NUMBER if p.isdigit() else p for p in parts)


def _matches(pattern: str, key: str, known: set[str]) -> bool:
    """Whether ``key`` is the reserved id ``pattern``.

    In a pattern, ``{id}`` stands for any edition id and ``{n}`` for a number.
    """
    if SLOT in pattern:
        before, after = pattern.split(SLOT, 1)
        middle = key[len(before) : len(key) - len(after)]
        return key.startswith(before) and key.endswith(after) and middle in known
    if NUMBER in pattern:
        parts, want = key.split("-"), pattern.split("-")
        return len(parts) == len(want) and all(
            p.isdigit() if w == NUMBER else p == w for p, w in zip(parts, want, strict=True)
        )
    return key == pattern


# ---------------------------------------------------------------- checks


def removed(published: Registry, current: Registry, registry_name: str) -> list[str]:
    """One message per published page or anchor that ``current`` no longer has."""
    problems = [
        f"published page {page} would disappear; restore the page, or, if it must go, "
        f"remove it from {registry_name} in a reviewed change (and redirect it)"
        for page in sorted(set(published.pages) - set(current.pages))
    ]
    problems += [
        f'published anchor {page}#{anchor} would disappear; restore the xml:id "{anchor}" '
        f"on an element shown on {page}, or, if it must go, remove it from {registry_name} "
        "in a reviewed change"
        for page, anchor in sorted(published.items() - current.items())
    ]
    return problems


def word_changes(published: Registry, snap: Snapshot) -> list[str]:
    """One ``FILE:LINE`` message per published anchor whose words changed unrecorded.

    A change record (``change/@target``) for an anchor covers the anchors that
    hold it too (its paragraph's words include its note's; a section's words
    include a paragraph the new version adds). Only the innermost
    unrecorded anchor of a chain is named: recording it covers its containers.
    The record must carry the TEI's current version, newer than the version
    that published the old words.
    """
    changed = {
        key
        for key, w in published.words.items()
        if key in snap.anchors and snap.anchors[key].digest != w.digest
    }
    recorded: dict[str, str] = {}
    for change in snap.changes:
        for target in change.targets:
            if version_key(change.n) > version_key(recorded.get(target, "")):
                recorded[target] = change.n

    def containers(key: str) -> set[str]:
        seen: set[str] = set()
        todo = list(snap.anchors[key].within) if key in snap.anchors else []
        while todo:
            up = todo.pop()
            if up not in seen:
                seen.add(up)
                todo.extend(snap.anchors[up].within if up in snap.anchors else ())
        return seen

    def valid(key: str) -> bool:
        n = recorded.get(key, "")
        old = published.words.get(key)  # None: an anchor this version adds
        return n == snap.version and (old is None or version_key(n) > version_key(old.version))

    covered: set[str] = set()
    for key in recorded:
        if key in snap.anchors and valid(key):
            covered |= ({key} | containers(key)) & changed
    unexplained = changed - covered
    inner = {key for key in unexplained if not any(key in containers(o) for o in unexplained)}
    problems = []
    next_version = _next(published.latest() or snap.version)
    for key in sorted(inner, key=lambda k: snap.anchors[k].line):
        old = published.words[key].version
        n = recorded.get(key)
        if n and n != snap.version:
            why = f'its change record has n="{n}" but the edition\'s version is {snap.version}'
        elif n:
            why = f"its change record is for version {n}, which published the old words"
        else:
            why = "revisionDesc records no change for it"
        problems.append(
            f"{snap.where(key)}: the words under published anchor #{key} (version {old}) "
            f"changed and {why}; restore the published words, or record the correction: "
            f'<change when="YYYY-MM-DD" n="{next_version}" who="#..." target="#{key}">what '
            f'changed and why</change> in revisionDesc, with <edition n="{next_version}">'
        )
    return problems


def _next(version: str) -> str:
    """The version after ``version`` (``1.0`` → ``1.1``), for the message only."""
    key = version_key(version)
    return ".".join(map(str, (*key[:-1], key[-1] + 1))) if key else "1.1"


def version_problems(published: Registry, snap: Snapshot) -> list[str]:
    """The TEI's version must be a version, never older than one published or recorded."""
    where = f"{snap.file}:{snap.version_line}"
    if not VERSION.match(snap.version):
        return [
            f"{where}: the edition has no version number ({snap.version!r}); give "
            'editionStmt/edition an @n such as "1.0"'
        ]
    problems = []
    latest = published.latest()
    if latest and version_key(snap.version) < version_key(latest):
        problems.append(
            f"{where}: the edition's version {snap.version} is older than the published "
            f'version {latest}; set <edition n="..."> to {latest} or later'
        )
    for change in snap.changes:
        if change.n and version_key(change.n) > version_key(snap.version):
            problems.append(
                f"{snap.file}:{change.line}: this change is recorded for version {change.n}, "
                f'newer than the edition\'s version {snap.version}; set <edition n="{change.n}">'
            )
        if change.targets and not change.n:
            problems.append(
                f"{snap.file}:{change.line}: this change names anchors but no version; "
                f'give it n="{snap.version}" (the version that publishes it)'
            )
    return problems


def reserved_problems(published: Registry, snap: Snapshot) -> list[str]:
    """One ``FILE:LINE`` message per ``xml:id`` that the pages already use for themselves."""
    known = set(snap.anchors)
    problems = []
    for key, anchor in sorted(snap.anchors.items(), key=lambda kv: kv[1].line):
        for pattern, page in sorted(published.reserved.items()):
            if _matches(pattern, key, known):
                what = "that id" if pattern == key else f"the ids {pattern}"
                problems.append(
                    f'{snap.file}:{anchor.line}: xml:id "{key}" is an id the built pages '
                    f"already use for themselves ({what}, on {page}), so a link to it would "
                    "land on the wrong element; choose another xml:id"
                )
                break
    return problems


def duplicate_problems(site: Path, snap: Snapshot) -> list[str]:
    """An ``xml:id`` that stands twice on one built page collides with the page's own id."""
    problems = []
    for page in site_pages(site):
        counts = Counter(_all_ids(site / page))
        for key in sorted(k for k, n in counts.items() if n > 1 and k in snap.anchors):
            problems.append(
                f'{snap.where(key)}: xml:id "{key}" stands {counts[key]} times on {page}: '
                "the theme, Sphinx or the edition's HTML already uses that id there, so a "
                "link to it would land on the wrong element; choose another xml:id"
            )
    return problems


def stale_files(site: Path, made: set[str], published: Registry) -> tuple[list[str], list[str]]:
    """Files an earlier build left that this one no longer makes: (to remove, problems).

    ``made`` is what this build publishes beside its pages (the pipeline's
    downloads and DTS files), whether Sphinx copied them into ``site`` or the
    publishing step adds them later. A registered address that this build does
    not make stops it: it was cited, so it may not go. An unregistered leftover
    in ``site`` is removed.
    """
    problems = [
        f"published file {rel} would disappear: this build does not make it; restore what "
        "made it (a renamed TEI file? the name comes from the TEI), or remove it from the "
        "registry in a reviewed change"
        for rel in sorted(set(published.files) - made)
    ]
    remove = [rel for rel in site_files(site) if rel not in made and rel not in published.files]
    return remove, problems


def merged(published: Registry, current: Registry, snap: Snapshot) -> Registry:
    """The registry extended by everything ``current`` publishes, words and version.

    Words are recorded for every published anchor; changed words (already
    checked to be recorded) take the current version.
    """
    anchors: dict[str, set[str]] = {}
    for page, anchor in published.items() | current.items():
        anchors.setdefault(page, set()).add(anchor)
    words = dict(published.words)
    for _, anchor in current.items():
        now = snap.anchors[anchor].digest
        if anchor not in words or words[anchor].digest != now:
            words[anchor] = Words(now, snap.version)
    return Registry(
        sorted(set(published.pages) | set(current.pages)),
        {page: sorted(ids) for page, ids in anchors.items()},
        sorted(set(published.files) | set(current.files)),
        words,
        current.reserved or published.reserved,
        sorted(set(published.versions) | {snap.version}, key=version_key),
    )


def added(published: Registry, current: Registry) -> list[str]:
    """Pages, ``page#anchor`` pairs and files that ``current`` publishes for the first time."""
    pages = sorted(set(current.pages) - set(published.pages))
    return (
        pages
        + [f"{page}#{anchor}" for page, anchor in sorted(current.items() - published.items())]
        + sorted(set(current.files) - set(published.files))
    )


def publish_version(site: Path, version: str, extra: Path | None = None) -> Path:
    """Copy the built site into its version's folder, ``site/<version>/``.

    Citations name that address, so it must hold exactly these words. Earlier
    versions' folders are left as they are (the build stages a copy of the
    last good site, so they are kept from build to build). ``extra`` holds
    the files published beside the pages, if Sphinx did not copy them in.
    """
    if not VERSION.match(version):
        raise ValueError(f"not a version number: {version!r}")
    target = site / version
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in sorted(site.iterdir()):
        if VERSION.match(path.name) or path.name.startswith(".") or path.name.endswith(".new"):
            continue
        if path.is_dir():
            shutil.copytree(path, target / path.name, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(path), str(target / path.name))
    # The downloads and DTS files, where the publishing step (not Sphinx) adds them.
    if extra is not None and extra.is_dir():
        shutil.copytree(extra, target, copy_function=_link_or_copy, dirs_exist_ok=True)
    return target


def _link_or_copy(src: str, dst: str) -> None:
    """A hard link where the file system allows it, else a copy.

    The folder is rebuilt at every build: links cost no bytes, and publishing
    (scripts/build_site.py) sees the same file versions as the site's own and
    copies into the published version folder only what changed.
    """
    target = Path(dst)
    if target.exists():
        if target.samefile(src):  # the site already holds it (the downloads and DTS files)
            return
        target.unlink()
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)

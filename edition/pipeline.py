"""Read, model, render, write: the only module that writes files.

Pages are rendered in memory first, so a bad TEI file stops the build before
anything is written. Then only pages whose bytes changed are rewritten (Sphinx
re-reads a page whenever its modification time changes), and pages no longer
generated are removed.
"""

from __future__ import annotations

import array
import gc
import hashlib
import json
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from edition import anchors, citations, publish, reader, render, site_data, tei
from edition.folders import prune_empty, swap
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


# Files are published readable by everyone (a web server runs as another user);
# mkstemp would leave them 0600.
FILE_MODE = 0o644
# What the pipeline last wrote under ``EXTRA_DIR``: ``{path: digest}``.
# Kept beside that folder, so the folder holds only what is published.
DIGESTS = f"{EXTRA_DIR}.digests.json"


def _write_atomic(path: Path, text: str | bytes) -> None:
    """Write through a temporary file and rename, so no file is half-written.

    The rename also gives the file a new inode, which is what lets
    ``scripts/build_site.py`` publish these files as hard links: a file
    rewritten here never changes under a link the published site holds.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _digest(data: bytes) -> str:
    """A short content hash: equal digests mean the bytes need not be written again."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _read_digests(path: Path) -> dict[str, str] | None:
    """The record of the last run, or ``None`` when there is none to trust."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return None
    return data


def _write_tree(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into a new folder beside ``folder``, then put it in its place.

    Used when there is no record to compare with (a first build): plain
    writes into a fresh folder, no per-file rename, and the old folder (if
    any) is replaced in one rename, so a reader of it never sees half a set.
    Each top-level subfolder (``dts``, ``downloads``) is filled under a
    random name and renamed when full: see :func:`_spread_below` for why.
    """
    fresh = folder.with_name(folder.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)  # an edition may publish no file at all
    _spread_below(fresh)
    # Strings, not pathlib, and no os.path: this loop runs once per file (thousands).
    top = os.fspath(fresh)
    made: set[str] = {top}
    staged: dict[str, str] = {}  # top-level subfolder -> the name it is filled under
    for rel, data in files.items():
        head, slash, rest = rel.partition("/")
        if slash:
            if head not in staged:
                staged[head] = f".staging-{secrets.token_hex(8)}"
            path = f"{top}/{staged[head]}/{rest}"
        else:
            path = f"{top}/{rel}"
        parent = path.rpartition("/")[0]
        if parent not in made:
            os.makedirs(parent, exist_ok=True)  # noqa: PTH103
            made.add(parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
    for head, name in staged.items():
        os.rename(f"{top}/{name}", f"{top}/{head}")  # noqa: PTH104
    swap(fresh, folder)


# ext4's inode flag "top of a directory hierarchy" (chattr +T), through the
# FS_IOC_GETFLAGS / FS_IOC_SETFLAGS ioctls of <linux/fs.h>.
_GETFLAGS, _SETFLAGS, _TOPDIR = 0x80086601, 0x40086602, 0x00020000


def _spread_below(folder: Path) -> None:
    """Ask ext4 to place the folders made in ``folder`` as it places top-level ones.

    Without a journal, ext4 does not reuse an inode freed in the last 60 to
    300 seconds, and finds that out by walking the freed inodes one by one
    for every new file (``recently_deleted`` in ``fs/ext4/ialloc.c``). A new
    folder goes into its parent's block group, so after a build folder was
    deleted every file of the next build pays that walk: 0.3-1.3 ms a file
    instead of 35 us, which made writing the 15,700 files of the 100x
    edition 5-20 s instead of 0.6 s. The subfolders of a folder with this
    flag are spread like top-level folders, into a group with free inodes,
    starting the search at a hash of their name: hence the random names
    they are filled under (a fixed name would find the same group again,
    the one the last build's files were just freed from). Only a placement
    hint: on another file system, or without permission, nothing changes.
    """
    if sys.platform != "linux":  # the ioctl numbers are Linux's
        return
    import fcntl  # POSIX only: not at the top, so the module imports everywhere

    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        flags = array.array("i", [0])  # the kernel reads and writes a C int
        fcntl.ioctl(fd, _GETFLAGS, flags, True)
        fcntl.ioctl(fd, _SETFLAGS, array.array("i", [flags[0] | _TOPDIR]), True)
    except OSError:
        pass  # not ext4 (tmpfs, a network file system) or not allowed: the usual placement
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is out (a single call may write fewer)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_extra(files: dict[str, bytes], source_dir: Path) -> Report:
    """Write the files published beside the pages (downloads, DTS) under ``EXTRA_DIR``.

    Sphinx never reads or copies this folder (``scripts/build_site.py``
    publishes it). Each file's digest is recorded, so a later run compares
    digests instead of reading thousands of files back, and rewrites only
    files whose bytes changed; files no longer published are removed.
    """
    report = Report()
    folder = source_dir / EXTRA_DIR
    record = source_dir / DIGESTS
    digests = {rel: _digest(data) for rel, data in files.items()}
    previous = _read_digests(record) if folder.is_dir() else None
    if previous is None:
        _write_tree(folder, files)
        report.written = [f"{EXTRA_DIR}/{rel}" for rel in sorted(files)]
    else:
        top = os.fspath(folder)  # strings, not pathlib: once per file (thousands)
        for rel in sorted(files):
            data = files[rel]
            if previous.get(rel) == digests[rel] and _has_size(f"{top}/{rel}", len(data)):
                report.unchanged.append(f"{EXTRA_DIR}/{rel}")
                continue
            _write_atomic(folder / rel, data)
            report.written.append(f"{EXTRA_DIR}/{rel}")
        for rel in sorted(set(previous) - set(files)):
            (folder / rel).unlink(missing_ok=True)
            prune_empty(folder / rel, folder)
            report.removed.append(f"{EXTRA_DIR}/{rel}")
    if previous != digests:
        # One line: compact JSON is written by the C encoder (15,000 entries at 100x).
        _write_atomic(record, json.dumps(digests, sort_keys=True, separators=(",", ":")) + "\n")
    return report


def _has_size(path: str, size: int) -> bool:
    """Whether ``path`` is a file of ``size`` bytes (a cheap check that it is still there)."""
    try:
        return os.stat(path).st_size == size  # noqa: PTH116 (a string: once per file)
    except OSError:
        return False


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
        for rel in _stale_pages(source_dir, generated, pages):
            (source_dir / rel).unlink()
            report.removed.append(rel)
    return report


def _stale_pages(source_dir: Path, generated: Path, pages: dict[str, str]) -> list[str]:
    """Files under ``generated`` that are not ``pages`` (nor the extra files), in path order.

    The extra folder (thousands of files, which :func:`write_extra` keeps
    itself) is not walked at all: on a rebuild the walk through it was most
    of the cost of writing the pages.
    """
    kept = (EXTRA_DIR + "/", EXTRA_DIR + ".")
    top = os.fspath(source_dir)
    stale = []
    for folder, subfolders, names in os.walk(generated):
        base = os.path.relpath(folder, top).replace(os.sep, "/")
        subfolders[:] = [d for d in subfolders if not f"{base}/{d}/".startswith(kept)]
        for name in names:
            rel = f"{base}/{name}"
            if rel in pages or rel.startswith(kept):
                continue
            if os.path.isfile(f"{folder}/{name}"):  # noqa: PTH113 (as Path.is_file)
                stale.append(rel)
    return sorted(stale, key=lambda rel: rel.split("/"))  # pathlib's order, part by part


def stage_sources(from_dir: Path) -> dict[str, str]:
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


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Hold Python's cycle collector off for the transform, then restore it.

    The transform allocates hundreds of thousands of objects (model nodes,
    strings, the site data) and keeps most of them alive until it ends, so
    the collector's passes find almost nothing to free but walk the whole
    heap each time: at 100x they cost about 0.2 s, a third of the budget.
    What they would free (a few cycles) is freed by the next collection
    after the transform.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(
    tei_path: Path,
    source_dir: Path,
    schema_path: Path = tei.DEFAULT_SCHEMA,
    stage_from: Path | None = None,
) -> Report:
    """Run the whole transform: TEI file in, MyST pages out."""
    with _no_cycle_collection():
        return _build(tei_path, source_dir, schema_path, stage_from)


def _build(tei_path: Path, source_dir: Path, schema_path: Path, stage_from: Path | None) -> Report:
    """:func:`build`'s steps: load, read, render, then write what changed."""
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
        staged = write_pages(stage_sources(stage_from), source_dir, prune=False)
        report.written += staged.written
        report.unchanged += staged.unchanged
    return report


def citation_file(tei_path: Path, schema_path: Path = tei.DEFAULT_SCHEMA) -> str:
    """The CITATION.cff of ``tei_path``: its citation at the version's own address (/en/1.1/)."""
    from edition import citations
    from edition.citations import cff

    doc = tei.load(tei_path, schema_path)
    edition = reader.read(doc)
    base = versioned_base_url(edition.header.version, citations.DEFAULT_BASE_URL)
    return cff.render(citations.build(doc, edition, base), edition.header.licence_url)

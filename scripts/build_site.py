#!/usr/bin/env python3
"""Run Sphinx on the generated pages, publishing the result only if it is clean.

Three folders beside ``--out`` (e.g. ``_build/html``):

``sphinx-html/`` and ``doctrees-html/``
    Sphinx's own output and environment, kept between builds so that Sphinx
    re-reads only pages whose files changed (the pipeline rewrites only
    those). Never published as they are: Sphinx writes its files in place.
``html/``
    The published site: Sphinx's output plus the pipeline's downloads and DTS
    files (``edition/_extra`` in the source folder, which Sphinx neither reads
    nor copies). Only a clean build (warnings are errors; with ``--anchors``,
    one that keeps every published anchor) is published.

Publishing costs what changed, not the size of the site: the record
``html.manifest.json`` says which version of each file the site holds (size,
modification time and inode of the file it came from); files whose version
changed are copied (Sphinx's output) or hard-linked (the pipeline's files,
which it always replaces by rename, so a link never sees a later write) under
a temporary name, then renamed into place; files no longer built are removed.
The first build, or one whose record is missing, publishes a fresh folder in
one rename.

A failed build leaves the published site exactly as it was, exits non-zero,
and discards Sphinx's working state, so the next build starts cold and
reports the same warnings again instead of trusting pages read in a failed run.

With ``--pages`` the pipeline (``scripts/build_pages.py``) runs first, in a
forked child process, while this process imports Sphinx, its extensions and
the anchor check (``scripts/check_anchors.py``, which then runs here): with
two cores the pipeline's imports and transform overlap Sphinx's start, and
this process never loads the pipeline's code. ``make html`` runs this. With
``--sphinx if-changed`` Sphinx runs only when the pipeline wrote or removed a
file (or Sphinx's working state is gone), so an edit that changes no
generated file stops after the pipeline.

Sphinx writes only the pages whose sources changed (no ``-a``): the search
index's index entries of the other pages, which Sphinx 9 does not carry over
by itself, are read back from the last index by the edition's extension
(``restore_index_entries``).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import io
import json
import os
import re
import shutil
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

# Only the standard library and light modules are imported at start: the
# pipeline's child process must be running before the parent loads Sphinx.
import build_pages  # noqa: E402

from edition.folders import prune_empty, swap  # noqa: E402
from edition.project import conf_setting  # noqa: E402

# A published version's folder at the site root (e.g. ``1.0/``): once published it is
# kept as it is, even when this build no longer produces it (anchors are forever).
VERSION = re.compile(r"^\d+(\.\d+)+(/|$)")
# Builders whose output is a website that carries the downloads and DTS files.
SITE_BUILDERS = {"html", "dirhtml", "singlehtml"}
TMP_SUFFIX = ".publishing"
# The build runs without cyclic garbage collection (see :func:`main`). A doctree
# is a web of parent links that lives until its page is pickled or written, so a
# collection walks it and frees almost nothing: on an edition 100 times the
# memo's size Python's thresholds cost 7 of Sphinx's 40 CPU seconds, and rarer
# collections (50,000, 20, 100) still 2.5 s in 49 collections. Without them the
# peak memory of that build is 504 MB instead of 408 MB (the trees of written
# pages are freed when the process ends), and of the memo's a few MB more.
# What the parent loads while the pipeline runs: the modules a Sphinx run imports
# anyway (with the extensions conf.py names), and the edition's code it uses after.
WARM_MODULES = (
    "sphinx.cmd.build",
    "sphinx.application",
    "sphinx.builders.html",
    "check_anchors",
)

# A file's version: (size, mtime in ns, inode) of the file it is published from.
Version = tuple[int, int, int]


@dataclass(frozen=True)
class Published:
    """What one publishing run did to the site."""

    copied: int
    linked: int
    removed: int
    fresh: bool


def _prune_stale(source: Path, out: Path, builder: str) -> None:
    """Remove output pages whose source page no longer exists (Sphinx keeps them)."""
    if builder != "html" or not out.exists():
        return
    for page in out.rglob("*.html"):
        rel = page.relative_to(out).with_suffix("")
        if rel.parts[0].startswith("_") or rel.as_posix() in {"genindex", "search", "404"}:
            continue
        if VERSION.match(rel.parts[0]):  # an earlier version's folder: kept as published
            continue
        if not (source / rel.with_suffix(".md")).exists():
            page.unlink()


def _files(top: Path) -> dict[str, tuple[str, Version]]:
    """Every file below ``top``: ``{relative path: (absolute path, version)}``."""
    found: dict[str, tuple[str, Version]] = {}
    if not top.is_dir():
        return found
    stack = [(str(top), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + "/"))
                elif entry.name.endswith(TMP_SUFFIX) or entry.name.startswith(".tmp-"):
                    continue  # a half-finished write of an interrupted run
                else:
                    st = entry.stat()
                    found[rel] = (entry.path, (st.st_size, st.st_mtime_ns, st.st_ino))
    return found


def _place(src: str, dest: Path, link: bool) -> bool:
    """Put a copy (or a hard link) of ``src`` at ``dest``; True if it is a link."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if link:
        try:
            os.link(src, dest)
            return True
        except OSError:  # another file system, or links not supported: copy
            pass
    shutil.copy2(src, dest)
    return False


def _read_record(path: Path) -> dict[str, Version] | None:
    """The versions the published site holds, or ``None`` if that is not known."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {rel: (int(v[0]), int(v[1]), int(v[2])) for rel, v in data.items()}
    except (OSError, ValueError, TypeError, IndexError, AttributeError):
        return None


def _write_record(path: Path, versions: dict[str, Version]) -> None:
    tmp = path.with_name(path.name + TMP_SUFFIX)
    tmp.write_text(json.dumps(versions, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def _fresh_folder(out: Path) -> Path:
    """Where a fresh site is put together before it takes the place of ``out``."""
    return out.with_name(out.name + ".new")


def _publishes_fresh(out: Path, record: Path) -> bool:
    """True when :func:`publish` will make a fresh folder (no site, or no usable record)."""
    return not out.is_dir() or _read_record(record) is None


def _link_all(extra: Path, fresh: Path) -> dict[str, tuple[str, Version]]:
    """Hard-link (or copy) every file of ``extra`` into the empty folder ``fresh``."""
    shutil.rmtree(fresh, ignore_errors=True)
    found = _files(extra)
    for rel, (src, _) in found.items():
        _place(src, fresh / rel, link=True)
    return found


def _prelink(extra: Path, fresh: Path) -> Callable[[], dict[str, tuple[str, Version]] | None]:
    """Start linking the pipeline's files into a fresh site folder in a child process.

    Why: a first publish of an edition 100 times the memo's size makes 15,700
    hard links (about a second); Sphinx, running meanwhile in this process,
    uses one core, so the links cost no wall time on the other. Returns a
    function that waits and gives the files linked (as :func:`_files` gives
    them), or ``None`` if the child failed (then :func:`publish` links them).
    """

    def link() -> dict[str, tuple[str, Version]] | None:
        try:
            return _link_all(extra, fresh)
        except BaseException:  # the parent links them itself
            return None

    wait = _forked(link, None)

    def linked() -> dict[str, tuple[str, Version]] | None:
        found = wait()
        try:
            return {
                str(rel): (str(v[0]), (int(v[1][0]), int(v[1][1]), int(v[1][2])))
                for rel, v in found.items()
            }
        except (TypeError, IndexError, AttributeError, ValueError):
            return None

    return linked


def publish(
    built: Path,
    extra: Path | None,
    out: Path,
    record: Path,
    prelinked: dict[str, tuple[str, Version]] | None = None,
) -> Published:
    """Make ``out`` hold exactly the files of ``built`` and ``extra``, touching only changes.

    ``built`` is copied from (its writer rewrites files in place); ``extra``
    is hard-linked from (its writer replaces files by rename). ``prelinked``:
    the files of ``extra``, already linked into the fresh folder
    (:func:`_prelink`), for a first publish.
    """
    sources = {rel: (*found, False) for rel, found in _files(built).items()}
    extra_files = prelinked if prelinked is not None else _files(extra) if extra else {}
    for rel, found in extra_files.items():
        if rel in sources:
            raise SystemExit(f"{extra} holds {rel}, which would overwrite {built / rel}")
        sources[rel] = (*found, True)
    versions = {rel: version for rel, (_, version, _) in sources.items()}
    previous = _read_record(record) if out.is_dir() else None
    fresh = _fresh_folder(out)
    if previous is None:
        if prelinked is None:
            shutil.rmtree(fresh, ignore_errors=True)
        linked = len(prelinked or ()) + sum(
            _place(src, fresh / rel, link)
            for rel, (src, _, link) in sources.items()
            if prelinked is None or rel not in prelinked
        )
        for rel, (src, version) in _files(out).items():  # earlier versions stay published
            if VERSION.match(rel) and rel not in sources:
                _place(src, fresh / rel, link=True)
                versions[rel] = version
        fresh.mkdir(parents=True, exist_ok=True)
        swap(fresh, out)
        _write_record(record, versions)
        return Published(len(sources) - linked, linked, 0, fresh=True)
    if prelinked is not None:
        shutil.rmtree(fresh, ignore_errors=True)
    changed = [rel for rel, version in versions.items() if previous.get(rel) != version]
    gone = [rel for rel in previous if rel not in versions and not VERSION.match(rel)]
    # earlier versions' files stay recorded (and published) though this build lacks them
    versions.update(
        {rel: v for rel, v in previous.items() if rel not in versions and VERSION.match(rel)}
    )
    linked = 0
    staged = []
    for rel in changed:  # everything new is in place under a temporary name first ...
        src, _, link = sources[rel]
        tmp = out / (rel + TMP_SUFFIX)
        tmp.unlink(missing_ok=True)
        linked += _place(src, tmp, link)
        staged.append((tmp, out / rel))
    for tmp, dest in staged:  # ... then each file is swapped by a rename
        tmp.replace(dest)
    for rel in gone:
        path = out / rel
        path.unlink(missing_ok=True)
        prune_empty(path, out)
    _write_record(record, versions)
    return Published(len(changed) - linked, linked, len(gone), fresh=False)


def _forked(work: Callable[[], Any], what: str | None) -> Callable[[], Any]:
    """Start ``work`` in a forked process; return a function that waits for its result.

    The result comes back as JSON on a pipe (``None`` when the process ended
    without one; then ``what``, if given, is named in a line on stderr). An
    unexpected error in ``work`` is printed as Python would. Without
    ``os.fork`` (Windows) ``work`` simply runs first, here.
    """
    if not hasattr(os, "fork"):
        result = work()
        return lambda: result
    readable, writable = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: run, report on the pipe, exit at once
        os.close(readable)
        report = b"null"
        try:
            report = json.dumps(work()).encode()
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            with os.fdopen(writable, "wb") as pipe:
                pipe.write(report)
            os._exit(0)
    os.close(writable)

    def wait() -> Any:
        with os.fdopen(readable, "rb") as pipe:
            data = pipe.read()
        _, how = os.waitpid(pid, 0)
        try:
            found = json.loads(data) if how == 0 else None
        except ValueError:
            found = None
        if found is None and what:
            print(f"{what} ended without a result", file=sys.stderr)
        return found

    return wait


def _in_child(work: Callable[[], tuple[int, bool]]) -> Callable[[], tuple[int, bool]]:
    """Start the pipeline's ``work`` in a forked process (:func:`_forked`).

    Why: with two or more cores the pipeline (its imports and the transform)
    runs while this process loads Sphinx, which the build needs either way.
    The function returned waits for ``(status, changed)``; a process that
    ended without them is a failed build.
    """

    def run() -> tuple[int, bool]:
        try:
            return work()
        except BaseException:  # printed as Python would; the build fails
            traceback.print_exc()
            return 1, False

    wait = _forked(run, "the pipeline's process")

    def result() -> tuple[int, bool]:
        found = wait()
        if not isinstance(found, list | tuple) or len(found) != 2:
            return 1, False
        return int(found[0]), bool(found[1])

    return result


def _conf_extensions() -> list[str]:
    """The extensions ``conf.py`` names (a literal list), read without running it."""
    try:
        return [str(name) for name in conf_setting("extensions")]
    except (OSError, SyntaxError, KeyError, ValueError, TypeError):
        return []  # Sphinx reports a broken conf.py in its own words


def _warm_up() -> str:
    """Import what Sphinx and the later steps will import; return what that printed.

    A module that fails to import is left for Sphinx to report in its own words.
    What the imports print (an extension's notice) is kept, to be shown only if
    Sphinx runs, as it was before the imports moved here.
    """
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for name in (*WARM_MODULES, *_conf_extensions()):
            try:
                importlib.import_module(name)
            except Exception:  # Sphinx reports it in its own words when it loads the module
                continue
    return printed.getvalue()


def _check_anchors(source: Path, registry: Path, *more: str) -> int:
    """Check the pipeline's anchors against the registry (``check_anchors.py``, in process)."""
    import check_anchors

    return check_anchors.main(["--source", str(source), "--registry", str(registry), *more])


def _extra_folder(source: Path) -> Path:
    """The folder of the pipeline's downloads and DTS files, as its data file names it.

    Read from ``edition/_site.json`` through the metadata extension's reader,
    which keeps it for Sphinx's run (12 MB at 100 times the memo's size, read
    once), so the pipeline's code need not be loaded here.
    """
    from edition.sphinx_ext.metadata import SITE_DATA, read_site_data

    return source / str(read_site_data(source / SITE_DATA)["extra_dir"])


def _sphinx_state_kept(work: Path, doctrees: Path, record: Path, out: Path) -> bool:
    """True when Sphinx's working state and the published site of an earlier build are there."""
    return work.is_dir() and doctrees.is_dir() and record.is_file() and out.is_dir()


class _Stop(BaseException):
    """Sphinx is stopped before it reads anything: the build ends with ``status``.

    A ``BaseException``, so that neither Sphinx's event manager nor
    ``build_main`` takes it for an extension's error and reports it.
    """

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Held(io.TextIOBase):
    """A stream that keeps what is written until :meth:`release`, then writes through.

    Sphinx's first lines wait for the pipeline's report, so the output reads
    in the order the steps happen (and a build the pipeline refuses prints
    nothing of Sphinx's).
    """

    def __init__(self, stream: Any) -> None:
        super().__init__()
        self.stream = stream
        self.kept: list[str] | None = []

    def write(self, text: str) -> int:
        if self.kept is None:
            return int(self.stream.write(text))
        self.kept.append(text)
        return len(text)

    def flush(self) -> None:
        if self.kept is None:
            self.stream.flush()

    def isatty(self) -> bool:
        return bool(self.stream.isatty())

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self.stream, "encoding", "utf-8"))

    def release(self) -> None:
        kept, self.kept = self.kept or [], None
        self.stream.write("".join(kept))
        self.stream.flush()


def _sphinx(ready: Callable[[], None], argv: list[str], source: Path) -> int | _Stop:
    """Run Sphinx (``build_main``) here; ``ready`` is called before Sphinx reads any page.

    Why: Sphinx spends its first half second loading its extensions, which
    read nothing of the pipeline's; with ``--pages`` that now happens while
    the pipeline's process writes the pages, and ``ready`` (which waits for
    it) runs when the extensions are loaded, before the configuration is
    complete (``config-inited``, where the version is read from the
    pipeline's data) and before the output folder is made. What Sphinx
    prints until then is held and printed after ``ready``; if ``ready``
    raises :class:`_Stop`, it is dropped and the stop is returned.
    """
    from sphinx.application import Sphinx
    from sphinx.cmd import build

    out, err = sys.stdout, sys.stderr
    held_out, held_err = _Held(out), _Held(err)
    called = False

    class AfterPipeline(Sphinx):
        """Sphinx, waiting for the pipeline once its extensions are loaded."""

        def preload_builder(self, name: str) -> None:
            nonlocal called
            called = True
            sys.stdout, sys.stderr = out, err
            ready()
            held_out.release()
            held_err.release()
            sys.stdout, sys.stderr = held_out, held_err
            super().preload_builder(name)

    source.mkdir(parents=True, exist_ok=True)  # Sphinx checks that it is there
    original = build.Sphinx  # type: ignore[attr-defined]
    build.Sphinx = AfterPipeline  # type: ignore[attr-defined]
    sys.stdout, sys.stderr = held_out, held_err
    try:
        status = build.build_main(argv)
    except _Stop as stop:
        held_out.kept = held_err.kept = None  # what Sphinx printed so far is dropped
        return stop
    finally:
        build.Sphinx = original  # type: ignore[attr-defined]
        sys.stdout, sys.stderr = out, err
        for held in (held_out, held_err):
            if held.kept is not None:  # Sphinx failed before it loaded its extensions
                held.release()
    if not called:  # no pipeline wait happened: still check and prepare as before
        try:
            ready()
        except _Stop as stop:
            return stop
    return status


def main(argv: list[str] | None = None) -> int:
    """Build with Sphinx into its working folder, check, then publish what changed.

    Without cyclic garbage collection (why: the note above ``WARM_MODULES``); a
    caller in the same process gets it back as it was.
    """
    collecting = gc.isenabled()
    gc.disable()  # before the fork: the pipeline's process too
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()


def _main(argv: list[str] | None) -> int:
    """:func:`main`'s steps."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "source")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--builder", default="html")
    parser.add_argument(
        "--anchors",
        type=Path,
        default=None,
        metavar="REGISTRY",
        help="publish only if the site keeps every page and anchor in REGISTRY; record new ones",
    )
    # The pipeline's options (``--tei`` also names the file the anchor check reports on).
    build_pages.add_arguments(parser)
    parser.add_argument(
        "--pages",
        action="store_true",
        help="run the pipeline (scripts/build_pages.py) on --tei into --source first",
    )
    parser.add_argument(
        "--pages-stamp",
        type=Path,
        default=None,
        metavar="FILE",
        help="with --pages: touch FILE when the pipeline succeeded",
    )
    parser.add_argument(
        "--sphinx",
        choices=("always", "if-changed"),
        default="always",
        help="with --pages, if-changed: run Sphinx only if the pipeline wrote or removed a file",
    )
    args, extra_args = parser.parse_known_args(argv)
    out: Path = args.out.resolve()
    source: Path = args.source.resolve()
    work = out.with_name(f"sphinx-{args.builder}")
    doctrees = out.with_name(f"doctrees-{args.builder}")
    record = out.with_name(out.name + ".manifest.json")
    quiet = "-q" in extra_args or "--quiet" in extra_args
    checked = args.anchors is not None and args.builder == "html"
    out.parent.mkdir(parents=True, exist_ok=True)
    pipeline: Callable[[], tuple[int, bool]] | None = None
    notices = ""
    if args.pages:
        pipeline = _in_child(
            lambda: build_pages.run(
                args.tei, source, args.schema, args.stage_from, args.changed_stamp, quiet
            )
        )
        notices = _warm_up()
    prelinked: Callable[[], dict[str, tuple[str, Version]] | None] = lambda: None  # noqa: E731

    def ready() -> None:
        """The pipeline's pages are there and checked: Sphinx may read them (or stop)."""
        nonlocal prelinked
        if pipeline is not None:
            status, changed = pipeline()
            if status != 0:  # its problems are printed, one located line each
                raise _Stop(status)
            if args.pages_stamp is not None:
                args.pages_stamp.parent.mkdir(parents=True, exist_ok=True)
                args.pages_stamp.touch()
            if (
                args.sphinx == "if-changed"
                and not changed
                and _sphinx_state_kept(work, doctrees, record, out)
            ):
                if not quiet:
                    print(f"nothing Sphinx reads has changed; {out} is up to date")
                raise _Stop(0)
        # Before Sphinx: changed words, the version, ids the pages use (FILE:LINE each).
        if checked and _check_anchors(source, args.anchors) != 0:
            print(f"check_anchors.py failed; {out} is left as it was", file=sys.stderr)
            raise _Stop(2)
        _prune_stale(source, work, args.builder)
        if args.builder in SITE_BUILDERS and _publishes_fresh(out, record):
            prelinked = _prelink(_extra_folder(source), _fresh_folder(out))
        sys.stdout.write(notices)

    source_made = not source.exists()
    work_made = not work.exists()
    status = _sphinx(
        ready,
        [
            "-c",
            str(ROOT),
            "-b",
            args.builder,
            "-W",
            "--keep-going",
            # Plain text unless a person watches: Sphinx colours under CI=true, and
            # make's callers (the tests, the bench) read its "updating environment" line.
            "--color" if sys.stdout.isatty() else "--no-color",
            "-d",
            str(doctrees),
            *extra_args,
            str(source),
            str(work),
        ],
        source,
    )
    if isinstance(status, _Stop):  # Sphinx stopped before it read or wrote anything
        if work_made:
            shutil.rmtree(work, ignore_errors=True)
        if source_made and status.status != 0:
            shutil.rmtree(source, ignore_errors=True)
        return status.status
    step = "sphinx-build"
    if status == 0 and checked:
        # Before publishing: a site that would lose a published anchor is not published.
        step = "check_anchors.py"
        more = ["--site", str(work), "--update", "--published", str(out)]
        status = _check_anchors(source, args.anchors, *more)
    linked = prelinked()
    if status != 0:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(doctrees, ignore_errors=True)
        shutil.rmtree(_fresh_folder(out), ignore_errors=True)
        print(f"{step} failed (exit {status}); {out} is left as it was", file=sys.stderr)
        return status
    extra = _extra_folder(source) if args.builder in SITE_BUILDERS else None
    done = publish(work, extra, out, record, linked)
    if not quiet:
        how = "a fresh folder" if done.fresh else "in place"
        print(
            f"published {out} ({how}): {done.copied} copied, {done.linked} linked, "
            f"{done.removed} removed"
        )
    return 0


if __name__ == "__main__":
    code = main()
    # Why not a normal exit: freeing the heap of a large build object by object
    # (doctrees, the environment, the search index) took up to 2 s after the site
    # was published. Every file is written and closed by now; only the buffers of
    # the standard streams are left to flush.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

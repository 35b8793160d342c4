#!/usr/bin/env python3
"""Run Sphinx on the generated pages, publishing the result only if it is clean.

Sphinx builds into a copy of the last good output, with warnings as errors;
only a clean build (and, with ``--anchors``, one that keeps every published
anchor) replaces the published folder, in two renames. A failed build leaves
the last good site exactly as it was and exits non-zero.

The build is incremental: Sphinx re-reads only pages whose files changed
(the pipeline rewrites only those). It writes every output page (``-a``) and
rebuilds the search index from scratch, because an incremental Sphinx 9.0
keeps stale terms in ``searchindex.js`` and drops the index entries of pages it
does not rewrite, and sphinx-sitemap lists only the pages written in a run.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A published version's folder (edition/anchors.py: VERSION).
VERSION = re.compile(r"^\d+(\.\d+)+$")


def _copy(src: Path, dst: Path) -> None:
    """Replace ``dst`` by a copy of ``src`` (keeping modification times)."""
    shutil.rmtree(dst, ignore_errors=True)
    if src.exists():
        shutil.copytree(src, dst, copy_function=shutil.copy2)


def _prune_stale(source: Path, out: Path, builder: str) -> None:
    """Remove output pages whose source page no longer exists."""
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


def _swap(new: Path, current: Path) -> None:
    """Put ``new`` in the place of ``current``."""
    old = current.with_name(current.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        current.rename(old)
    new.rename(current)
    shutil.rmtree(old, ignore_errors=True)


def _check_anchors(source: Path, registry: Path) -> list[str]:
    """The command that checks the pipeline's anchors against the registry."""
    script = ROOT / "scripts" / "check_anchors.py"
    return [sys.executable, str(script), "--source", str(source), "--registry", str(registry)]


def main(argv: list[str] | None = None) -> int:
    """Build with Sphinx into staging folders, then swap them in."""
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
    # Accepted for older command lines; the anchor check reads the pipeline's data, not the TEI.
    parser.add_argument("--tei", type=Path, default=None, help=argparse.SUPPRESS)
    args, extra = parser.parse_known_args(argv)
    out: Path = args.out.resolve()
    doctrees = out.with_name(f"doctrees-{args.builder}")
    stage_out = out.with_name(out.name + ".new")
    stage_doctrees = doctrees.with_name(doctrees.name + ".new")
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.anchors is not None and args.builder == "html":
        # Before Sphinx: changed words, the version, ids the pages use (FILE:LINE each).
        check = _check_anchors(args.source, args.anchors)
        if subprocess.run(check, check=False).returncode != 0:
            print(f"check_anchors.py failed; {out} is left as it was", file=sys.stderr)
            return 2
    _copy(out, stage_out)
    _copy(doctrees, stage_doctrees)
    (stage_out / "searchindex.js").unlink(missing_ok=True)
    _prune_stale(args.source, stage_out, args.builder)
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-c",
        str(ROOT),
        "-b",
        args.builder,
        "-W",
        "-a",
        "--keep-going",
        "-d",
        str(stage_doctrees),
        *extra,
        str(args.source),
        str(stage_out),
    ]
    result = subprocess.run(command, check=False)
    step = "sphinx-build"
    if result.returncode == 0 and args.anchors is not None and args.builder == "html":
        # Before the swap: a site that would lose a published anchor is not published.
        step = "check_anchors.py"
        check = [*_check_anchors(args.source, args.anchors), "--site", str(stage_out), "--update"]
        result = subprocess.run(check, check=False)
    if result.returncode != 0:
        shutil.rmtree(stage_out, ignore_errors=True)
        shutil.rmtree(stage_doctrees, ignore_errors=True)
        print(
            f"{step} failed (exit {result.returncode}); {out} is left as it was",
            file=sys.stderr,
        )
        return result.returncode
    _swap(stage_doctrees, doctrees)
    _swap(stage_out, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

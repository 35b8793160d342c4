#!/usr/bin/env python3
"""Turn the TEI master file into the edition's MyST pages under ``source/``.

Usage: ``python scripts/build_pages.py [--tei FILE] [--source DIR] [--changed-stamp FILE]``.
Exit status 0 on success, 2 for bad input (each problem printed as
``FILE:LINE:COLUMN: what is wrong; how to fix it``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(
    tei: Path,
    source: Path,
    schema: Path | None = None,
    stage_from: Path | None = None,
    changed_stamp: Path | None = None,
    quiet: bool = False,
) -> tuple[int, bool]:
    """Run the pipeline and report; return the exit status and whether a file changed.

    ``schema`` defaults to the project's (:data:`edition.tei.DEFAULT_SCHEMA`).
    ``scripts/build_site.py --pages`` calls this in a child process while it
    loads Sphinx, so the edition's code is imported here, not at module level.
    """
    from edition.errors import EditionError
    from edition.pipeline import build
    from edition.tei import DEFAULT_SCHEMA

    try:
        report = build(tei, source, schema or DEFAULT_SCHEMA, stage_from)
    except EditionError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2, False
    changed = bool(report.written or report.removed)
    if changed_stamp is not None and (changed or not changed_stamp.exists()):
        changed_stamp.parent.mkdir(parents=True, exist_ok=True)
        changed_stamp.touch()
    if not quiet:
        print(
            f"pages: {len(report.written)} written, {len(report.unchanged)} unchanged, "
            f"{len(report.removed)} removed",
            flush=True,
        )
    return 0, changed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The pipeline's options (shared with ``scripts/build_site.py --pages``)."""
    parser.add_argument("--tei", type=Path, default=ROOT / "tei" / "nucleus.xml")
    parser.add_argument(
        "--schema", type=Path, default=None, help="the RELAX NG schema (default: the project's)"
    )
    parser.add_argument(
        "--stage-from",
        type=Path,
        default=None,
        help="copy the hand-written pages from this folder into --source first",
    )
    parser.add_argument(
        "--changed-stamp",
        type=Path,
        default=None,
        metavar="FILE",
        help="touch FILE when a file was written or removed (or FILE is missing), so that "
        "make runs Sphinx only when something it reads has changed",
    )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the pipeline, report; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--source", type=Path, default=ROOT / "source")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    status, _ = run(
        args.tei, args.source, args.schema, args.stage_from, args.changed_stamp, args.quiet
    )
    return status


if __name__ == "__main__":
    sys.exit(main())

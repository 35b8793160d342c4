#!/usr/bin/env python3
"""Run Sphinx on the generated pages, publishing the result only if it is clean.

Sphinx builds into a copy of the last good output (so incremental builds stay
incremental) with warnings as errors; only a clean build replaces the
published folder, in two renames. A failed build leaves the last good site
exactly as it was and exits non-zero.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _copy(src: Path, dst: Path) -> None:
    """Replace ``dst`` by a copy of ``src`` (keeping modification times)."""
    shutil.rmtree(dst, ignore_errors=True)
    if src.exists():
        shutil.copytree(src, dst, copy_function=shutil.copy2)


def _swap(new: Path, current: Path) -> None:
    """Put ``new`` in the place of ``current``."""
    old = current.with_name(current.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        current.rename(old)
    new.rename(current)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Build with Sphinx into staging folders, then swap them in."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "source")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--builder", default="html")
    args, extra = parser.parse_known_args(argv)
    out: Path = args.out.resolve()
    doctrees = out.with_name(f"doctrees-{args.builder}")
    stage_out = out.with_name(out.name + ".new")
    stage_doctrees = doctrees.with_name(doctrees.name + ".new")
    out.parent.mkdir(parents=True, exist_ok=True)
    _copy(out, stage_out)
    _copy(doctrees, stage_doctrees)
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-c",
        str(ROOT),
        "-b",
        args.builder,
        "-W",
        "--keep-going",
        "-d",
        str(stage_doctrees),
        *extra,
        str(args.source),
        str(stage_out),
    ]
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        shutil.rmtree(stage_out, ignore_errors=True)
        shutil.rmtree(stage_doctrees, ignore_errors=True)
        print(
            f"sphinx-build failed (exit {result.returncode}); {out} is left as it was",
            file=sys.stderr,
        )
        return result.returncode
    _swap(stage_doctrees, doctrees)
    _swap(stage_out, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Folders the pipeline and the publishing step both manage: replaced whole, pruned.

Standard library only: ``scripts/build_site.py`` imports it without loading
the pipeline, whose code runs in another process.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def swap(new: Path, current: Path) -> None:
    """Put the folder ``new`` in the place of ``current`` by renames, and drop the old one."""
    old = current.with_name(current.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        current.rename(old)
    new.rename(current)
    shutil.rmtree(old, ignore_errors=True)


def prune_empty(path: Path, top: Path) -> None:
    """Remove the empty folders above a removed file ``path``, up to (not including) ``top``."""
    parent = path.parent
    while parent != top and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent

#!/usr/bin/env python3
"""Check that the edition keeps every address it published, and the words under its anchors.

Usage: ``python scripts/check_anchors.py --source DIR --registry FILE [--site DIR] [--update]``.

``--source`` is the folder the pipeline wrote (its ``edition/_anchors.json``
holds the TEI's ids, lines and word digests; the TEI is not read again).
Without ``--site`` the check runs before Sphinx: the edition's version, the
words under every published anchor, and ids the pages already use. With
``--site`` (the built site, before it is published) it also checks that no
published page, anchor or file is lost and that no ``xml:id`` stands twice on
a page; with ``--update`` it then removes files an earlier build left that
nobody cited, copies the site into its version's folder (``SITE/<version>/``),
and records what is new in the registry.

Exit status 0 when nothing published is lost or changed unrecorded; 2 when
something is, each problem printed as ``[FILE:LINE: ]what is wrong; how to fix
it``; 1 when an input is missing or unreadable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edition import anchors  # noqa: E402


def _load(args: argparse.Namespace) -> tuple[anchors.Snapshot, anchors.Registry] | str:
    """The pipeline's snapshot and the registry, or why they cannot be read."""
    data = args.source / anchors.DATA_FILE
    if not data.is_file():
        return f"{data}: no anchor data; run scripts/build_pages.py first"
    snap = anchors.Snapshot.load(data)
    if not args.registry.exists():
        if args.update or args.site is None:  # nothing published yet: nothing to lose
            return snap, anchors.Registry()
        return f"{args.registry} does not exist; create it with --update"
    try:
        return snap, anchors.Registry.load(args.registry)
    except (json.JSONDecodeError, AttributeError, TypeError, KeyError) as exc:
        return f"{args.registry}: not a registry of anchors ({exc})"


def main(argv: list[str] | None = None) -> int:
    """Compare the TEI's anchors (and the site) with the registry; report, and record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, default=ROOT / "source", help="the pipeline's output folder"
    )
    parser.add_argument("--registry", type=Path, default=ROOT / "published-anchors.json")
    parser.add_argument("--site", type=Path, default=None, help="the built HTML folder")
    parser.add_argument(
        "--update",
        action="store_true",
        help="with --site: remove uncited leftovers, publish the version's folder, record "
        "what is new (never removes anything from the registry)",
    )
    # Accepted from older command lines: the check reads the pipeline's data, never the TEI.
    parser.add_argument("--tei", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    loaded = _load(args)
    if isinstance(loaded, str):
        print(loaded, file=sys.stderr)
        return 1
    snap, published = loaded
    problems = anchors.version_problems(published, snap)
    problems += anchors.reserved_problems(published, snap)
    problems += anchors.word_changes(published, snap)
    site: Path | None = args.site
    if site is not None and not site.is_dir():
        print(f"{site}: no built site there", file=sys.stderr)
        return 1
    if site is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2 if problems else 0

    made = set(snap.files)
    current = anchors.published_by(site, snap)
    problems += anchors.removed(published, current, str(args.registry))
    problems += anchors.duplicate_problems(site, snap)
    leftovers, stale = anchors.stale_files(site, made, published)
    problems += stale
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 2

    new = anchors.added(published, current)
    revised = sorted(
        key
        for key, words in published.words.items()
        if key in snap.anchors and snap.anchors[key].digest != words.digest
    )
    if args.update:
        for rel in leftovers:
            (site / rel).unlink()
        current.files = sorted(set(current.files) - set(leftovers))
        # Read the Docs serves each version from its own tag's build.
        if not os.environ.get("READTHEDOCS"):
            extra = args.source / snap.extra_dir if snap.extra_dir else None
            anchors.publish_version(site, snap.version, extra)
        text = anchors.merged(published, current, snap).dumps()
        if not args.registry.exists() or args.registry.read_text(encoding="utf-8") != text:
            args.registry.write_text(text, encoding="utf-8")
    missing = [
        v
        for v in published.versions
        if v != snap.version and not (site / v).is_dir() and not os.environ.get("READTHEDOCS")
    ]
    for version in missing:
        print(
            f"note: version {version} is not in {site}/{version}; build it once from its "
            f"tag ({version}) and copy its site there (see README, Correcting a published "
            "passage)",
            file=sys.stderr,
        )
    count = sum(len(ids) for ids in current.anchors.values())
    verb = "recorded in" if args.update else "not yet in"
    print(
        f"anchors: version {snap.version}, {len(current.pages)} pages, {count} anchors, "
        f"{len(current.files)} files published, none lost or changed unrecorded"
        + (f"; {len(new)} new, {verb} {args.registry}" if new else "")
        + (f"; revised words of {', '.join(revised)} under {snap.version}" if revised else "")
        + (f"; {len(leftovers)} uncited leftovers removed" if leftovers and args.update else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

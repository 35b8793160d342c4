#!/usr/bin/env python3
"""Check that a built site still publishes every page and anchor it ever published.

Usage: ``python scripts/check_anchors.py --site DIR --registry FILE [--tei FILE] [--update]``.
Exit status 0 when nothing published is lost (with ``--update``, new pages and
anchors are then written into the registry, sorted); 2 when a published page
or anchor would disappear, each printed as ``what is wrong; how to fix it``;
1 when the site, the TEI file or (without ``--update``) the registry is missing,
or the registry is unreadable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edition import anchors  # noqa: E402
from edition.errors import EditionError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Compare the site with the registry; report, and extend it if asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="the built HTML folder")
    parser.add_argument("--registry", type=Path, default=ROOT / "published-anchors.json")
    parser.add_argument(
        "--tei",
        type=Path,
        default=ROOT / "tei" / "nucleus.xml",
        help="the TEI file the site was built from (its xml:ids are the anchors)",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="record new pages and anchors in the registry (never removes any)",
    )
    args = parser.parse_args(argv)

    if not args.site.is_dir():
        print(f"{args.site}: no built site there", file=sys.stderr)
        return 1
    try:
        ids = anchors.edition_ids(args.tei)
    except EditionError as exc:
        print(exc, file=sys.stderr)
        return 1
    current = anchors.collect(args.site, ids)
    if args.registry.exists():
        try:
            published = anchors.Registry.load(args.registry)
        except (json.JSONDecodeError, AttributeError, TypeError) as exc:
            print(f"{args.registry}: not a registry of anchors ({exc})", file=sys.stderr)
            return 1
    elif args.update:
        published = anchors.Registry()
    else:
        print(f"{args.registry} does not exist; create it with --update", file=sys.stderr)
        return 1

    problems = anchors.removed(published, current, str(args.registry))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 2
    new = anchors.added(published, current)
    if args.update:
        text = anchors.merged(published, current).dumps()
        if not args.registry.exists() or args.registry.read_text(encoding="utf-8") != text:
            args.registry.write_text(text, encoding="utf-8")
    count = sum(len(ids) for ids in current.anchors.values())
    verb = "recorded in" if args.update else "not yet in"
    print(
        f"anchors: {len(current.pages)} pages, {count} anchors published, none lost"
        + (f"; {len(new)} new, {verb} {args.registry}" if new else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

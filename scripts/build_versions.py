#!/usr/bin/env python3
"""Build each published version that a site lacks, once, from its git tag, into ``SITE/<version>/``.

Usage: ``python scripts/build_versions.py --site DIR [--registry FILE] [--repo DIR]``.

Citations name a version's own address (``<base>/1.0/edition/memo.html``), so
every version the registry lists must stay readable there. A local build keeps
the folders of earlier versions from build to build; a fresh machine (a new
clone, a GitHub Pages runner) has none. For each registered version without
its folder, this checks the version's tag (``1.0``, or ``v1.0``) out into a
temporary worktree and builds it there with that tag's own pipeline and
configuration, so its pages are what that version published, and copies the
result into the site. Folders that exist are left as they are.

Exit status 0 when every version is there; 1 when a version has no tag or its
build fails (naming it; the site is left without that folder).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edition import anchors  # noqa: E402


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in ``repo``."""
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )


def tag_of(repo: Path, version: str) -> str | None:
    """The tag that names ``version`` (``1.0`` or ``v1.0``), if the repository has one."""
    for tag in (version, f"v{version}"):
        if _git(repo, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}").returncode == 0:
            return tag
    return None


def build_tag(repo: Path, tag: str, out: Path) -> str:
    """Build the edition as tagged into ``out``; return ``""`` or why it failed."""
    with tempfile.TemporaryDirectory(prefix="edition-version-") as tmp:
        tree = Path(tmp) / "tree"
        added = _git(repo, "worktree", "add", "--detach", str(tree), tag)
        if added.returncode != 0:
            return added.stderr.strip()
        try:
            tei_file = tree / "tei" / "nucleus.xml"
            out_dir = str(tree / "_build" / "html")
            env = {**os.environ, "EDITION_TEI": str(tei_file)}
            steps = (
                [sys.executable, str(tree / "scripts" / "build_pages.py"), "-q"],
                [
                    sys.executable,
                    "-m",
                    "sphinx",
                    "-q",
                    "-b",
                    "html",
                    "-c",
                    str(tree),
                    "source",
                    out_dir,
                ],
            )
            for step in steps:
                result = subprocess.run(
                    step, cwd=tree, env=env, capture_output=True, text=True, check=False
                )
                if result.returncode != 0:
                    return (result.stdout + result.stderr).strip()
            shutil.copytree(tree / "_build" / "html", out)
            return ""
        finally:
            _git(repo, "worktree", "remove", "--force", str(tree))


def main(argv: list[str] | None = None) -> int:
    """Fill in the missing version folders of a site."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="the published HTML folder")
    parser.add_argument("--registry", type=Path, default=ROOT / "published-anchors.json")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the git repository with the tags")
    args = parser.parse_args(argv)

    registry = anchors.Registry.load(args.registry)
    failed = 0
    for version in registry.versions:
        folder = args.site / version
        if folder.is_dir():
            continue
        tag = tag_of(args.repo, version)
        if tag is None:
            print(
                f"version {version}: no git tag {version} (or v{version}); tag the commit that "
                f"published it (git tag {version} <commit>) and run this again",
                file=sys.stderr,
            )
            failed += 1
            continue
        why = build_tag(args.repo, tag, folder)
        if why:
            print(f"version {version}: the build of tag {tag} failed:\n{why}", file=sys.stderr)
            failed += 1
        else:
            print(f"version {version}: built from tag {tag} into {folder}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

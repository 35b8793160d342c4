"""Anchors are forever: every published page and edition anchor stays published.

Readers cite the edition by URL and fragment (``edition/memo.html#press-p2``).
The registry ``published-anchors.json`` records every page of the edition
and, per page, every element id that comes from an ``xml:id`` of the TEI
file, in the page's main content (theme and Sphinx ids are ignored). A build that would lose one of
them is refused, naming each; new ones extend the registry.

The registry is sorted, one item per line, so its diffs are clean::

    {
      "pages": ["about.html", "edition/memo.html", ...],
      "anchors": {"edition/memo.html": ["factory-nuclei", ...], ...}
    }
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html

from edition import tei

# Pages Sphinx writes for itself, not pages of the edition.
SPHINX_PAGES = frozenset({"genindex.html", "search.html", "py-modindex.html"})


@dataclass
class Registry:
    """Published pages and, per page, the edition anchors on it."""

    pages: list[str] = field(default_factory=list)
    anchors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Registry:
        """Read a registry file."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(list(data.get("pages", [])), dict(data.get("anchors", {})))

    def dumps(self) -> str:
        """The registry as sorted JSON, one item per line."""
        data = {
            "pages": sorted(set(self.pages)),
            "anchors": {
                page: sorted(set(ids)) for page, ids in sorted(self.anchors.items()) if ids
            },
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def save(self, path: Path) -> None:
        """Write the registry (sorted) to ``path``."""
        path.write_text(self.dumps(), encoding="utf-8")

    def items(self) -> set[tuple[str, str]]:
        """Every ``(page, id)`` pair."""
        return {(page, anchor) for page, ids in self.anchors.items() for anchor in ids}


def edition_ids(tei_path: Path) -> set[str]:
    """Every ``xml:id`` of the TEI file: the ids that can be edition anchors."""
    return set(tei.parse(tei_path).by_id())


def site_pages(site: Path) -> list[str]:
    """The edition's HTML pages in a built site, relative, without Sphinx's own."""
    return sorted(
        rel
        for path in site.rglob("*.html")
        if not (rel := path.relative_to(site).as_posix()).startswith("_")
        and "/_" not in rel
        and rel not in SPHINX_PAGES
    )


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
    return {el.get("id") for el in content.iter() if isinstance(el.tag, str) and el.get("id")}


def collect(site: Path, ids: set[str]) -> Registry:
    """What a built site publishes: its pages, and the ids among ``ids`` on each."""
    pages = site_pages(site)
    anchors = {page: sorted(page_ids(site / page) & ids) for page in pages}
    return Registry(pages, {page: found for page, found in anchors.items() if found})


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


def added(published: Registry, current: Registry) -> list[str]:
    """Pages and ``page#anchor`` pairs that ``current`` publishes for the first time."""
    pages = sorted(set(current.pages) - set(published.pages))
    return pages + [
        f"{page}#{anchor}" for page, anchor in sorted(current.items() - published.items())
    ]


def merged(published: Registry, current: Registry) -> Registry:
    """The registry extended by everything ``current`` publishes."""
    anchors: dict[str, set[str]] = {}
    for page, anchor in published.items() | current.items():
        anchors.setdefault(page, set()).add(anchor)
    return Registry(
        sorted(set(published.pages) | set(current.pages)),
        {page: sorted(ids) for page, ids in anchors.items()},
    )

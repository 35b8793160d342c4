"""The site's navigation list, worked out by Sphinx once per kind of page, not once per page.

Why: the theme's "The edition" list is ``toctree(maxdepth=1, collapse=True,
titles_only=True, includehidden=True)``. For each page Sphinx builds it by
deep-copying the contents of every page in the tree, the reading page's
hidden list of its later parts included, then cuts the copy to one level.
On an edition 100 times the memo's size (100 pages) that was about 3 s of the
build, and it grows with the square of the number of pages.

At one level the list can differ between two pages in only three ways: the
folder the page is in (its links are relative), the top-level entries whose
branch holds the page (those get the class ``current``), and whether the page
is one of those entries itself (its link becomes ``#``). So the first page of
each such kind gets Sphinx's own list, and the others of its kind get the same
HTML. Any other call of ``toctree()`` is passed to Sphinx unchanged.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

# The arguments of the theme's one call (layout.html) that the key above covers.
SHARED = {"maxdepth": 1, "collapse": True, "titles_only": True, "includehidden": True}


class _Nav:
    """One build's lists, by kind of page, and each top-level entry's branch."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.lists: dict[tuple[str, frozenset[str], str], str] = {}
        includes = env.toctree_includes
        self.tops = list(includes.get(env.config.root_doc, []))
        self.branches = {top: _branch(includes, top) for top in self.tops}

    def kind(self, target_uri: str, pagename: str) -> tuple[str, frozenset[str], str]:
        """What the page's list depends on: its folder, its branches, itself if a top entry."""
        current = frozenset(t for t in self.tops if pagename in self.branches[t])
        return posixpath.dirname(target_uri), current, pagename if pagename in self.tops else ""


def _branch(includes: dict[str, list[str]], top: str) -> set[str]:
    """``top`` and every page its toctrees include, hidden ones too, at any depth."""
    found = {top}
    todo = [top]
    while todo:
        for child in includes.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def reset(app: Sphinx, env: BuildEnvironment) -> None:
    """A new build's tree (``env-updated``, after reading, before any page is written)."""
    app.edition_nav = _Nav(env)  # type: ignore[attr-defined]


def share_toctree(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the page a ``toctree()`` that reuses the list of a page of its kind."""
    nav: _Nav | None = getattr(app, "edition_nav", None)
    make: Callable[..., str] | None = context.get("toctree")
    if nav is None or make is None:
        return
    kind = nav.kind(app.builder.get_target_uri(pagename), pagename)

    def toctree(**kwargs: Any) -> str:
        if kwargs != SHARED:
            return make(**kwargs)
        if kind not in nav.lists:
            nav.lists[kind] = make(**kwargs)
        return nav.lists[kind]

    context["toctree"] = toctree

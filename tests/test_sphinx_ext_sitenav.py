"""The site's navigation list: Sphinx works it out once per kind of page, and every page gets it.

The list must be the one Sphinx gives each page by itself (its links relative
to the page, ``current`` on the branch that holds it, ``#`` for itself), in
pages at the root and in a folder, in a hidden toctree of a page, and on a
page no toctree lists.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import sphinx_build

from edition.sphinx_ext import sitenav

pytestmark = pytest.mark.slow

LAYOUT = """{% extends "basic/layout.html" %}
{% block footer %}<nav>{{ toctree(maxdepth=1, collapse=True, titles_only=True,
includehidden=True) }}</nav><aside>{{ toctree(maxdepth=2) }}</aside>{% endblock %}
"""
PAGES = {
    "index.md": "# Home\n\n```{toctree}\n:hidden:\n\npart/one\npart/two\nlast\n```\n",
    "part/one.md": "# One\n\n## A section\n\n```{toctree}\n:hidden:\n\nthree\n```\n",
    "part/two.md": "# Two\n",
    "part/three.md": "# Three\n\n## Its section\n",
    "last.md": "# Last\n",
    "orphan.md": "---\norphan: true\n---\n# Orphan\n",
}


def project(root: Path) -> Path:
    (root / "_templates").mkdir(parents=True)
    (root / "_templates" / "layout.html").write_text(LAYOUT, encoding="utf-8")
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "edition.sphinx_ext"]\n'
        'edition_static = False\nhtml_theme = "basic"\ntemplates_path = ["_templates"]\n',
        encoding="utf-8",
    )
    for name, text in PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_every_page_gets_the_list_sphinx_gives_it(tmp_path, monkeypatch):
    _, shared, warnings = sphinx_build(project(tmp_path / "shared"))
    assert not warnings.strip(), warnings
    monkeypatch.setattr(sitenav, "SHARED", {"never": "equal"})  # every call to Sphinx
    _, own, _ = sphinx_build(project(tmp_path / "own"))
    pages = sorted(p.relative_to(own) for p in own.rglob("*.html"))
    assert len(pages) >= 6
    for rel in pages:
        assert (shared / rel).read_text(encoding="utf-8") == (own / rel).read_text(
            encoding="utf-8"
        ), rel
    three = (shared / "part" / "three.html").read_text(encoding="utf-8")
    assert '<li class="toctree-l1 current"><a class="reference internal" href="one.html">' in three
    assert 'href="../last.html"' in three


def test_one_call_to_sphinx_per_kind_of_page():
    env = SimpleNamespace(
        toctree_includes={"index": ["a", "b/c", "d"], "a": ["a2"], "b/c": ["b/e"]},
        config=SimpleNamespace(root_doc="index"),
    )
    app = SimpleNamespace(builder=SimpleNamespace(get_target_uri=lambda page: page + ".html"))
    sitenav.reset(app, env)  # type: ignore[arg-type]
    calls: list[str] = []

    def page(name: str) -> Any:
        context: dict[str, Any] = {}

        def make(**kwargs: Any) -> str:
            calls.append(name)
            return f"list for {name} {sorted(kwargs)}"

        context["toctree"] = make
        sitenav.share_toctree(app, name, "page.html", context, None)  # type: ignore[arg-type]
        return context["toctree"]

    lists = [page(name)(**sitenav.SHARED) for name in ("a2", "a3", "x", "a", "b/e", "b/f", "b/g")]
    # a2 is in a's branch; a3 and x in none, at the root; a is the entry itself;
    # b/e is in b/c's branch, in a folder; b/f and b/g in none, in the folder
    assert calls == ["a2", "a3", "a", "b/e", "b/f"]
    assert lists[2] == lists[1] and lists[6] == lists[5]
    page("a2")(maxdepth=2)  # any other call goes to Sphinx
    assert calls[-1] == "a2" and len(calls) == 6

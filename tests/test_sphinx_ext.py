"""The Sphinx extension on a tiny project of its own: exact warnings, titles, links, nodes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import sphinx_build
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[SphinxTestApp, Path, str]:
    """The ``test-extension`` root built once into a copy; its app, output and warnings."""
    src = tmp_path_factory.mktemp("ext") / "src"
    shutil.copytree(ROOTS / "test-extension", src)
    return sphinx_build(src)


def test_the_only_warning_is_the_missing_fragment_with_its_line(built):
    """A link to an id no page has is left to MyST, which names the file and line."""
    app, _, warnings = built
    lines = [line for line in warnings.splitlines() if line.strip()]
    assert len(lines) == 1, warnings
    src = Path(app.srcdir)
    assert lines == [
        f"{src / 'index.md'}:9: WARNING: local id not found in doc 'other': 'missing'"
        " [myst.xref_missing]"
    ]


def test_an_id_on_a_span_is_linked_by_the_edition(built):
    _, out, _ = built
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="other.html#present"' in html


def test_apparatus_is_kept_out_of_titles(built):
    app, out, _ = built
    assert app.env.titles["index"].astext() == "A Title"
    other = (out / "other.html").read_text(encoding="utf-8")
    assert "with a note" not in other  # the navigation carries the title without the aside


def test_styled_spans_become_the_elements_of_the_table(built):
    _, out, _ = built
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<del class="del">deleted</del>' in html
    assert '<em class="emph">emphasis</em>' in html
    assert '<cite class="title">title</cite>' in html
    assert (
        '<code class="tei-gi docutils literal notranslate"><span class="pre">gi</span></code>'
        in html
    )


def test_the_assets_digest_changes_with_any_file_of_the_folders(tmp_path):
    from edition.sphinx_ext import assets_digest

    (tmp_path / "static").mkdir()
    css = tmp_path / "static" / "edition.css"
    css.write_text("p { color: black; }", encoding="utf-8")
    before = assets_digest(tmp_path / "static")
    assert assets_digest(tmp_path / "static") == before
    css.write_text("p { color: navy; }", encoding="utf-8")
    changed = assets_digest(tmp_path / "static")
    (tmp_path / "static" / "edition.js").write_text("", encoding="utf-8")
    assert len({before, changed, assets_digest(tmp_path / "static")}) == 3


def test_a_changed_stylesheet_or_template_rewrites_every_page(tmp_path, monkeypatch):
    """Sphinx rewrites a page whose source is unchanged when the edition's assets changed.

    The reading page carries the stylesheet inline, so an incremental build
    that kept the page would keep the old stylesheet.
    """
    import edition.sphinx_ext as ext

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-extension", src)
    _, out, _ = sphinx_build(src)
    page = out / "index.html"
    first = page.stat().st_mtime_ns
    sphinx_build(src)
    assert page.stat().st_mtime_ns == first  # nothing changed: nothing written
    monkeypatch.setattr(ext, "assets_digest", lambda *folders: "another-stylesheet")
    sphinx_build(src)
    assert page.stat().st_mtime_ns != first

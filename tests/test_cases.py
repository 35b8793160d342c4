"""One encoding phenomenon per file: its model, its MyST and its HTML, held as snapshots.

Each ``tests/cases/NAME.xml`` is the body of a small edition whose header is
``tests/cases/_edition.xml`` (so no case depends on the memo's text). The
expected outputs stand beside it as ``NAME.model.json``, ``NAME.md`` and
``NAME.html``; a change to the reader, the renderer or the extension shows as
a diff of those files. Review the diff, then accept it with
``pytest tests/test_cases.py --force-regen``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import sphinx_build

from edition import model as m
from edition import pipeline
from edition.render import render_pages
from edition.render.blocks import blocks
from edition.render.context import GENERATED_DIR, READING, Context

CASES = Path(__file__).resolve().parent / "cases"
NAMES = sorted(p.stem for p in CASES.glob("*.xml") if not p.name.startswith("_"))
CONF = """
extensions = ["myst_parser", "sphinx_design", "edition.sphinx_ext"]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "deflist"]
edition_static = False
smartquotes = False
html_theme = "basic"
exclude_patterns = ["_build"]
"""
MAIN = re.compile(r'<div class="body" role="main">\s*(.*</section>)', re.S)


def edition_of(name: str, tmp: Path) -> m.Edition:
    """The case's body inside the shared header, read and validated like the memo."""
    body = (CASES / f"{name}.xml").read_text(encoding="utf-8")
    text = (CASES / "_edition.xml").read_text(encoding="utf-8").replace("<!-- CASE -->\n", body)
    path = tmp / f"{name}.xml"
    path.write_text(text, encoding="utf-8")
    return pipeline.load_edition(path)


def as_data(value: Any) -> Any:
    """A model node as JSON data, each node named by its class."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: as_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"node": type(value).__name__, **fields}
    if isinstance(value, tuple | list):
        return [as_data(v) for v in value]
    return value


def body_myst(edition: m.Edition) -> str:
    """The reading page's rendering of the body alone."""
    return blocks(Context.of(edition).at(READING), edition.body, None, 2)


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, m.Edition]:
    tmp = tmp_path_factory.mktemp("cases")
    return {name: edition_of(name, tmp) for name in NAMES}


def build_html(name: str, edition: m.Edition, src: Path) -> str:
    """The case's MyST built by Sphinx with the edition's extension; its main content."""
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    pages = render_pages(edition)  # the other pages, so that links into them resolve
    pages = {k: v for k, v in pages.items() if not Path(k).name.startswith("_")}  # fragments
    ctx = Context.of(edition).at(READING)
    front = blocks(ctx, edition.front, None, 2)  # the title block, which index entries cite
    pages[f"{GENERATED_DIR}/{READING}.md"] = f"# {name}\n\n{front}\n{body_myst(edition)}"
    pages["index.md"] = "# Case\n\n```{toctree}\n" + "\n".join(pages) + "\n```\n"
    for rel, text in pages.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    _, html, warnings = sphinx_build(src)
    assert warnings == ""
    page = html / GENERATED_DIR / f"{READING}.html"
    found = MAIN.search(page.read_text(encoding="utf-8"))
    assert found, f"no main content in the page of {name}"
    return found.group(1).strip() + "\n"


@pytest.mark.parametrize("name", NAMES)
def test_model(name, editions, file_regression):
    data = json.dumps(as_data(editions[name].body), indent=1, ensure_ascii=False) + "\n"
    file_regression.check(data, fullpath=CASES / f"{name}.model.json")


@pytest.mark.parametrize("name", NAMES)
def test_myst(name, editions, file_regression):
    file_regression.check(body_myst(editions[name]), fullpath=CASES / f"{name}.md")


@pytest.mark.parametrize("name", NAMES)
def test_html(name, editions, tmp_path, file_regression):
    html = build_html(name, editions[name], tmp_path)
    file_regression.check(html, fullpath=CASES / f"{name}.html")

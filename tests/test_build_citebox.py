"""The cite boxes' fast path (edition.sphinx_ext.metadata.cite_box_nodes) gives what MyST gives.

Parsing the cite boxes' MyST was half of Sphinx's time on a large edition;
the extension builds their nodes directly when a box has the pipeline's
known shape. These tests build every cite box of the edition both ways and
compare the HTML byte for byte, and check that a box of any other shape, or
a page where the two ways disagree, is parsed as MyST.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import TEI_FILE, sphinx_build

from edition import pipeline
from edition.sphinx_ext import metadata

CONF = """\
extensions = ["myst_parser", "sphinx_design", "edition.sphinx_ext", "edition.sphinx_ext.metadata"]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "deflist"]
exclude_patterns = ["_build", "edition/_*.md", "edition/_extra"]
html_theme = "basic"
smartquotes = False
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pipeline's output for the edition (its site data and published files)."""
    out = tmp_path_factory.mktemp("generated")
    pipeline.build(TEI_FILE, out)
    return out


@pytest.fixture(autouse=True)
def fresh_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's builds start with no page's first box compared yet."""
    monkeypatch.setattr(metadata, "_checked", {})


def data(path: Path) -> dict:
    return json.loads((path / metadata.SITE_DATA).read_text(encoding="utf-8"))


def project(generated: Path, dest: Path, note: bool = False) -> list[str]:
    """A Sphinx project whose one page holds every cite box of the edition; the boxes' keys.

    With ``note``, the reading page's short boxes, which link to the full
    boxes on a downloads page.
    """
    (dest / "edition").mkdir(parents=True)
    shutil.copy(generated / metadata.SITE_DATA, dest / metadata.SITE_DATA)
    extra = data(dest)["extra_dir"]
    shutil.copytree(generated / extra, dest / extra)
    keys = sorted(data(dest)["note_boxes" if note else "boxes"])
    option = ":note:\n" if note else ""
    boxes = "\n\n".join(f"```{{edition-cite-box}} {key}\n{option}```" for key in keys)
    (dest / "conf.py").write_text(CONF, encoding="utf-8")
    (dest / "index.md").write_text(f"# Cite boxes\n\n{boxes}\n", encoding="utf-8")
    if note:
        full = "```{edition-cite-box}\n:sections:\n```"
        (dest / "downloads.md").write_text(
            f"---\norphan: true\n---\n# Downloads\n\n{full}\n", encoding="utf-8"
        )
    return keys


def built_page(src: Path) -> str:
    _, html, warnings = sphinx_build(src)
    assert warnings == ""
    return (html / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("note", [False, True], ids=["full", "reading-page"])
def test_every_cite_box_is_built_fast_and_gives_the_parsed_html(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, note: bool
):
    keys = project(generated, tmp_path / "fast", note)
    assert len(keys) > 5
    fast_boxes: list[str] = []
    real_box_nodes = metadata.box_nodes

    def counting(directive, text):  # noqa: ANN202
        found = real_box_nodes(directive, text)
        if found is not None:
            fast_boxes.append(text)
        return found

    monkeypatch.setattr(metadata, "box_nodes", counting)
    fast = built_page(tmp_path / "fast")
    on_index = [t for t in fast_boxes if "Cite the edition" not in t] if note else fast_boxes
    assert len(on_index) >= len(keys)  # every box read by the fast path
    assert metadata._checked["index"] is True  # and the first agreed with MyST

    project(generated, tmp_path / "parsed", note)
    monkeypatch.setattr(metadata, "box_nodes", lambda directive, text: None)
    parsed = built_page(tmp_path / "parsed")
    if note:
        assert fast.count('class="cite-more') == len(keys) and "sd-tab-set" not in fast
    else:
        assert fast.count('class="sd-tab-set') == len(keys)
    assert fast == parsed


def test_a_page_whose_first_box_disagrees_is_parsed(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A fast path that builds something else (say, a new sphinx-design) is not used."""
    keys = project(generated, tmp_path / "wrong")
    real_box_nodes = metadata.box_nodes

    def wrong(directive, text):  # noqa: ANN202
        found = real_box_nodes(directive, text)
        assert found is not None
        found[0]["classes"].append("not-what-myst-makes")
        return found

    monkeypatch.setattr(metadata, "box_nodes", wrong)
    page = built_page(tmp_path / "wrong")
    assert metadata._checked == {"index": False}
    assert "not-what-myst-makes" not in page
    assert page.count('class="sd-tab-set') == len(keys)


@pytest.mark.parametrize(
    "change",
    [
        ("Chicago note\n", "Chicago [note](x.md)\n"),  # a link in a label
        (":sync: mla\n", ":sync: mla\n:selected:\n"),  # an option it does not read
        ("::::{tab-item} APA", "::::{tab-item} APA `code`"),
        ("::::{tab-item} MLA", "::::{tab-item} *“MLA”*"),  # emphasis next to punctuation
    ],
    ids=["link", "option", "code", "flanking"],
)
def test_a_box_of_another_shape_is_left_to_myst(generated: Path, change: tuple[str, str]):
    box = data(generated)["boxes"][""]
    assert change[0] in box
    directive = SimpleNamespace(set_source_info=lambda node: None)
    assert metadata.box_nodes(directive, box.replace(*change, 1)) is None  # type: ignore[arg-type]

"""Model to MyST: escaping, anchors from ids, structure of the reading page."""

from __future__ import annotations

import re

import pytest
from conftest import TEI_FILE
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.utils import new_document
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.base import DocutilsRenderer
from myst_parser.parsers.mdit import create_md_parser

from edition import model as m
from edition import reader, render, tei
from edition.render.escape import url


def to_doctree(text: str) -> nodes.document:
    """Parse MyST with the edition's extensions, outside Sphinx."""
    config = MdParserConfig(
        enable_extensions={"attrs_block", "attrs_inline", "colon_fence", "deflist"}
    )
    parser = create_md_parser(config, DocutilsRenderer)
    settings = get_default_settings()
    settings.report_level = 5
    doc = new_document("test", settings)
    parser.options["document"] = doc
    parser.render(text)
    return doc


@pytest.fixture(scope="module")
def edition() -> m.Edition:
    return reader.read(tei.load(TEI_FILE))


@pytest.fixture(scope="module")
def pages(edition) -> dict[str, str]:
    return render.render_pages(edition)


@pytest.mark.parametrize(
    "text",
    [
        "*not emphasis* and _not_ either",
        "`code` [link](http://x) {role}`x` $x$ | a | b |",
        "# not a heading",
        "- not a list",
        "> not a quote",
        "::: not a directive",
        "<script>alert(1)</script> &amp; &copy;",
        "1. not a list either",
        "§ 1.2 and \\ backslash",
    ],
)
def test_escaped_text_parses_back_to_itself(text):
    doctree = to_doctree(render.escape(text) + "\n")
    assert doctree.astext() == text
    kinds = {type(n).__name__ for n in doctree.findall(nodes.Element)}
    assert kinds <= {"document", "paragraph"}, kinds


def test_every_text_id_is_an_anchor_on_the_reading_page(pages):
    page = pages["edition/memo.md"]
    root = tei.parse(TEI_FILE).root
    text = root.find("tei:text", tei.NS)
    ids = [el.get(tei.XML_ID) for el in text.iterdescendants() if el.get(tei.XML_ID)]
    assert len(ids) > 40
    for xml_id in ids:
        assert re.search(rf"(\{{#{xml_id}[ }}]|:name: {xml_id}\n)", page), xml_id


def test_names_link_to_their_index_entries(pages):
    page = pages["edition/memo.md"]
    assert "[Second International](indices.md#org-second-international){.name .name-org}" in page
    # nested names (an outer link split around the inner one): tests/cases/nested_names


def test_deleted_section_is_a_container_with_its_reading(pages):
    page = pages["edition/memo.md"]
    assert ":name: app-leading-organs" in page
    assert ":name: rdg-leading-organs" in page
    assert "Membership of the Leading Organs" in page


def test_other_pages_reuse_ids_without_headings(pages):
    apparatus = pages["edition/apparatus.md"]
    assert "{#app-prisoners-aid .entry-title}" in apparatus
    assert "## " not in apparatus  # ids on headings would clash with the reading page's labels
    indices = pages["edition/indices.md"]
    assert "{#org-tuel .index-entry .entry-org}" in indices


def test_url_escaping_keeps_links_whole():
    assert url("http://a.b/c d(e)") == "<http://a.b/c%20d%28e%29>"

"""The element table: complete against the schema, and every output it declares is shown."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, PROJECT_SCHEMA
from lxml import etree

from edition import model as m
from edition import pipeline, reader, render
from edition.behaviours import HEADER_FIELDS, TABLE, UNHANDLED, Kind, Where, rule_for, styles
from edition.sphinx_ext import semantic_nodes

RNG = {"rng": "http://relaxng.org/ns/structure/1.0"}
EVERY = FIXTURES / "tei" / "every_element.xml"
# Defines whose mixed content the reader reads through the table: the text,
# and the prose of the header, the index entries and the sources.
INLINE_CONTEXTS = (
    "tei.text",
    "header.content",
    "note.content",
    "tei.bibl",
    "tei.creation",
    "tei.licence",
    "tei.change",
    "tei.gloss",
    "tei.witness",
    "tei.title",
)


def schema_elements() -> set[str]:
    """Every element the project schema defines."""
    grammar = etree.parse(str(PROJECT_SCHEMA))
    return {e.get("name") for e in grammar.iterfind(".//rng:element", RNG)}


def reachable_elements(starts: tuple[str, ...]) -> set[str]:
    """Names of the elements that the given defines admit, at any depth."""
    grammar = etree.parse(str(PROJECT_SCHEMA))
    defines = {d.get("name"): d for d in grammar.iterfind("rng:define", RNG)}
    seen: set[str] = set()
    names: set[str] = set()
    todo = [r.get("name") for s in starts for r in defines[s].iterfind(".//rng:ref", RNG)]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        define = defines[name]
        names |= {e.get("name") for e in define.iterfind(".//rng:element", RNG)}
        todo += [r.get("name") for r in define.iterfind(".//rng:ref", RNG)]
    return names


def test_every_schema_element_has_a_rule_or_a_field():
    """Element for element, the schema and the table (with the header fields) agree."""
    every = schema_elements()
    assert every - set(TABLE) - set(HEADER_FIELDS) == set(), "in the schema, but not in the table"
    assert (set(TABLE) | set(HEADER_FIELDS)) - every == set(), "in the table, not in the schema"


def test_everything_admitted_in_running_text_has_a_rule():
    """lem, rdg, desc and ptr included: nothing in mixed content is read outside the table."""
    admitted = reachable_elements(INLINE_CONTEXTS) - {"front", "body", "back"}
    assert admitted - set(TABLE) == set()
    assert {"lem", "rdg", "desc", "ptr"} <= set(TABLE)


def test_rules_are_ordered_and_fall_back_to_an_error():
    """The first rule that applies wins; an attribute condition picks its own rule."""
    italic = rule_for("term", Where.INLINE, {"rend": "italic"})
    plain = rule_for("term", Where.INLINE, {})
    assert italic.wrap is not None and italic.wrap.element == "em"
    assert plain.wrap is None
    assert rule_for("lb", Where.INLINE, {}) is UNHANDLED
    assert rule_for("head", Where.INLINE, {}) is UNHANDLED  # a heading is no phrase
    assert UNHANDLED.kind is Kind.UNHANDLED


def test_every_kind_the_table_names_has_a_handler():
    """A rule that names a kind no reader method makes would fail at the first such element."""
    handled = set(reader.INLINE_HANDLERS) | set(reader.BLOCK_HANDLERS)
    structural = {Kind.HEADING, Kind.LEMMA, Kind.READING, Kind.DESCRIPTION, Kind.WITNESS_ITEM}
    for name, rules in TABLE.items():
        for rule in rules:
            assert rule.kind in handled | structural, f"{name}: {rule.kind} has no handler"


def test_every_model_type_of_inline_content_has_a_renderer():
    from edition.render.inline import INLINE

    assert set(INLINE) == set(m.Inline.__args__)  # type: ignore[attr-defined]


def test_every_style_becomes_the_element_the_table_names():
    """The extension's node for each styled class is the one the table declares."""
    html = {"emphasis": "em", "title_reference": "cite", "deletion": "del", "literal": "code"}
    for css, node in semantic_nodes().items():
        assert html[node.__name__] == styles()[css].element, css


@pytest.fixture(scope="module")
def every_page() -> str:
    """The MyST of the fixture that uses every element of the schema's text."""
    pages = render.render_pages(pipeline.load_edition(EVERY))
    return "\n".join(pages.values())


def test_fixture_uses_every_element_of_the_table():
    """So the next test speaks of every rule."""
    used = {etree.QName(el).localname for el in etree.parse(str(EVERY)).iter() if el.tag}
    assert set(TABLE) <= used


@pytest.mark.parametrize(
    "name,rule",
    [(n, r) for n, rules in TABLE.items() for r in rules if r.show.css],
    ids=lambda v: v if isinstance(v, str) else v.where.name,
)
def test_every_declared_class_is_on_the_page(every_page, name, rule):
    """Each class the table declares reaches the generated page, with its words around it."""
    css = re.escape(rule.show.css)
    as_attribute = r"[{ ]\." + css + r"[ }]"
    as_container = r"\{container\}[^\n]* " + css + r"\b"
    assert re.search(f"{as_attribute}|{as_container}", every_page), rule.show.css
    for words in (rule.show.before, rule.show.after):
        if words:
            assert render.escape(words) in every_page

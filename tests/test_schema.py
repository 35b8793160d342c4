"""The project schema tei/edition.rng: the master file passes it, editors' mistakes do not.

Every negative case is a modified copy of the master file, made in memory with
lxml. Each one is still valid TEI (tei_all accepts it): the project schema is
what catches it, and its error log has to name the line of the mistake so that
an editor can find it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from conftest import PROJECT_SCHEMA, TEI_FILE
from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
ANNOTATIONS_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": TEI_NS, "rng": RNG_NS, "a": ANNOTATIONS_NS}

Tree = etree._ElementTree
Element = etree._Element


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def the(tree: Tree, xpath: str) -> Element:
    """Return the single element that ``xpath`` selects in ``tree``."""
    found = tree.xpath(xpath, namespaces=NS)
    assert len(found) == 1, f"{xpath!r} selects {len(found)} elements, expected 1"
    return found[0]


def tei(tag: str) -> str:
    """Return the Clark name of a TEI element."""
    return f"{{{TEI_NS}}}{tag}"


def error_report(schema: etree.RelaxNG) -> str:
    """Format a schema's error log, one ``line: message`` per entry."""
    return "\n".join(f"{e.line}: {e.message}" for e in schema.error_log)


def error_lines(schema: etree.RelaxNG, tree: Tree) -> set[int]:
    """Validate ``tree``, which must be invalid, and return the lines its errors name."""
    assert not schema.validate(tree), "the schema accepted a document it should reject"
    return {entry.line for entry in schema.error_log}


@dataclass(frozen=True)
class Mistake:
    """An editor's mistake: a change to the master file, returning the changed element."""

    name: str
    apply: Callable[[Tree], Element]


def drop(xpath: str, attribute: str) -> Callable[[Tree], Element]:
    """Remove ``attribute`` from the element at ``xpath``."""

    def change(tree: Tree) -> Element:
        element = the(tree, xpath)
        assert attribute in element.attrib, f"{xpath} has no {attribute} to remove"
        del element.attrib[attribute]
        return element

    return change


def put(xpath: str, attribute: str, value: str) -> Callable[[Tree], Element]:
    """Set ``attribute`` of the element at ``xpath`` to ``value``."""

    def change(tree: Tree) -> Element:
        element = the(tree, xpath)
        element.set(attribute, value)
        return element

    return change


def insert(xpath: str, tag: str, text: str | None = None) -> Callable[[Tree], Element]:
    """Insert a TEI ``tag`` as first child of the element at ``xpath``.

    The new element gets its parent's line number, as if typed on that line.
    """

    def change(tree: Tree) -> Element:
        parent = the(tree, xpath)
        child = etree.Element(tei(tag))
        child.text = text
        child.tail = parent.text
        parent.text = None
        parent.insert(0, child)
        child.sourceline = parent.sourceline
        return child

    return change


BODY_P = '//t:body//t:p[@xml:id="factory-nuclei-p2"]'
PRESS_P1 = '//t:p[@xml:id="press-p1"]'
SECTION_APP = '//t:app[@xml:id="app-leading-organs"]'
HEAD_APP = '//t:app[@xml:id="app-prisoners-aid"]'
GAP = '//t:gap[@xml:id="leading-organs-gap"]'
PARTY_NOTE = '//t:note[@xml:id="note-party-record"]'

MISTAKES = [
    # xml:id is required on div, p, head, note and app in <text> ...
    Mistake("p-in-body-without-xml-id", drop(BODY_P, XML_ID)),
    Mistake("p-in-front-without-xml-id", drop('//t:p[@xml:id="archival-line"]', XML_ID)),
    Mistake("head-without-xml-id", drop('//t:head[@xml:id="press-head"]', XML_ID)),
    Mistake("div-without-xml-id", drop('//t:div[@xml:id="press"]', XML_ID)),
    Mistake("note-in-p-without-xml-id", drop(PARTY_NOTE, XML_ID)),
    Mistake("inline-app-without-xml-id", drop(HEAD_APP, XML_ID)),
    Mistake("section-app-without-xml-id", drop(SECTION_APP, XML_ID)),
    # ... and on index entries, sources and witnesses.
    Mistake("org-without-xml-id", drop('//t:org[@xml:id="org-ecci"]', XML_ID)),
    Mistake("item-without-xml-id", drop('//t:item[@xml:id="term-delo"]', XML_ID)),
    Mistake("bibl-without-xml-id", drop('//t:bibl[@xml:id="src-time-1923"]', XML_ID)),
    Mistake("witness-without-xml-id", drop('//t:witness[@xml:id="wit-ru"]', XML_ID)),
    # @resp on every note.
    Mistake("footnote-without-resp", drop('//t:note[@xml:id="note-prisoners-aid"]', "resp")),
    Mistake("edition-note-without-resp", drop(PARTY_NOTE, "resp")),
    Mistake("index-note-without-resp", drop('//t:org[@xml:id="org-ecci"]/t:note', "resp")),
    # @wit on lem and rdg, @source on rdg.
    Mistake("inline-lem-without-wit", drop(f"{HEAD_APP}/t:lem", "wit")),
    Mistake("section-lem-without-wit", drop(f"{SECTION_APP}/t:lem", "wit")),
    Mistake("inline-rdg-without-wit", drop('//t:rdg[@xml:id="rdg-secret-organization"]', "wit")),
    Mistake("inline-rdg-without-source", drop('//t:rdg[@xml:id="rdg-prisoners-aid"]', "source")),
    Mistake("section-rdg-without-source", drop('//t:rdg[@xml:id="rdg-leading-organs"]', "source")),
    # The xml:id pattern.
    Mistake("xml-id-with-underscore", put(PRESS_P1, XML_ID, "press_p1")),
    Mistake("xml-id-with-capital-letter", put(PRESS_P1, XML_ID, "Press-p1")),
    Mistake("index-id-with-underscore", put('//t:org[@xml:id="org-ecci"]', XML_ID, "org_ecci")),
    # Closed value lists.
    Mistake("gap-reason-illegible", put(GAP, "reason", "illegible")),
    Mistake("div-type-chapter", put('//t:div[@xml:id="press"]', "type", "chapter")),
    Mistake("note-place-margin", put('//t:note[@xml:id="note-title"]', "place", "margin")),
    Mistake("note-type-editorial", put(PARTY_NOTE, "type", "editorial")),
    # Elements the edition does not use.
    Mistake("hi-in-paragraph", insert(PRESS_P1, "hi", "daily")),
    Mistake("lb-in-paragraph", insert(PRESS_P1, "lb")),
]

# libxml2 (the validator behind lxml) reports these errors with line 0 and no
# path: a required attribute missing on an element that also has optional
# attributes and whose first child is a text node (here the white space before
# the first child element) loses its location, and nothing else in the log
# names the line. jing reports all of them correctly; the schema is not at
# fault. A loader that must print FILE:LINE needs its own check for these.
LINE_LOST_BY_LIBXML2 = {
    "div-without-xml-id",
    "section-app-without-xml-id",
    "section-rdg-without-source",
}


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project_schema() -> etree.RelaxNG:
    """Compile the project's schema once for this module."""
    return etree.RelaxNG(etree.parse(str(PROJECT_SCHEMA)))


@pytest.fixture
def master() -> Tree:
    """Parse a fresh in-memory copy of the master file, free to modify."""
    return etree.parse(str(TEI_FILE))


@pytest.fixture(params=MISTAKES, ids=[m.name for m in MISTAKES])
def mistake(request: pytest.FixtureRequest, master: Tree) -> tuple[str, Tree, int]:
    """Make one mistake in the master file; return its name, the tree and its line."""
    case: Mistake = request.param
    element = case.apply(master)
    assert element.sourceline, "the changed element has no line to report"
    return case.name, master, element.sourceline


# --------------------------------------------------------------------------
# The schema itself
# --------------------------------------------------------------------------


def test_project_schema_compiles_with_lxml():
    schema = etree.RelaxNG(etree.parse(str(PROJECT_SCHEMA)))
    assert isinstance(schema, etree.RelaxNG)


def test_master_file_names_the_project_schema(master: Tree):
    models = [
        node
        for node in master.getroot().itersiblings(preceding=True)
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model"
    ]
    assert [pi.get("href") for pi in models] == [PROJECT_SCHEMA.name]


def test_schema_admits_exactly_the_elements_the_edition_uses(master: Tree):
    grammar = etree.parse(str(PROJECT_SCHEMA))
    admitted = {e.get("name") for e in grammar.iterfind(".//rng:element", NS)}
    used = {etree.QName(e).localname for e in master.iter(etree.Element)}
    assert admitted == used
    assert "lb" not in admitted


def test_every_element_define_is_named_after_its_element_and_documented():
    grammar = etree.parse(str(PROJECT_SCHEMA))
    for define in grammar.iterfind("rng:define", NS):
        element = define.find("rng:element", NS)
        if element is None:
            continue
        name = define.get("name")
        assert name == f"tei.{element.get('name')}" or name.startswith(
            f"tei.{element.get('name')}."
        ), name
        doc = element.find("a:documentation", NS)
        assert doc is not None and doc.text and doc.text.strip(), f"{name} is undocumented"


# --------------------------------------------------------------------------
# Valid documents
# --------------------------------------------------------------------------


def test_master_file_is_valid_tei(tei_all_schema: etree.RelaxNG, master: Tree):
    assert tei_all_schema.validate(master), error_report(tei_all_schema)


def test_master_file_is_valid_against_project_schema(project_schema: etree.RelaxNG, master: Tree):
    assert project_schema.validate(master), error_report(project_schema)


MINIMAL = f"""<TEI xmlns="{TEI_NS}">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Fixture</title></titleStmt>
      <publicationStmt><publisher>Test</publisher></publicationStmt>
      <sourceDesc><listWit><witness xml:id="wit-a">A</witness></listWit></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="section" xml:id="s1"><p xml:id="s1-p1">Text.</p></div>
    </body>
  </text>
</TEI>"""

EXTRA_SECTION = f"""<div xmlns="{TEI_NS}" type="section" xml:id="extra" n="9">
  <head xml:id="extra-head"><app xml:id="app-extra"><lem wit="#wit-en #wit-print"><term
    ref="#term-nucleus">Nuclei</term></lem><rdg xml:id="rdg-extra" wit="#wit-ru"
    source="#note-extra"><gap reason="unreported"/></rdg></app>.<note xml:id="note-extra"
    n="*" place="foot" resp="#pers-davenport">The Russian original reads otherwise.</note></head>
  <p xml:id="extra-p1" n="1">A paragraph with <emph>emphasis</emph>, a
    <persName ref="#pers-editor">person</persName>,
    <placeName ref="#place-moscow">a place</placeName>,
    a date <date when="1923-07">July 1923</date>, a break<pb n="4" edRef="#wit-print"/> and a
    note<note xml:id="note-extra-2" type="edition" resp="#digital-edition"
    source="#src-extra">See <ref target="#extra-p2">below</ref> and <title>Time</title>.</note>.</p>
  <pb n="5" edRef="#wit-print"/>
  <p xml:id="extra-p2" n="2">Another paragraph.</p>
</div>"""

EXTRA_PERSON = f"""<person xmlns="{TEI_NS}" xml:id="pers-editor"><persName>An Editor</persName>
  <note resp="#digital-edition" source="#src-extra">Another index entry.</note></person>"""

EXTRA_BIBL = f"""<bibl xmlns="{TEI_NS}" xml:id="src-extra"><title>Another source</title>,
  <ref target="https://example.org/">https://example.org/</ref>.</bibl>"""


def extended(master: Tree) -> Tree:
    """Return the master file with one more section, index entry, source and paragraph."""
    body = the(master, "//t:body")
    body.append(etree.fromstring(EXTRA_SECTION))
    the(master, '//t:listPerson[@xml:id="persons"]').append(etree.fromstring(EXTRA_PERSON))
    the(master, '//t:listBibl[@xml:id="sources"]').append(etree.fromstring(EXTRA_BIBL))
    paragraph = copy.deepcopy(the(master, BODY_P))
    paragraph.set(XML_ID, "factory-nuclei-p2-bis")
    the(master, BODY_P).addnext(paragraph)
    return master


def test_minimal_fixture_is_valid(project_schema: etree.RelaxNG):
    tree = etree.ElementTree(etree.fromstring(MINIMAL))
    assert project_schema.validate(tree), error_report(project_schema)


def test_minimal_fixture_is_valid_tei(tei_all_schema: etree.RelaxNG):
    tree = etree.ElementTree(etree.fromstring(MINIMAL))
    assert tei_all_schema.validate(tree), error_report(tei_all_schema)


def test_longer_edition_is_valid(project_schema: etree.RelaxNG, master: Tree):
    tree = extended(master)
    assert project_schema.validate(tree), error_report(project_schema)


def test_longer_edition_is_valid_tei(tei_all_schema: etree.RelaxNG, master: Tree):
    tree = extended(master)
    assert tei_all_schema.validate(tree), error_report(tei_all_schema)


# --------------------------------------------------------------------------
# Mistakes: valid TEI, rejected by the project schema at the right line
# --------------------------------------------------------------------------


def test_mistake_is_rejected(project_schema: etree.RelaxNG, mistake: tuple[str, Tree, int]):
    _, tree, _ = mistake
    assert not project_schema.validate(tree)


def test_mistake_is_reported_at_its_line(
    request: pytest.FixtureRequest,
    project_schema: etree.RelaxNG,
    mistake: tuple[str, Tree, int],
):
    name, tree, line = mistake
    if name in LINE_LOST_BY_LIBXML2:
        request.applymarker(
            pytest.mark.xfail(strict=True, reason="libxml2 reports this error at line 0")
        )
    lines = error_lines(project_schema, tree)
    assert line in lines, f"no error at line {line}:\n{error_report(project_schema)}"


def test_mistake_is_still_valid_tei(tei_all_schema: etree.RelaxNG, mistake: tuple[str, Tree, int]):
    _, tree, _ = mistake
    assert tei_all_schema.validate(tree), error_report(tei_all_schema)


def test_hi_is_valid_tei_but_not_an_element_of_the_edition(
    tei_all_schema: etree.RelaxNG, project_schema: etree.RelaxNG, master: Tree
):
    """A <hi> in a paragraph: valid TEI, but not an element of this edition."""
    hi = insert(PRESS_P1, "hi", "daily")(master)
    assert tei_all_schema.validate(master), error_report(tei_all_schema)
    assert hi.sourceline in error_lines(project_schema, master)
    named = [e for e in project_schema.error_log if re.search(r"\bhi\b", e.message)]
    assert named, error_report(project_schema)

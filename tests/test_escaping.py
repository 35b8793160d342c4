"""Any text in the TEI file is published literally: never Markdown, MyST or HTML.

The fixture ``tests/fixtures/tei/text_slots.xml`` holds one placeholder word
(``SLOTPARAGRAPH``, ``SLOTHEADING``, ...) in every kind of text node the
edition publishes: a paragraph, a heading, a note, an index entry's note, a
variant reading, supplied text and an emphasis. :func:`fill` replaces each
placeholder by arbitrary text (XML-escaped), and the real pipeline renders it.

Two levels of checking:

* many examples, in process: the generated MyST is parsed by myst-parser's
  docutils parser; the document must have the same nodes, classes, ids and
  links as the placeholder version, and its text must be the placeholder
  version's text with each placeholder replaced by the input text;
* a few examples through the whole build (``build_pages.py`` + Sphinx with
  ``-W``): the text appears literally in the HTML and no element, ``<script>``
  or otherwise, appears that the placeholder version does not have.

Excluded characters: those XML 1.0 cannot hold (C0 controls other than tab,
line feed and carriage return; surrogates; U+FFFE and U+FFFF). Carriage
returns are kept in the input: the XML parser turns them into line feeds,
as XML requires. Block slots always get one visible character: blank block
text is its own case (an empty paragraph keeps its anchor, tested below).

Expected text: XML's end-of-line handling, then the reader's white-space
rule (:func:`edition.reader.text_of`: runs of XML white space become one
space, and block-level text is trimmed at both ends); other white space
(U+00A0, U+2009...) is text and is kept, which the last test pins.

Regression tests below pin bugs found this way: U+007F published as U+FFFD,
an empty paragraph losing its anchor, an index entry without a note breaking
the next block.

Text holding characters that HTML cannot carry (U+007F-U+009F, noncharacters)
may be refused as bad input (a located EditionError) instead of published.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pytest
from conftest import FIXTURES, ROOT, build_edition
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(ROOT))

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives
from lxml import html as lxml_html
from myst_parser.parsers.docutils_ import Parser

from edition import pipeline, render
from edition.errors import EditionError

TEMPLATE = FIXTURES / "tei" / "text_slots.xml"
# Slot name -> does the reader trim the text at both ends (block-level content)?
SLOTS = {
    "PARAGRAPH": True,
    "HEADING": True,
    "NOTE": True,
    "ENTRYNOTE": True,
    "READING": False,
    "SUPPLIED": False,
    "EMPH": False,
}
PAGES = ("edition/memo.md", "edition/apparatus.md", "edition/notes.md", "edition/indices.md")
MYST_EXTENSIONS = ["attrs_block", "attrs_inline", "colon_fence", "deflist"]  # as conf.py

# What the reader folds into one space today: Python's ``\s`` (str.isspace),
# i.e. XML white space plus U+000B-C, U+001C-1F, U+0085, U+00A0, U+1680,
# U+2000-200A, U+2028-9, U+202F, U+205F, U+3000. The fixed rule: XML's.
READER_SPACE = re.compile(r"\s+")
XML_SPACE = re.compile(r"[ \t\n]+")
SPACE_RULES = ((READER_SPACE, None), (XML_SPACE, " \t\n"))


def html_cannot(ch: str) -> bool:
    """Whether HTML forbids ``ch`` in text (DEL, C1 controls, noncharacters)."""
    c = ord(ch)
    return 0x7F <= c <= 0x9F or 0xFDD0 <= c <= 0xFDEF or (c & 0xFFFE) == 0xFFFE


# --------------------------------------------------------------------------
# Text strategies
# --------------------------------------------------------------------------


def xml_char(ch: str) -> bool:
    """Whether XML 1.0 can hold ``ch`` (its ``Char`` production)."""
    c = ord(ch)
    return (
        c in (0x9, 0xA, 0xD)
        or 0x20 <= c <= 0xD7FF
        or 0xE000 <= c <= 0xFFFD
        or 0x10000 <= c <= 0x10FFFF
    )


# Not in XML 1.0: C0 controls but tab, LF and CR; U+FFFE, U+FFFF (surrogates by category).
NOT_XML = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\ufffe\uffff"
# U+007F is left out of the property tests only: it has its own (xfail) test below.
DEL = "\x7f"
XML_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters=NOT_XML + DEL)

# Syntax that would mean something if it reached Markdown, MyST or HTML unescaped.
SYNTAX = [
    "*",
    "**",
    "_",
    "__",
    "`",
    "``",
    "[",
    "]",
    "[x](http://evil.example/)",
    "![i](x.png)",
    "<http://evil.example/>",
    "http://evil.example/",
    "{role}",
    "{emph}`x`",
    "{#id .cls}",
    "{.cls}",
    "$",
    "$$x$$",
    "|",
    "| a | b |",
    ":::",
    ":::{note}\nx\n:::",
    "```{note}\nx\n```",
    "~~~",
    "#",
    "# ",
    "## x",
    "- ",
    "+ ",
    "* ",
    "1. ",
    "> ",
    ": ",
    "---",
    "===",
    "\\",
    "\\*",
    "<script>alert(1)</script>",
    "<b>",
    "<!--",
    "-->",
    "&amp;",
    "&lt;",
    "&#167;",
    "&copy;",
    "<br>",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "  \n",
    "§",
    "\u00a0",
    "\u2028",
    "\x85",
    "(c)",
    "--",
    '"',
    "'",
    "^",
    "~",
    "%",
    "@",
    "[^1]",
    "[^1]: x",
    "((x))",
    "<",
    ">",
    "&",
    "{{",
    "}}",
]

text_strategy = st.one_of(
    st.text(XML_CHARS, max_size=40),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(XML_CHARS, max_size=3)), max_size=12).map(
        "".join
    ),
)


def not_blank(text: str) -> str:
    """Give block-level text at least one visible character (blank blocks: xfail tests)."""
    return text if READER_SPACE.sub("", text) else text + "."


slot_values = st.fixed_dictionaries(
    {
        name: text_strategy.map(not_blank) if block else text_strategy
        for name, block in SLOTS.items()
    }
)


# --------------------------------------------------------------------------
# Building an example
# --------------------------------------------------------------------------


def placeholder(slot: str) -> str:
    """The word that stands for ``slot`` in the template."""
    return f"SLOT{slot}"


def fill(values: dict[str, str], template: Path = TEMPLATE) -> str:
    """The template TEI with each slot's placeholder replaced by XML-escaped text."""
    text = template.read_text(encoding="utf-8")
    for slot in SLOTS:
        assert text.count(placeholder(slot)) == 1, slot
        text = text.replace(placeholder(slot), xml_escape(values.get(slot, placeholder(slot))))
    return text


def published(text: str, block: bool, rule: int = 0) -> str:
    """What the edition should print for ``text``: XML line ends, reader white space.

    ``rule`` picks the white-space rule from :data:`SPACE_RULES` (0: today's).
    """
    space, strip = SPACE_RULES[rule]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = space.sub(" ", text)
    return text.strip(strip) if block else text


def refused(values: dict[str, str], error: Exception) -> bool:
    """Whether ``error`` is the pipeline refusing text that HTML cannot carry."""
    if not any(map(html_cannot, "".join(values.values()))):
        return False
    return not isinstance(error, EditionError) or all(p.line > 0 for p in error.problems)


def render_pages(tei_text: str) -> dict[str, str]:
    """Run the real pipeline (load, check, read, render) in process."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "slots.xml"
        path.write_text(tei_text, encoding="utf-8")
        return render.render_pages(pipeline.load_edition(path))


class _Container(Directive):
    """Stand-in for sphinx-design's ``dropdown``: its content, parsed."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"class-container": directives.unchanged}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        node = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class _Nothing(Directive):
    """Stand-in for Sphinx's ``index``: no visible output."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        return []


# Registered only while a page is parsed: docutils' registry is global, and a
# stand-in left there would shadow sphinx-design in later in-process Sphinx builds.
STAND_INS: dict[str, type[Directive]] = {"dropdown": _Container, "index": _Nothing}


@contextlib.contextmanager
def stand_ins() -> Iterator[None]:
    """Register the stand-in directives, and put back what was there after."""
    registry = directives._directives
    saved = {name: registry.get(name) for name in STAND_INS}
    registry.update(STAND_INS)
    try:
        yield
    finally:
        for name, previous in saved.items():
            if previous is None:
                registry.pop(name, None)
            else:
                registry[name] = previous


def doctree(myst: str) -> tuple[nodes.document, list[str]]:
    """Parse MyST with myst-parser's docutils parser; return the tree and its warnings.

    The front matter (page data such as the contents list, JSON for the
    theme, not text of the page) is left out.
    """
    with stand_ins():
        document, warnings = _doctree(myst)
    for info in list(document.findall(nodes.docinfo)):
        info.parent.remove(info)
    return document, warnings


def _doctree(myst: str) -> tuple[nodes.document, list[str]]:
    stream = io.StringIO()
    document = publish_doctree(
        myst,
        parser=Parser(),
        settings_overrides={
            "myst_enable_extensions": MYST_EXTENSIONS,
            "myst_heading_anchors": 0,
            "warning_stream": stream,
            "report_level": 1,
            "halt_level": 5,
            "raw_enabled": True,
        },
    )
    warnings = [re.sub(r"^<string>:\d+: ", "", w) for w in stream.getvalue().splitlines() if w]
    return document, warnings


# Attributes that docutils derives from text (section names from titles).
TEXT_DERIVED = {"names", "dupnames", "title"}


def shape(document: nodes.document) -> list[tuple[str, tuple]]:
    """Every element in order, with its attributes (not text): the page's structure."""
    out = []
    for node in document.findall(nodes.Element):
        attributes = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in node.attributes.items()
            if key not in TEXT_DERIVED
            and not (key == "ids" and isinstance(node, nodes.section))
            and key != "source"
        }
        out.append((node.tagname, tuple(sorted(attributes.items()))))
    return out


def substitute(text: str, values: dict[str, str], rule: int = 0) -> str:
    """Replace each placeholder in ``text`` by what the edition should print for it."""
    for slot, block in SLOTS.items():
        text = text.replace(placeholder(slot), published(values[slot], block, rule))
    return text


def matches(found: str, base: str, values: dict[str, str]) -> bool:
    """Whether ``found`` is ``base`` with the placeholders replaced, by either space rule."""
    return any(
        line_edges(found) == line_edges(substitute(base, values, rule))
        for rule in range(len(SPACE_RULES))
    )


def line_edges(text: str) -> str:
    """Drop spaces at the ends of lines: Markdown drops them at the ends of paragraphs."""
    return re.sub(r" *\n *", "\n", text).strip()


@pytest.fixture(scope="module")
def baseline() -> dict[str, tuple[nodes.document, list[str]]]:
    """The template's own pages, parsed: the structure every example must keep."""
    pages = render_pages(fill({}))
    return {page: doctree(pages[page]) for page in PAGES}


# --------------------------------------------------------------------------
# Many examples, in process
# --------------------------------------------------------------------------


def test_every_slot_is_published(baseline):
    """Each placeholder reaches at least one page (else the test below checks nothing)."""
    text = "".join(doc.astext() for doc, _ in baseline.values())
    for slot in SLOTS:
        assert placeholder(slot) in text, slot


def check_myst(values: dict[str, str], baseline: dict) -> None:
    """The pages for ``values`` have the baseline's structure and the literal text."""
    try:
        pages = render_pages(fill(values))
    except EditionError as error:
        assert refused(values, error), error
        return
    for page in PAGES:
        document, warnings = doctree(pages[page])
        base_document, base_warnings = baseline[page]
        assert warnings == base_warnings, f"{page}: {warnings}\n{pages[page]}"
        assert shape(document) == shape(base_document), f"{page}: structure changed\n{pages[page]}"
        assert matches(document.astext(), base_document.astext(), values), (
            f"{page}: text changed\n{pages[page]}"
        )


@settings(
    max_examples=int(os.environ.get("EDITION_ESCAPING_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(values=slot_values)
@example(values=dict.fromkeys(SLOTS, "<script>alert(1)</script> &amp; *a* _b_ `c` [d]{e} $f$ |g|"))
@example(
    values=dict.fromkeys(SLOTS, "# heading\n- item\n> quote\n:::{note}\nx\n:::\n```{note}\ny\n```")
)
@example(
    values=dict.fromkeys(SLOTS, "{role}`x` [link](http://evil.example/) <http://evil.example/>")
)
@example(values=dict.fromkeys(SLOTS, "\\*not emphasis\\* \\[x\\] &#167; § &copy;"))
@example(values=dict.fromkeys(SLOTS, "x"))
def test_text_reaches_myst_literally(values, baseline):
    check_myst(values, baseline)


# --------------------------------------------------------------------------
# A few examples, through Sphinx
# --------------------------------------------------------------------------


def html_pages(out: Path) -> dict[str, lxml_html.HtmlElement]:
    """The edition's generated pages in a built site, parsed."""
    return {
        page: lxml_html.parse(str(out / page.replace(".md", ".html"))).getroot() for page in PAGES
    }


def scripts(root: lxml_html.HtmlElement) -> list[tuple[str, str]]:
    """Every script a browser runs: ``src`` and code (JSON-LD is data: tests/test_metadata.py)."""
    return [
        (s.get("src", ""), s.text or "")
        for s in root.iter("script")
        if s.get("type") != "application/ld+json"
    ]


def tags(root: lxml_html.HtmlElement) -> Counter:
    """How many elements of each name a page has."""
    return Counter(el.tag for el in root.iter() if isinstance(el.tag, str))


def body_text(root: lxml_html.HtmlElement) -> str:
    """The visible text of the page body, HTML entities decoded.

    The sections' citations are left out: they quote headings in a citation
    style (a heading's closing full stop gives way to the citation's comma).
    """
    body = copy.deepcopy(root.find("body"))
    for el in list(body.iter()):
        if "section-cite" in (el.get("class") or "").split():
            el.drop_tree()
    return body.text_content()


@pytest.fixture(scope="module")
def baseline_html(tmp_path_factory: pytest.TempPathFactory) -> dict[str, lxml_html.HtmlElement]:
    """The template built into a site."""
    dest = tmp_path_factory.mktemp("slots-baseline")
    tei = dest / "slots.xml"
    tei.write_text(fill({}), encoding="utf-8")
    return html_pages(build_edition(tei, dest))


def build_html(values: dict[str, str]) -> dict[str, lxml_html.HtmlElement]:
    """Build the template filled with ``values`` into a site; return its parsed pages."""
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp)
        tei = dest / "slots.xml"
        tei.write_text(fill(values), encoding="utf-8")
        return html_pages(build_edition(tei, dest))


@pytest.mark.slow
@settings(
    max_examples=3,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # shrinking a Sphinx build is too slow
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(values=slot_values)
@example(values=dict.fromkeys(SLOTS, "<script>alert(1)</script> &amp; *a* `b` {role}`c` $d$ |e|"))
def test_text_reaches_html_literally(values, baseline_html):
    try:
        pages = build_html(values)
    except AssertionError as error:  # build_edition's report of a failed step
        assert "build_pages.py failed" in str(error) and refused(values, error), error
        return
    for page, root in pages.items():
        base = baseline_html[page]
        assert scripts(root) == scripts(base), page
        assert tags(root) == tags(base), page
        assert matches(body_text(root), body_text(base), values), page
    memo = pages["edition/memo.md"]
    for slot, id in (("PARAGRAPH", "slot-p"), ("HEADING", "slot-head")):
        found = memo.get_element_by_id(id).text_content()
        assert found in {published(values[slot], True, rule) for rule in range(len(SPACE_RULES))}


# --------------------------------------------------------------------------
# Known bugs, each with its smallest example (see the report for the fixes)
# --------------------------------------------------------------------------

PLAIN = dict.fromkeys(SLOTS, "x")


def test_delete_character_is_not_replaced(baseline):
    check_myst({**PLAIN, "PARAGRAPH": "a\x7fb"}, baseline)


def test_empty_paragraph_keeps_its_anchor():
    document, _ = doctree(render_pages(fill({**PLAIN, "PARAGRAPH": ""}))["edition/memo.md"])
    paragraphs = {tuple(p["ids"]): p["classes"] for p in document.findall(nodes.paragraph)}
    assert ("slot-p",) in paragraphs
    assert paragraphs[("slot-inline",)] == ["tei-p"]


def test_index_entry_without_note_keeps_its_structure():
    pages = render_pages(fill({**PLAIN, "ENTRYNOTE": ""}))
    document, _ = doctree(pages["edition/indices.md"])
    classes = [p["classes"] for p in document.findall(nodes.paragraph) if p["classes"]]
    assert ["entry-sources"] in classes, classes


# --------------------------------------------------------------------------
# What the reader counts as white space
# --------------------------------------------------------------------------


NON_XML_SPACE = "".join(
    ch
    for ch in map(chr, range(0x110000))
    if ch.isspace() and ch not in " \t\n\r" and xml_char(ch) and not html_cannot(ch)
)


def test_only_xml_white_space_is_layout(baseline):
    text = f"11{NON_XML_SPACE}July"
    pages = render_pages(fill({"PARAGRAPH": text}))
    document, _ = doctree(pages["edition/memo.md"])
    found = next(n for n in document.findall(nodes.paragraph) if "slot-p" in n.get("ids", []))
    assert found.astext() == text

"""The write phase's tree walk (edition.sphinx_ext.walk) and shared Pygments formatters.

The walk must yield what docutils' ``findall`` yields, in the same order,
also when the caller changes the tree as it goes, as sphinx-design's
transforms do; the formatters must give the HTML fresh ones give.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from edition.sphinx_ext import _Formatters
from edition.sphinx_ext.walk import findall

SOURCE = """\
Title
=====

A paragraph with *emphasis*, **strong** and ``code``.

.. container:: box

   Inner paragraph with *more* text.

   .. container:: box inner

      Deeper, *deepest* and a `link <https://example.org>`_.

* one *item*
* two

  .. container:: box

     In a list.

Section
-------

Last *words*.
"""


def tree() -> nodes.document:
    return publish_doctree(SOURCE, settings_overrides={"report_level": 5})


def is_box(node: nodes.Node) -> bool:
    try:
        return "box" in node.get("classes", [])
    except AttributeError:  # Text
        return False


def replace_box(node: nodes.Node) -> None:
    """As sphinx-design's dropdown transform: a new node takes the found one's place."""
    assert isinstance(node, nodes.Element)
    new = nodes.section(classes=["replaced"])
    new += node.children
    node.replace_self(new)


def empty_emphasis(node: nodes.Node) -> None:
    """As the edition's chevron transform: the found node's children list is replaced."""
    assert isinstance(node, nodes.Element)
    node.children = []
    node["classes"].append("emptied")


def add_child(node: nodes.Node) -> None:
    """The found node gains a child (seen by both walks, or by neither)."""
    assert isinstance(node, nodes.Element)
    node += nodes.emphasis("", "added")


def drop_next(node: nodes.Node) -> None:
    """The node after the found one goes (the walk must skip it, as docutils does)."""
    parent = node.parent
    if parent is not None:
        at = parent.index(node)
        if at + 1 < len(parent.children):
            del parent.children[at + 1]


def rebind_parent(node: nodes.Node) -> None:
    """The parent's children become a new list with a new paragraph after the found node.

    docutils indexes a node's current children for a function but iterates
    the list it started with for a type: the new paragraph is walked only in
    the first case.
    """
    parent = node.parent
    if parent is not None and not node.get("classes"):
        at = parent.index(node)
        added = nodes.paragraph("", "", nodes.emphasis("", "new"), classes=["added"])
        added.parent = parent
        parent.children = [*parent.children[: at + 1], added, *parent.children[at + 1 :]]


CONDITIONS: dict[str, type | Callable[[nodes.Node], bool] | None] = {
    "none": None,
    "class": nodes.emphasis,
    "text class": nodes.Text,
    "function": is_box,
    "function, elements": lambda n: isinstance(n, nodes.Element),
}


@pytest.mark.parametrize("name", CONDITIONS)
def test_the_walk_yields_what_docutils_yields(name):
    condition = CONDITIONS[name]
    document = tree()
    assert list(findall(document, condition)) == list(nodes.Node.findall(document, condition))
    assert [id(n) for n in findall(document, condition)] == [
        id(n) for n in nodes.Node.findall(document, condition)
    ]


@pytest.mark.parametrize(
    "condition,change",
    [
        (is_box, replace_box),
        (nodes.emphasis, empty_emphasis),
        (lambda n: isinstance(n, nodes.emphasis), empty_emphasis),
        (nodes.paragraph, add_child),
        (lambda n: isinstance(n, nodes.paragraph), add_child),
        (nodes.paragraph, drop_next),
        (is_box, drop_next),
        (nodes.paragraph, rebind_parent),
        (lambda n: isinstance(n, nodes.paragraph), rebind_parent),
    ],
)
def test_a_tree_changed_during_the_walk_ends_as_docutils_leaves_it(condition, change):
    ours, theirs = tree(), tree()
    seen_ours = []
    for node in findall(ours, condition):
        seen_ours.append(node.astext() if isinstance(node, nodes.Text) else node.pformat())
        change(node)
    seen_theirs = []
    for node in nodes.Node.findall(theirs, condition):
        seen_theirs.append(node.astext() if isinstance(node, nodes.Text) else node.pformat())
        change(node)
    assert seen_ours == seen_theirs
    assert ours.pformat() == theirs.pformat()
    assert seen_ours  # the walk found something to change


def test_other_walks_are_docutils_own():
    document = tree()
    para = next(document.findall(nodes.paragraph))
    for kwargs in ({"include_self": False}, {"siblings": True}, {"ascend": True}):
        assert list(findall(para, nodes.Element, **kwargs)) == list(
            nodes.Node.findall(para, nodes.Element, **kwargs)
        )


def test_one_formatter_per_set_of_options_gives_the_same_html():
    made: list[HtmlFormatter] = []

    def make(**kwargs: object) -> HtmlFormatter:
        made.append(HtmlFormatter(**kwargs))
        return made[-1]

    shared = _Formatters(make)
    code = ["@book{a,\n  title = {A & B <c>},\n}\n", "TY  - BOOK\nER  - \n", "@misc{b}\n"]
    for lang in ("bibtex", "text", "bibtex"):
        for text in code:
            fresh = highlight(text, get_lexer_by_name(lang), HtmlFormatter(linenos=False))
            assert highlight(text, get_lexer_by_name(lang), shared(linenos=False)) == fresh
    assert len(made) == 1
    shared(linenos=False, hl_lines=[1])  # a list: not shared, made afresh
    assert len(made) == 2


def test_one_lexer_per_language_but_never_for_code_dependent_or_unknown_ones():
    from sphinx.highlighting import PygmentsBridge

    from edition.sphinx_ext import _Lexers

    bridge = PygmentsBridge("html")
    made: list[object] = []

    def make(*args: object) -> object:
        made.append(bridge.get_lexer(*args))  # type: ignore[arg-type]
        return made[-1]

    lexers = _Lexers(make)
    first = lexers("@misc{a}\n", "bibtex")
    assert lexers("@book{b}\n", "bibtex") is first and len(made) == 1
    assert lexers(">>> 1\n", "python") is not lexers("1\n", "python")  # pycon, then python
    lexers("x\n", "no-such-language")
    lexers("x\n", "no-such-language")
    assert len(made) == 5  # the unknown name went to Sphinx (which warns) both times
    fmt = HtmlFormatter()
    code = "@book{a,\n  title = {A & B},\n}\n"
    assert highlight(code, lexers(code, "bibtex"), fmt) == highlight(
        code, bridge.get_lexer(code, "bibtex"), fmt
    )

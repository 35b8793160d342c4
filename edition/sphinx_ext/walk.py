"""A page's tree walked without a generator per node, for the transforms that run on it.

Why: after Sphinx resolves a page, a dozen post-transforms and handlers
(sphinx-design's six among them: dropdowns, tabs, asides, buttons, badges,
links that open a new tab) each walk the whole page with
``document.findall(...)``. docutils' ``findall`` is a recursive generator: a
node at depth *d* passes through *d* generators, and a walk that tests a
function on each node calls ``findall`` again for every node. On the reading
page of an edition 100 times the memo's size (150,000 nodes) one such walk
took 0.2-0.5 s, and a build made about twenty.

:func:`findall` yields exactly what docutils' ``findall`` yields, in the same
order, also when the caller changes the tree while it walks (sphinx-design
replaces each dropdown as it finds it): where docutils iterates a node's
``children`` list (a type or no condition) it iterates that list object;
where it indexes the node (a function as the condition) it indexes the
node's current ``children``. Each node is tested once, as docutils tests it.
Any other use (``include_self=False``, siblings, ascending) is docutils' own.

:class:`FastWalkRead` gives each page's document this ``findall`` when its
transforms start (Sphinx's own walk it a dozen times with a function, through
``NodeMatcher``), and :func:`plain_walk` takes it away at ``doctree-read``,
before the page is pickled; :class:`FastWalk` gives it again for the write
phase, and :func:`plain_walk` takes it away once the page is resolved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

Condition = type | Callable[[nodes.Node], bool] | None


def findall(
    self: nodes.Node,
    condition: Condition = None,
    include_self: bool = True,
    descend: bool = True,
    siblings: bool = False,
    ascend: bool = False,
) -> Iterator[Any]:
    """``nodes.Node.findall``, walked with an explicit stack (see the module's docstring)."""
    if not include_self or not descend or siblings or ascend:
        return nodes.Node.findall(self, condition, include_self, descend, siblings, ascend)
    if condition is None or isinstance(condition, type):
        return _listed(self, condition)
    return _indexed(self, condition)


def _listed(root: nodes.Node, cls: type | None) -> Iterator[nodes.Node]:
    """As ``Node._fast_findall`` / ``_superfast_findall``: each ``children`` list iterated."""
    if cls is None or isinstance(root, cls):
        yield root
    if not root.children:
        return
    stack = [iter(root.children)]
    while stack:
        for child in stack[-1]:
            if cls is None or isinstance(child, cls):
                yield child
            if child.children:
                stack.append(iter(child.children))
                break
        else:
            stack.pop()


def _indexed(root: nodes.Node, condition: Callable[[nodes.Node], bool]) -> Iterator[nodes.Node]:
    """As ``Node.findall`` with a function: each node's current children indexed in turn."""
    if condition(root):
        yield root
    if not len(root.children):
        return
    parents: list[nodes.Node] = [root]
    at = [0]
    while parents:
        children = parents[-1].children
        i = at[-1]
        if i >= len(children):
            parents.pop()
            at.pop()
            continue
        at[-1] = i + 1
        child = children[i]
        if condition(child):
            yield child
        if len(child.children):
            parents.append(child)
            at.append(0)


def _give(document: nodes.document) -> None:
    document.findall = findall.__get__(document)  # type: ignore[method-assign]


class FastWalkRead(SphinxTransform):
    """Give the page's document :func:`findall` for the transforms after it."""

    default_priority = 1  # before every other transform (Sphinx's first is 10)

    def apply(self, **kwargs: Any) -> None:
        """Set the document's own ``findall``."""
        _give(self.document)


class FastWalk(SphinxPostTransform):
    """Give the page's document :func:`findall` for the post-transforms and handlers after it."""

    default_priority = 1  # before every other post-transform (sphinx-design's first is 5)

    def run(self, **kwargs: Any) -> None:
        """Set the document's own ``findall``."""
        _give(self.document)


def plain_walk(app: object, doctree: nodes.document, *docname: str) -> None:
    """Take the document's own ``findall`` away (``doctree-read``, ``doctree-resolved``)."""
    doctree.__dict__.pop("findall", None)

"""The edition's small Sphinx extension.

The generated MyST expresses structure with attribute spans and blocks. This
extension gives those spans their meaning in HTML and keeps apparatus out of
titles:

* spans with a style class of the element table (:mod:`edition.behaviours`)
  become the element the table names: ``emph`` and ``italic`` ``<em>``,
  ``title`` ``<cite>``, ``del`` ``<del>``, ``tei-gi`` and ``tei-att`` ``<code>``;
* anything with the class ``edition-aside`` (side notes, variant popups, marks) is
  removed from the page titles and tables of contents that Sphinx collects,
  so a note's text never ends up in ``<title>`` or the navigation;
* the edition's stylesheet and script are added to every page.

Config value: ``edition_static`` (bool, default True) adds the CSS and JS.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import NoUri
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode

from edition.behaviours import styles
from edition.publish.paths import EXTRA_DIR

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

STATIC = Path(__file__).resolve().parent / "static"
# The docutils node for each HTML element the element table presents phrases as.
NODES: dict[str, type[nodes.TextElement]] = {
    "em": nodes.emphasis,
    "cite": nodes.title_reference,
    "code": nodes.literal,
}


class deletion(nodes.inline):
    """Text deleted in a witness; ``<del>`` in HTML."""


def visit_deletion(self: HTML5Translator, node: deletion) -> None:
    """Open ``<del>``."""
    self.body.append(self.starttag(node, "del", ""))


def depart_deletion(self: HTML5Translator, node: deletion) -> None:
    """Close ``<del>``."""
    self.body.append("</del>")


def semantic_nodes() -> dict[str, type[nodes.TextElement]]:
    """Class of a styled span -> its node, from :func:`edition.behaviours.styles`."""
    table: dict[str, type[nodes.TextElement]] = {**NODES, "del": deletion}
    return {css: table[show.element] for css, show in styles().items()}


class SemanticSpans(SphinxTransform):
    """Turn class-marked spans from the generated MyST into semantic nodes."""

    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        """Replace each marked ``inline`` by its semantic node, keeping ids and classes."""
        semantic = semantic_nodes()
        for node in list(self.document.findall(nodes.inline)):
            classes: list[str] = node.get("classes", [])
            cls = next((semantic[c] for c in classes if c in semantic), None)
            if cls is None:
                continue
            new = cls(node.rawsource, "", *node.children, **node.attributes)
            node.replace_self(new)


def _strip_no_toc(node: nodes.Node) -> None:
    """Remove apparatus (class ``edition-aside``) and ids from a collected title or TOC.

    A title is copied into the navigation of every page, the landing page and
    the previous/next links: an id kept there would stand twice on a page.
    """
    for found in list(node.findall(nodes.Element)):
        if "edition-aside" in found.get("classes", []) and found.parent is not None:
            found.parent.remove(found)
        elif found.get("ids"):
            found["ids"] = []


def clean_titles(app: Sphinx, doctree: nodes.document) -> None:
    """After Sphinx has collected titles and TOCs, take the apparatus out of them."""
    env: BuildEnvironment = app.env
    docname = env.current_document.docname
    for store in (env.titles, env.longtitles, env.tocs):
        if docname in store:
            _strip_no_toc(store[docname])


def register_anchors(app: Sphinx, doctree: nodes.document) -> None:
    """Record every element id of a page, so links to ``page.md#id`` resolve.

    MyST checks a link's fragment against the std domain's labels, one by one
    for every link; ids on spans and paragraphs are not labels, and the same
    TEI id may stand on two pages (the text and the apparatus). The edition
    keeps its own index of ids per page and resolves those links itself
    (:class:`AnchorLinks`), in time that does not grow with the square of the
    text.
    """
    env: BuildEnvironment = app.env
    docname = env.current_document.docname
    anchors = _anchors(env)
    anchors[docname] = {str(i) for node in doctree.findall(nodes.Element) for i in node["ids"]}


def _anchors(env: BuildEnvironment) -> dict[str, set[str]]:
    """The per-page id index kept in the build environment."""
    found: dict[str, set[str]] | None = getattr(env, "edition_anchors", None)
    if found is None:
        found = {}
        env.edition_anchors = found  # type: ignore[attr-defined]
    return found


def purge_anchors(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Forget a page's ids when Sphinx re-reads or removes it."""
    _anchors(env).pop(docname, None)


def merge_anchors(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    """Merge the id index of a parallel reader process."""
    _anchors(env).update({d: ids for d, ids in _anchors(other).items() if d in docnames})


class AnchorLinks(SphinxPostTransform):
    """Resolve MyST links ``page.md#id`` to ids the edition recorded, before MyST does."""

    default_priority = 8  # MyST's own resolver runs at 9

    def run(self, **kwargs: Any) -> None:
        """Replace each resolvable link by a reference to the page and id."""
        anchors = _anchors(self.env)
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") != "myst" or node.get("refdomain") != "doc":
                continue
            target, fragment = node["reftarget"], node.get("reftargetid")
            if not fragment or fragment not in anchors.get(target, ()):
                continue  # MyST resolves (or reports) it
            inner = nodes.inline("", "", classes=["std", "std-ref"])
            inner.extend(node[0].children if len(node) else [])
            new: nodes.Element
            try:
                new = make_refnode(
                    self.env._app.builder,
                    node.get("refdoc", self.env.docname),
                    target,
                    fragment,
                    inner,
                )
            except NoUri:
                new = inner
            node.replace_self(new)


def add_static(app: Sphinx, config: Config) -> None:
    """Ship the edition's CSS and JS with the HTML builders.

    Done at ``config-inited`` so the stored configuration of an incremental
    build matches the new one and nothing is rewritten for no reason.
    """
    if not config.edition_static:
        return
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))
    app.add_css_file("edition.css")
    app.add_js_file("edition.js", loading_method="defer")


def add_extra_files(app: Sphinx) -> None:
    """Publish the pipeline's downloads and DTS files at the site root.

    Not in an EPUB (``embedded``): it would list every such file in its
    manifest and warn about their media types.
    """
    extra = Path(app.srcdir) / EXTRA_DIR
    embedded = getattr(app.builder, "embedded", False)  # set by the EPUB builders
    if app.builder.format != "html" or embedded or not extra.is_dir():
        return
    if str(extra) not in app.config.html_extra_path:
        app.config.html_extra_path.append(str(extra))


# A character reference that sphinxext-opengraph cut short when it shortened an
# escaped description: "layout&#x..." (it escapes first, then cuts at 200).
CUT_REFERENCE = re.compile(r"&#?[0-9A-Za-z]*\.\.\.(?=\")")


def mend_descriptions(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Drop a half character reference at the end of a shortened description.

    Otherwise the page's meta tags hold "&#x..." and the HTML is invalid.
    """
    tags = context.get("metatags")
    if isinstance(tags, str):
        context["metatags"] = CUT_REFERENCE.sub("...", tags)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's parts."""
    app.add_config_value("edition_static", True, "html", bool)
    # For "html" only: the EPUB builder finds these handlers through its format,
    # and an "epub" registration would hide every other extension's html handlers.
    app.add_node(deletion, html=(visit_deletion, depart_deletion))
    app.add_transform(SemanticSpans)
    app.connect("doctree-read", clean_titles, priority=900)
    app.connect("doctree-read", register_anchors, priority=900)
    app.connect("env-purge-doc", purge_anchors)
    app.connect("env-merge-info", merge_anchors)
    app.add_post_transform(AnchorLinks)
    app.connect("config-inited", add_static)
    app.connect("builder-inited", add_extra_files)
    app.connect("html-page-context", mend_descriptions, priority=600)  # after opengraph
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

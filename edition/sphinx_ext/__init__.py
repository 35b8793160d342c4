"""The edition's small Sphinx extension.

The generated MyST expresses structure with attribute spans and blocks. This
extension gives those spans their meaning in HTML and keeps apparatus out of
titles:

* spans with the class ``emph`` or ``italic`` become ``<em>``, ``title``
  becomes ``<cite>``, ``del`` becomes ``<del>``;
* anything with the class ``edition-aside`` (side notes, variant popups, marks) is
  removed from the page titles and tables of contents that Sphinx collects,
  so a note's text never ends up in ``<title>`` or the navigation;
* the edition's stylesheet and script are added to every page.

Config value: ``edition_static`` (bool, default True) adds the CSS and JS.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from edition.dts import EXTRA_DIR

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

STATIC = Path(__file__).resolve().parent / "static"
SEMANTIC = {"emph": nodes.emphasis, "italic": nodes.emphasis, "title": nodes.title_reference}


class deletion(nodes.inline):
    """Text deleted in a witness; ``<del>`` in HTML."""


def visit_deletion(self: HTML5Translator, node: deletion) -> None:
    """Open ``<del>``."""
    self.body.append(self.starttag(node, "del", ""))


def depart_deletion(self: HTML5Translator, node: deletion) -> None:
    """Close ``<del>``."""
    self.body.append("</del>")


class SemanticSpans(SphinxTransform):
    """Turn class-marked spans from the generated MyST into semantic nodes."""

    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        """Replace each marked ``inline`` by its semantic node, keeping ids and classes."""
        for node in list(self.document.findall(nodes.inline)):
            classes = node.get("classes", [])
            cls = next((SEMANTIC[c] for c in classes if c in SEMANTIC), None)
            if cls is None and "del" in classes:
                cls = deletion
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
    """Make every element id a target that MyST links (``page.md#id``) can resolve.

    MyST checks a link's fragment against the std domain's labels. Ids on
    spans and paragraphs are not labels, and the same TEI id may stand on
    two pages (the text and the apparatus), so each is registered under a
    key of its own page.
    """
    env: BuildEnvironment = app.env
    docname = env.current_document.docname
    anonlabels = env.domaindata["std"]["anonlabels"]
    for node in doctree.findall(nodes.Element):
        for node_id in node.get("ids", []):
            anonlabels.setdefault(f"edition-anchor:{docname}#{node_id}", (docname, node_id))


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
    if app.builder.format != "html" or app.builder.embedded or not extra.is_dir():
        return
    if str(extra) not in app.config.html_extra_path:
        app.config.html_extra_path.append(str(extra))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's parts."""
    app.add_config_value("edition_static", True, "html", bool)
    # For "html" only: the EPUB builder finds these handlers through its format,
    # and an "epub" registration would hide every other extension's html handlers.
    app.add_node(deletion, html=(visit_deletion, depart_deletion))
    app.add_transform(SemanticSpans)
    app.connect("doctree-read", clean_titles, priority=900)
    app.connect("doctree-read", register_anchors, priority=900)
    app.connect("config-inited", add_static)
    app.connect("builder-inited", add_extra_files)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

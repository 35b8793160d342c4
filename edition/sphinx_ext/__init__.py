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
* the edition's stylesheet and script are added to every page, and each page
  loads only the other stylesheets and scripts it uses (:func:`prune_assets`);
* the edition's theme (``theme/edition``) is registered, and the reading page
  gets its table of contents of divisions (:func:`page_context`);
* an EPUB links only to what it holds (:class:`EpubLocalLinks`);
* the HTML builders write ``sitemap.xml`` listing every page (:func:`write_sitemap`).

Config values: ``edition_static`` (bool, default True) adds the CSS and JS;
``edition_sitemap_excludes`` (list of ``fnmatch`` patterns) names the pages
the sitemap leaves out.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from xml.etree import ElementTree

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import NoUri
from sphinx.search import js_index
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode

from edition.behaviours import styles
from edition.sphinx_ext import sitenav
from edition.sphinx_ext.walk import FastWalk, FastWalkRead, plain_walk

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

STATIC = Path(__file__).resolve().parent / "static"
THEME = Path(__file__).resolve().parent / "theme" / "edition"
# Assets that a page loads only when it uses them.
DESIGN_ASSETS = ("sphinx-design.min.css", "design-tabs.js")
# Pygments colours tokens; plain-text blocks (``text``, ``none``) have none.
CODE_WITH_TOKENS = re.compile(r'class="highlight-(?!text\b|none\b|default\b)')
VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\n?')
# Sphinx's search scripts; the edition's script marks search hits on other pages.
SEARCH_ONLY = ("documentation_options.js", "doctools.js", "sphinx_highlight.js")
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


def place_citations(app: Sphinx, doctree: nodes.document) -> None:
    """A section's citation box follows its heading's apparatus line, not the heading.

    The heading's marks (``head-app``) belong to the heading; the box, there to
    be copied rather than read along, comes after them.
    """
    for box in list(doctree.findall(nodes.container)):
        if "section-cite" not in box.get("classes", []) or box.parent is None:
            continue
        parent = box.parent
        at = parent.index(box)
        following = parent[at + 1] if at + 1 < len(parent) else None
        if isinstance(following, nodes.paragraph) and "head-app" in following.get("classes", []):
            parent.remove(box)
            parent.insert(parent.index(following) + 1, box)


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
    """Forget a page's ids (and contents) when Sphinx re-reads or removes it."""
    _anchors(env).pop(docname, None)
    _contents(env).pop(docname, None)


def merge_anchors(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    """Merge the id index of a parallel reader process."""
    _anchors(env).update({d: ids for d, ids in _anchors(other).items() if d in docnames})
    _contents(env).update({d: c for d, c in _contents(other).items() if d in docnames})


class _Uris:
    """A builder's ``get_relative_uri``, worked out once per pair of pages.

    The reading page links thousands of times to a handful of pages; each
    link asked the builder again (a tenth of a large build's link resolving).
    """

    def __init__(self, builder: Any) -> None:
        self.builder = builder
        self.known: dict[tuple[str, str], str] = {}

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        key = (from_, to)
        if key not in self.known:
            self.known[key] = self.builder.get_relative_uri(from_, to, typ)
        return self.known[key]


class AnchorLinks(SphinxPostTransform):
    """Resolve MyST links ``page.md#id`` to ids the edition recorded, before MyST does."""

    default_priority = 8  # MyST's own resolver runs at 9

    def run(self, **kwargs: Any) -> None:
        """Replace each resolvable link by a reference to the page and id."""
        anchors = _anchors(self.env)
        builder = cast("Builder", _Uris(self.env._app.builder))
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
                    builder,
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
    build matches the new one and nothing is rewritten for no reason; the
    assets' digest (:func:`assets_digest`) makes every page be rewritten when
    one of them changed. The
    edition's theme names ``edition.css`` as its stylesheet; any other theme
    (and the EPUB's) gets it as an extra stylesheet.
    """
    config.edition_assets = assets_digest(STATIC, THEME)
    if not config.edition_static:
        return
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))
    app.add_js_file("edition.js", loading_method="defer")


def assets_digest(*folders: Path) -> str:
    """One digest of every file of the edition's stylesheets, scripts and templates.

    Why: Sphinx writes a page again when its source or the configuration
    changed, not when a stylesheet did, and the reading page carries
    ``edition.css`` inline. As a configuration value (``edition_assets``,
    rebuild ``html``) the digest makes a changed stylesheet, script or
    template rewrite every page, and nothing else does.
    """
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def add_builder_css(app: Sphinx) -> None:
    """Give the EPUB a stylesheet of its own, and other themes ``edition.css``.

    EPUB's CSS profile has no ``:has()`` and no range media queries, and a
    book has no witness switch.
    """
    if not app.config.edition_static:
        return
    if app.builder.name == "epub":
        app.add_css_file("edition-epub.css")
    elif app.config.html_theme != "edition":
        app.add_css_file("edition.css")


class _Formatters:
    """A highlighter's ``get_formatter`` that makes one formatter per set of options.

    Why: Sphinx makes a new Pygments formatter for every code block, and a
    formatter works out its whole stylesheet when it is made. The edition's
    cite boxes hold two code blocks (BibTeX, RIS) per section: at 100 times
    the memo's size that was 1,800 formatters, a third of the time the HTML
    writer spent on code. A formatter keeps no state between blocks (only a
    table of the span it opens for each token type), so one formatter per
    set of options gives the same HTML.
    """

    def __init__(self, make: Any) -> None:
        self.make = make
        self.made: dict[tuple[tuple[str, Any], ...], Any] = {}

    def __call__(self, **kwargs: Any) -> Any:
        key = tuple(sorted(kwargs.items()))
        try:
            hash(key)
        except TypeError:  # options Pygments takes as lists (hl_lines): made afresh
            return self.make(**kwargs)
        if key not in self.made:
            self.made[key] = self.make(**kwargs)
        return self.made[key]


class _Lexers:
    """A highlighter's ``get_lexer`` that makes one lexer per language and options.

    Why: Sphinx looks the language up among all of Pygments' lexers and
    makes a new lexer for every code block (a fifth of the time the HTML
    writer spent on the cite boxes' code). A lexer keeps no state between
    blocks. Languages whose lexer depends on the code (Python's console
    sessions, ``guess``) and names Pygments does not know (Sphinx warns at
    each such block) are left to Sphinx every time.
    """

    BY_SOURCE = frozenset({"py", "python", "py3", "python3", "default", "pycon3", "guess"})

    def __init__(self, make: Any) -> None:
        self.make = make
        self.made: dict[tuple[Any, ...], Any] = {}

    def __call__(
        self,
        source: str,
        lang: str,
        opts: dict[str, Any] | None = None,
        force: bool = False,
        location: Any = None,
    ) -> Any:
        key = (lang, force, tuple(sorted((opts or {}).items())))
        try:
            hash(key)
        except TypeError:
            return self.make(source, lang, opts, force, location)
        if key not in self.made:
            if lang in self.BY_SOURCE or not _known_lexer(lang):
                return self.make(source, lang, opts, force, location)
            self.made[key] = self.make(source, lang, opts, force, location)
        return self.made[key]


def _known_lexer(lang: str) -> bool:
    """True when Sphinx or Pygments has a lexer of this name (Sphinx warns for others)."""
    from pygments.lexers import find_lexer_class_by_name  # type: ignore[import-untyped]
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]
    from sphinx.highlighting import lexer_classes, lexers

    if lang in lexers or lang in lexer_classes:
        return True
    try:
        find_lexer_class_by_name(lang)
    except ClassNotFound:
        return False
    return True


def share_formatters(app: Sphinx) -> None:
    """Give the HTML builders' highlighters one formatter and lexer each per set of options."""
    if app.builder.format != "html":
        return
    for name in ("highlighter", "dark_highlighter"):
        bridge = getattr(app.builder, name, None)
        if bridge is not None and not isinstance(bridge.get_formatter, _Formatters):
            bridge.get_formatter = _Formatters(bridge.get_formatter)
            bridge.get_lexer = _Lexers(bridge.get_lexer)


def _basename(asset: Any) -> str:
    """The file name of a ``css_files`` or ``script_files`` entry."""
    name = str(getattr(asset, "filename", asset) or "")
    return name.split("?", 1)[0].rsplit("/", 1)[-1]


def prune_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load on each page only the stylesheets and scripts it uses.

    sphinx-design, Pygments and Sphinx's search scripts are added to every
    page by default; on the reading page they were 60% of the weight and
    mostly unused. A page with a component (an ``sd-`` class) gets the rules
    of sphinx-design's stylesheet that its components use, inline
    (:func:`used_css`), and its script only for tabs kept in step; Pygments'
    CSS stays on pages with code in a language it colours (not plain text), and the
    search scripts on the search page (edition.js marks a search hit elsewhere).
    """
    body = context.get("body") or ""
    drop: set[str] = set()
    if "sd-" not in body:
        drop.update(DESIGN_ASSETS)
    else:
        # the rules the page's components use, inline, instead of all 55 kB
        css = _design_css_for(frozenset(SD_CLASS.findall(body)))
        if css:
            drop.add("sphinx-design.min.css")
            context["edition_component_css"] = css
        if "data-sync-group" not in body:
            drop.add("design-tabs.js")  # it only keeps tab choices in step
    if not CODE_WITH_TOKENS.search(body):
        drop.add("pygments.css")
    if pagename != "search":
        drop.update(SEARCH_ONLY)
    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [a for a in context[key] if _basename(a) not in drop]


SD_CLASS = re.compile(r"sd-[\w-]+")


def _blocks(css: str) -> Iterator[tuple[str, str]]:
    """The top-level ``(prelude, body)`` pairs of a stylesheet (no comments assumed)."""
    depth, start, head = 0, 0, ""
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                head, start = css[start:i].strip(), i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                yield head, css[start:i]
                start = i + 1


def used_css(css: str, used: set[str]) -> str:
    """The rules of a component stylesheet whose ``sd-`` classes a page uses.

    A selector is kept when every ``sd-`` class it names is on the page (and
    ``:root`` and the like, which name none, always); media blocks are pruned
    the same way and keyframes kept. "Load what a page uses, not all of it":
    the reading page needs about a tenth of sphinx-design's 55 kB.
    """
    out = []
    for head, body in _blocks(css):
        if head.startswith("@keyframes") or head.startswith("@font-face"):
            out.append(f"{head}{{{body}}}")
        elif head.startswith("@"):
            inner = used_css(body, used)
            if inner:
                out.append(f"{head}{{{inner}}}")
        else:
            keep = [sel for sel in head.split(",") if set(SD_CLASS.findall(sel)) <= used]
            if keep:
                out.append(f"{','.join(keep)}{{{body}}}")
    return "".join(out)


@functools.lru_cache(maxsize=64)
def _design_css_for(used: frozenset[str]) -> str:
    """sphinx-design's rules for a set of classes, pruned once per set.

    The pages of a long text read in parts use the same components; pruning
    the 55 kB stylesheet character by character took 10 ms a page.
    """
    return used_css(_sphinx_design_css(), set(used))


@functools.cache
def _sphinx_design_css() -> str:
    """sphinx-design's stylesheet as the installed package ships it ("" if absent)."""
    try:
        import sphinx_design
    except ImportError:  # pragma: no cover - a listed extension
        return ""
    path = Path(sphinx_design.__file__).parent / "static" / "sphinx-design.min.css"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _plain_title(node: nodes.Element) -> str:
    """A heading's words without its apparatus (notes, readings, marks)."""
    copy = node.deepcopy()
    _strip_no_toc(copy)
    return re.sub(r"\s+([.,;:])", r"\1", " ".join(copy.astext().split()))


def division_toc(doctree: nodes.document) -> list[tuple[str, str]]:
    """The reading page's divisions (preamble and sections) as (``#id``, label).

    The preamble has no heading in the source; its entry is the edition's
    word for the division's TEI type. A section inside a reading of another
    witness (the Russian original's deleted section) is not listed.
    """
    entries: list[tuple[str, str]] = []
    for node in doctree.findall(nodes.Element):
        classes: list[str] = node.get("classes", [])
        if "tei-div" not in classes or not node.get("ids"):
            continue
        if any("rdg-division" in a.get("classes", []) for a in _ancestors(node)):
            continue
        if "div-preamble" in classes:
            entries.append(("#" + node["ids"][0], "Preamble"))
        elif "div-section" in classes:
            title = next(iter(node.findall(nodes.title)), None)
            if title is not None:
                entries.append(("#" + node["ids"][0], _plain_title(title)))
    return entries


def _ancestors(node: nodes.Element) -> Iterator[nodes.Element]:
    parent = node.parent
    while isinstance(parent, nodes.Element):
        yield parent
        parent = parent.parent


def take_contents(app: Sphinx, doctree: nodes.document) -> None:
    """Move a page's ``page-contents`` list (written by the pipeline) out of its text.

    The theme shows it in the page's navigation (:func:`page_context`).
    """
    found = []
    for lst in list(doctree.findall(nodes.bullet_list)):
        if "page-contents" not in lst.get("classes", []):
            continue
        for item in lst.findall(nodes.list_item):
            ref = next(
                item.findall(lambda n: isinstance(n, (nodes.reference, addnodes.pending_xref))),
                None,
            )
            if not isinstance(ref, nodes.Element):
                continue
            target = (
                ref.get("refuri")
                or ref.get("refid")
                or ref.get("reftargetid")
                or ref.get("reftarget", "")
            )
            target = target if target.startswith("#") else "#" + target.split("#")[-1]
            found.append((target, " ".join(item.astext().split())))
        lst.parent.remove(lst)
    if found:
        _contents(app.env)[app.env.current_document.docname] = found


def _contents(env: BuildEnvironment) -> dict[str, list[tuple[str, str]]]:
    """The per-page contents kept in the build environment."""
    found: dict[str, list[tuple[str, str]]] | None = getattr(env, "edition_contents", None)
    if found is None:
        found = {}
        env.edition_contents = found  # type: ignore[attr-defined]
    return found


def page_contents(app: Sphinx, pagename: str) -> list[tuple[str, str]]:
    """The contents the pipeline wrote for a page, as (``#id``, label)."""
    return _contents(app.env).get(pagename, [])


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """What the edition's templates need: the skip link's target, the page's contents.

    On the reading page the skip link goes to the memo's text (its first
    division) and the contents list its nine divisions; on other pages it goes
    to the page, whose sections (if more than one) are its contents.
    """
    # docutils adds a viewport tag of its own to the page's meta tags; the
    # layout has one already (two made the page's head invalid twice over)
    if "metatags" in context:
        context["metatags"] = VIEWPORT.sub("", context["metatags"])
    toc = page_contents(app, pagename) or (division_toc(doctree) if doctree is not None else [])
    if toc:
        context["edition_reading"] = True
        # The reading page carries its stylesheet inline: one request fewer
        # before the text can paint (first contentful paint, ``make bench``).
        web = app.builder.format == "html" and not getattr(app.builder, "embedded", False)
        if web and app.config.edition_static and app.config.html_theme == "edition":
            context["edition_inline_css"] = (STATIC / "edition.css").read_text(encoding="utf-8")
            context["css_files"] = [
                c for c in context.get("css_files", []) if _basename(c) != "edition.css"
            ]
        context["edition_skip_target"] = toc[0][0][1:]
        context["edition_skip_label"] = "Skip to the text"
        context["edition_page_toc"] = toc
        context["edition_page_toc_title"] = "The memo"
    elif doctree is not None:
        sections = [
            ("#" + s["ids"][0], _plain_title(s[0]))
            for s in doctree.findall(nodes.section)
            if s.get("ids") and len(s) and isinstance(s[0], nodes.title) and s.parent is not doctree
        ]
        if len(sections) > 1:
            context["edition_page_toc"] = sections
            context["edition_page_toc_title"] = "On this page"


class TextChevrons(SphinxPostTransform):
    """A dropdown's open/closed marker as a CSS character, not an inline SVG.

    sphinx-design puts an SVG chevron in every ``<summary>``; the first SVG a
    page draws costs Chromium about 40 ms of first contentful paint (measured
    on a bare page of the memo's text), for an arrow. ``edition.css`` draws it
    as a character, turned by sphinx-design's own rule when the box is open.
    """

    default_priority = 200  # after sphinx-design's DropdownHtmlTransform (199)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Empty each ``sd-summary-state-marker`` (it held the SVG)."""
        for node in list(self.document.findall(nodes.inline)):
            if "sd-summary-state-marker" in node.get("classes", []):
                node.children = []
                node["classes"].append("text-chevron")


class EpubLocalLinks(SphinxPostTransform):
    """In an EPUB, a relative link to a file the book does not hold becomes its text.

    The downloads and DTS files are published beside the web site only;
    EPUBCheck rejects a book that links to a resource it lacks (RSC-007).
    """

    default_priority = 900
    builders = ("epub",)

    def run(self, **kwargs: Any) -> None:
        """Unwrap every relative ``refuri`` that is not one of the book's pages."""
        pages = {self.app.builder.get_target_uri(d) for d in self.env.found_docs}
        for ref in list(self.document.findall(nodes.reference)):
            uri = ref.get("refuri", "")
            if not uri or "://" in uri or uri.startswith(("#", "mailto:")):
                continue
            path = uri.split("#", 1)[0]
            here = self.env.docname.rsplit("/", 1)[0] + "/" if "/" in self.env.docname else ""
            target = _normalise(here + path)
            if target not in pages:
                ref.replace_self(
                    nodes.inline("", "", *ref.children, classes=ref.get("classes", []))
                )


def _normalise(path: str) -> str:
    """Resolve ``..`` and ``.`` in a relative path."""
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


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


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_BUILDERS = ("html", "dirhtml")


def sitemap_links(app: Sphinx) -> list[str]:
    """Every page's address relative to ``html_baseurl``, in page order, minus exclusions."""
    builder = app.builder
    excludes: list[str] = app.config.edition_sitemap_excludes
    links = [builder.get_target_uri(doc) for doc in sorted(app.env.found_docs)]
    return [link for link in links if not any(fnmatch.fnmatch(link, p) for p in excludes)]


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """Write ``sitemap.xml``: every page of the site at its published address.

    The list comes from the pages Sphinx knows, not from the pages written in
    this run (as sphinx-sitemap's does), and takes no server process
    (sphinx-sitemap starts a ``multiprocessing.Manager`` at every build).
    """
    if exception is not None or app.builder.name not in SITEMAP_BUILDERS:
        return
    base = app.config.html_baseurl
    if not base:
        return
    base = base if base.endswith("/") else base + "/"
    root = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    for link in sitemap_links(app):
        ElementTree.SubElement(ElementTree.SubElement(root, "url"), "loc").text = base + link
    path = Path(app.outdir) / "sitemap.xml"
    ElementTree.ElementTree(root).write(path, xml_declaration=True, encoding="utf-8", method="xml")


def restore_index_entries(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Give the search index back the index entries of the pages this build does not write.

    Why: Sphinx 9 collects a page's index entries (those of the edition's
    index of names) only while writing the page, stores its environment
    before writing, and does not read them back from the last
    ``searchindex.js``; an incremental build would publish an index with the
    entries of the pages it wrote and no others. They are read back here from
    the last index, with Sphinx's own reader of that file, so a build need
    not write every page (``-a``). A page written in this run replaces its
    entries; a page that is gone loses them.
    """
    name = getattr(app.builder, "searchindex_filename", None)
    if not name or not getattr(app.builder, "search", False):  # no search page (EPUB)
        return []
    try:
        frozen = js_index.loads((Path(app.outdir) / name).read_text(encoding="utf-8"))
        docnames, entries = frozen["docnames"], frozen["indexentries"]
        restored: dict[str, list[tuple[str, str, str]]] = {}
        for entry, places in entries.items():
            for doc, target, main in places:
                if docnames[doc] in env.all_docs:
                    place = (str(entry), str(target), "main" if main else "")
                    restored.setdefault(docnames[doc], []).append(place)
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return []  # no usable index: this build writes every page it must index
    for docname, found in restored.items():
        env._search_index_index_entries[docname] = sorted(found)
    return []


def drop_emptied_words(app: Sphinx) -> list[Any]:
    """Leave out of the search index the words that no page holds any more.

    Why: a build that writes only some pages starts from the last index and
    takes those pages out of it; a word only they held stays, with no page,
    where a clean build has no such word, so the two indexes would differ.
    Run at ``html-collect-pages``: after the pages are fed, before the dump.
    """
    indexer = getattr(app.builder, "indexer", None)
    for mapping in (getattr(indexer, "_mapping", {}), getattr(indexer, "_title_mapping", {})):
        for word in [word for word, pages in mapping.items() if not pages]:
            del mapping[word]
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's parts."""
    app.add_config_value("edition_static", True, "html", bool)
    app.add_config_value("edition_assets", "", "html", str)  # set by add_static
    app.add_config_value("edition_sitemap_excludes", [], "html", list)
    app.connect("build-finished", write_sitemap)
    app.connect("env-updated", restore_index_entries)
    app.connect("html-collect-pages", drop_emptied_words)
    # For "html" only: the EPUB builder finds these handlers through its format,
    # and an "epub" registration would hide every other extension's html handlers.
    app.add_node(deletion, html=(visit_deletion, depart_deletion))
    app.add_transform(SemanticSpans)
    app.connect("doctree-read", clean_titles, priority=900)
    app.connect("doctree-read", register_anchors, priority=900)
    app.connect("doctree-read", place_citations, priority=800)
    app.connect("doctree-read", take_contents, priority=100)
    app.connect("env-purge-doc", purge_anchors)
    app.connect("env-merge-info", merge_anchors)
    app.add_post_transform(AnchorLinks)
    app.add_transform(FastWalkRead)
    app.connect("doctree-read", plain_walk, priority=999)  # before the page is pickled
    app.add_post_transform(FastWalk)
    app.connect("doctree-resolved", plain_walk, priority=999)
    app.add_html_theme("edition", str(THEME))
    app.connect("config-inited", add_static)
    app.connect("builder-inited", add_builder_css)
    app.connect("builder-inited", share_formatters)
    app.connect("html-page-context", prune_assets, priority=900)
    app.connect("html-page-context", page_context)
    app.connect("env-updated", sitenav.reset)
    app.connect("html-page-context", sitenav.share_toctree)
    app.add_post_transform(EpubLocalLinks)
    app.add_post_transform(TextChevrons)
    app.connect("html-page-context", mend_descriptions, priority=600)  # after opengraph
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

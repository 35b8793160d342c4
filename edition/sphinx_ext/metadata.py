"""Citation metadata in every page's ``<head>``, and citations inside pages, from the site data.

This extension reads only ``edition/_site.json``, the data file the
pipeline writes beside the pages (see :mod:`edition.site_data`); it never
loads or parses the TEI. The file is registered as a dependency of every
page that uses it, so a changed edition re-reads exactly those pages.

In the ``<head>``
    The tags Zotero's "Embedded Metadata" translator reads (and Google
    Scholar, for the ``citation_*`` ones): ``citation_title``,
    ``citation_author`` (the ECCI with a trailing comma, which Zotero keeps
    as one name), ``citation_publication_date``, ``citation_publisher``,
    ``citation_public_url``, ``citation_language``, and the ``z.`` tags that
    set Zotero fields directly: ``z.itemType``, ``z.edition``,
    ``z.archive``, ``z.archiveLocation`` and ``z.extra`` ("Original Date:
    1923-07-11"). Every page carries the same tags and the same description
    (Zotero's abstract), so saving any page of the edition gives the same
    item, never a near-duplicate; the saved
    address is the reading page's (``citation_public_url``). There is no
    COinS span (Zotero would prefer it and lose the archive) and no
    schema.org JSON-LD (Zotero does not read it). A link to the TEI file is
    given as an alternate form of the page.

Directives and a role for hand-written and generated pages
    ``edition-cite-box`` (optional argument: a section id) puts a cite box:
    one style at a time, chosen with sphinx-design tabs (radio inputs, no
    script needed), Chicago note first; ``:note:`` the short box of the
    reading page (the Chicago note, a link to the rest), ``:sections:``
    every section's full box. ``edition-citation`` (``:style:``,
    optional ``:section:``) puts one citation. ``edition-copy`` (argument:
    what it copies) marks a block the edition's script gives a copy button
    named after it. ``edition-downloads`` lists the published downloads.
    The role ``edition-file`` links a published file relative to the page,
    or names it without a link where the pipeline did not write it (an
    EPUB carries no downloads).

Config values:

``edition_site_data`` (str)
    The data file, relative to the source folder; default
    ``edition/_site.json``.

``edition_fill_boxes`` (bool)
    Fill the boxes after the first of ``:sections:`` into one rendered box
    (see "boxes of one shape, filled in"); default ``True``. Off, every box is
    built as nodes: the same HTML, slower.
"""

from __future__ import annotations

import html
import json
import operator
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective, SphinxRole

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

# The pipeline's data file (edition.site_data.SITE_DATA; a test checks they agree).
# This module imports nothing of the edition's, so nothing here can read the TEI.
SITE_DATA = "edition/_site.json"
# The styles and formats edition-citation offers (the keys of the data's citations).
STYLES = ("chicago-note", "chicago-bibliography", "mla", "apa", "bibtex", "ris")
SOURCE_FORMATS = ("bibtex", "ris")
_cache: dict[tuple[str, int, int], dict[str, Any]] = {}
# Whether a file is published, per (source folder, file), for one build.
_seen: dict[tuple[str, str], bool] = {}


# ---------------------------------------------------------------- the site data


def data_path(env: BuildEnvironment) -> Path:
    """The site data file of this build."""
    return Path(env.srcdir) / (env.config.edition_site_data or SITE_DATA)


def site_data(env: BuildEnvironment) -> dict[str, Any]:
    """The pipeline's data for this build, read once per file version."""
    path = data_path(env)
    if not path.is_file():
        raise ExtensionError(
            f"{path}: the pipeline's site data is missing; run scripts/build_pages.py "
            "(or make html) before Sphinx"
        )
    return read_site_data(path)


def read_site_data(path: Path) -> dict[str, Any]:
    """The data file at ``path``, parsed once per version of the file (path, mtime, size)."""
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _cache:
        _cache.clear()  # one build's data at a time
        _cache[key] = json.loads(path.read_text(encoding="utf-8"))
    return _cache[key]


def _builder(env: BuildEnvironment) -> Any:
    """The builder of this build, as directives can see it.

    ``env.app`` is deprecated in Sphinx 9; the environment keeps the builder's
    class, whose ``name``, ``format`` and ``embedded`` are class attributes.
    """
    return getattr(env, "_builder_cls", None) or env.app.builder


def _web(builder: Any) -> bool:
    """Whether ``builder`` makes web pages (HTML, not an EPUB's or a help file's)."""
    return bool(builder.format == "html" and not getattr(builder, "embedded", False))


def _published(env: BuildEnvironment, target: str) -> bool:
    """True when the pipeline wrote ``target`` for publication and this builder links files.

    Each target is looked up once per build (:data:`_seen`, emptied when a
    build starts reading): a cite box names three files, and the edition's
    pages hold two boxes per section.
    """
    key = (str(env.srcdir), target)
    found = _seen.get(key)
    if found is None:
        extra = site_data(env)["extra_dir"]
        found = _seen[key] = _web(_builder(env)) and (Path(env.srcdir) / extra / target).is_file()
    return found


def _forget_published(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """A new build looks at the published files again (``env-before-read-docs``)."""
    _seen.clear()


# ---------------------------------------------------------------- head


def _meta(name: str, content: str) -> str:
    return f'<meta name="{html.escape(name)}" content="{html.escape(content, quote=True)}" />'


def add_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Append the edition's tags to the page's ``<head>`` (HTML builders only)."""
    if not _web(app.builder):
        return
    data = site_data(app.env)
    tags = [_meta(name, content) for name, content in data["head"]]
    # Zotero saves a page's description as the item's abstract: one description for
    # every page, so that every page gives the same item (sphinxext-opengraph keeps it).
    tags.append(_meta("description", data["description"]))
    context["meta"] = {**(context.get("meta") or {}), "og:description": data["description"]}
    pathto = context.get("pathto")
    if callable(pathto) and _published(app.env, data["tei"]):
        href = html.escape(pathto(data["tei"], 1), quote=True)
        tags.append(
            f'<link rel="alternate" type="application/tei+xml" title="TEI" href="{href}" />'
        )
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


# ---------------------------------------------------------------- copy blocks


class copy_block(nodes.General, nodes.Element):
    """A block whose text the edition's script offers to copy, with its button's name."""


def visit_copy_block_html(self: HTML5Translator, node: copy_block) -> None:
    """Open the block with its copy label as a data attribute the script reads."""
    label = html.escape(node["label"], quote=True)
    self.body.append(f'<div class="cite-text" data-copy="" data-copy-label="{label}">')


def depart_copy_block_html(self: HTML5Translator, node: copy_block) -> None:
    """Close the block."""
    self.body.append("</div>\n")


def _pass(self: object, node: nodes.Node) -> None:
    """Other builders show the block's content as it is."""


class EditionCopy(SphinxDirective):
    """``edition-copy``: content the reader can copy; the argument says what it is."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        """Parse the content as MyST inside a copy block."""
        node = copy_block(label=self.arguments[0])
        node += self.parse_content_to_nodes()
        return [node]


# ---------------------------------------------------------------- citations


class _SiteDirective(SphinxDirective):
    """A directive that reads the site data and re-reads its page when the data change."""

    def data(self) -> dict[str, Any]:
        self.env.note_dependency(str(data_path(self.env)))
        return site_data(self.env)

    def section_id(self, value: str | None) -> str:
        wanted = (value or "").strip()
        if wanted and wanted not in self.data()["citations"]:
            raise self.error(f"{self.name}: no section with the id {wanted!r}")
        return wanted


class EditionCiteBox(_SiteDirective):
    """``edition-cite-box [section-id]``: the cite box the pipeline made for a citation.

    With ``:note:`` (a section's box on the reading page) the short box: the
    Chicago note and a link to every style; with ``:sections:`` (no argument)
    every section's full box, open, each with its own id (``cite-<section>``),
    for that link to land on.
    """

    optional_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {
        "open": directives.flag,
        "note": directives.flag,
        "sections": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        """Parse the box's MyST (sphinx-design dropdown and tabs) into the page."""
        if "sections" in self.options:
            return self.every_section()
        key = self.section_id(self.arguments[0] if self.arguments else None)
        return self.box(key, opened="open" in self.options, note="note" in self.options)

    def every_section(self) -> list[nodes.Node]:
        """Each section's full box in a holder with its id; boxes of one shape filled in.

        The search index skips the holders (``no-search``), as it skips every box.
        """
        keys = [section["id"] for section in self.data()["sections"]]
        plan = self.fill_plan(keys)
        out: list[nodes.Node] = []
        for n, key in enumerate(keys):
            holder = nodes.container("", ids=[f"cite-{key}"], classes=["cite-all", "no-search"])
            if plan is None or not n:
                holder += self.box(key, opened=True)
            else:
                template, found = plan
                if n == 1:
                    holder += template
                holder += found[key].node(self.env)
            out.append(holder)
        return out

    def fill_plan(self, keys: list[str]) -> tuple[box_template, dict[str, Slots]] | None:
        """A template for the boxes after the first and their words, if all have one shape.

        ``None`` (every box built as nodes) for a book, a short list, a box of
        another shape, or with ``edition_fill_boxes`` off.
        """
        if not self.config.edition_fill_boxes or len(keys) < 3 or not _web(_builder(self.env)):
            return None
        boxes = self.data()["boxes"]
        found: dict[str, Slots] = {}
        for key in keys[1:]:
            slots = box_slots(_opened(boxes[key]))
            if slots is None:
                return None
            found[key] = slots
        first = found[keys[1]]
        shape = first.key(self.env)
        if any(slots.key(self.env) != shape for slots in found.values()):
            return None
        made = box_nodes(self, first.template)
        if made is None:
            return None
        return box_template("", *made), found

    def box(self, key: str, *, opened: bool = False, note: bool = False) -> list[nodes.Node]:
        """One citation's box: full (tabs), or the short one with ``note``."""
        if _builder(self.env).name.startswith("epub"):
            # An EPUB's pages must be XML, which sphinx-design's radio inputs are not;
            # a book carries the Chicago note alone.
            chicago = self.data()["citations"][key]["chicago-note"]["myst"]
            box = nodes.container("", classes=["section-cite", "ed"])
            box += self.parse_text_to_nodes(chicago)
            return [box]
        text = self.data()["note_boxes" if note and key else "boxes"][key]
        return cite_box_nodes(self, _opened(text) if opened else text)


def _opened(text: str) -> str:
    """A box's MyST with its dropdown open."""
    first, rest = text.split("\n", 1)
    return f"{first}\n:open:\n{rest}"


# ---------------------------------------------------------------- cite boxes, fast
#
# A cite box is MyST the pipeline writes in one fixed shape: a sphinx-design
# dropdown holding a tab set, one tab per style, each an edition-copy block of one
# paragraph or one code block, then a line of edition-file links. Parsing that
# MyST was half of Sphinx's time at 100x (900 boxes of 14 nested directives).
# :func:`box_nodes` reads exactly that shape and builds the nodes the directives
# would build; anything else in a box (another directive, option or inline
# construct) gives ``None`` and the box is parsed as MyST. The first box of every
# page is built both ways and compared (:func:`cite_box_nodes`): if they differ
# (a new sphinx-design or MyST, a new shape of box), that page's boxes are parsed.

FENCE = re.compile(r"^(:{3,})\{([a-z-]+)\}(?: (.*))?$")
OPTION = re.compile(r"^:([a-z-]+):(?: (.*))?$")
CODE_FENCE = re.compile(r"^(`{3,})([a-z]*)$")
# Inline text the fast path reads: words and escaped punctuation, *emphasis*, and
# the edition-file role. Any other mark-up character sends the box to MyST.
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
PLAIN = re.compile(r"(?:[^\\*`_\[\]<>&{}$~!|\n]|\\[!-/:-@\[-`{-~])+")
EMPHASIS = re.compile(r"\*(?![\s*])((?:[^\\*`_\[\]<>&{}$~!|\n]|\\[!-/:-@\[-`{-~])+?)(?<![\s\\])\*")
FILE_ROLE = re.compile(r"\{edition-file\}`([^`<>]*)<([^`<>]+)>`")
# A link to a section of another page with one class: [label](/page.md#id){.class}
PAGE_LINK = re.compile(
    r"\[([^\\*`_\[\]<>&{}$~!|\n]+)\]\(/([A-Za-z0-9_/-]+)\.md#([A-Za-z0-9_-]+)\)\{\.([a-z-]+)\}"
)
PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
# The escaped character of an ESCAPE match (a C-level callable: ``re.sub`` with the
# template ``r"\1"`` expands it in Python for each of a box's hundred escapes).
_escaped = operator.itemgetter(1)
_checked: dict[str, bool] = {}


class _Unsupported(Exception):
    """The box holds something the fast path does not read; MyST parses it."""


def _pieces(text: str) -> Iterator[tuple[re.Pattern[str], re.Match[str]]]:
    """A line's runs as the fast path reads them, each (its pattern, its match).

    Raises :class:`_Unsupported` at anything else, and at emphasis whose
    flanking MyST could read otherwise.
    """
    at = 0
    while at < len(text):
        for pattern in (PLAIN, EMPHASIS, FILE_ROLE, PAGE_LINK):
            found = pattern.match(text, at)
            if found:
                break
        else:
            raise _Unsupported(text[at:])
        if pattern is EMPHASIS:
            inner = found.group(1)
            after = text[found.end() : found.end() + 1]
            if _punctuation(inner[0]) or _punctuation(inner[-1]) or after.isalnum():
                raise _Unsupported(found.group(0))  # flanking rules: let MyST decide
        yield pattern, found
        at = found.end()


def _unescaped(text: str) -> str:
    return ESCAPE.sub(_escaped, text)


def _inline(directive: SphinxDirective, text: str) -> list[nodes.Node]:
    """The nodes MyST makes of a line of plain text, escapes, emphasis, file and page links."""
    out: list[nodes.Node] = []
    for pattern, found in _pieces(text):
        if pattern is PLAIN:
            out.append(nodes.Text(_unescaped(found.group(0))))
        elif pattern is EMPHASIS:
            out.append(nodes.emphasis("", "", nodes.Text(_unescaped(found.group(1)))))
        elif pattern is FILE_ROLE:
            out.append(file_link(directive.env, found.group(0), found.group(1), found.group(2)))
        else:  # as MyST makes it: a reference to a page, resolved when the page is written
            label, page, target, cls = found.groups()
            out.append(
                addnodes.pending_xref(
                    "",
                    nodes.inline("", label, classes=["xref", "myst"]),
                    classes=[cls],
                    refdoc=directive.env.docname,
                    refdomain="doc",
                    refexplicit=True,
                    reftarget=page,
                    reftargetid=target,
                    reftype="myst",
                )
            )
    return out


def _punctuation(char: str) -> bool:
    """CommonMark's punctuation for the flanking rules: ASCII, Unicode P and S categories."""
    return char in PUNCT or unicodedata.category(char)[0] in "PS"


def file_link(env: BuildEnvironment, rawtext: str, label: str, target: str) -> nodes.Node:
    """``{edition-file}`label <target>```: a link where the file is published, else the label."""
    target = target.strip()
    label = label.strip() or target
    if _published(env, target):
        up = "../" * env.docname.count("/")
        return nodes.reference(rawtext, label, refuri=up + target, classes=["cite-file"])
    return nodes.inline(rawtext, label, classes=["cite-file"])


def _paragraph(directive: SphinxDirective, lines: list[str]) -> nodes.paragraph:
    line = lines[0]
    if len(lines) != 1 or not (line[:1].isalnum() or line[:1] in "\\[") or line != line.strip():
        raise _Unsupported(line)
    return nodes.paragraph(line, "", *_inline(directive, line))


def _blocks(directive: SphinxDirective, lines: list[str]) -> Iterator[nodes.Node]:
    """The nodes of a run of lines: directives, code blocks and one-line paragraphs."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        fence = FENCE.match(line)
        code = CODE_FENCE.match(line)
        if fence:
            end = lines.index(fence.group(1), i + 1)  # ValueError: unclosed
            yield _directive(directive, fence.group(2), fence.group(3) or "", lines[i + 1 : end])
            i = end + 1
        elif code:
            end = lines.index(code.group(1), i + 1)
            text = "\n".join(lines[i + 1 : end]) + "\n"
            yield nodes.literal_block(text, text, language=code.group(2) or "none")
            i = end + 1
        else:
            end = i
            while end < len(lines) and lines[end] and not FENCE.match(lines[end]):
                end += 1
            yield _paragraph(directive, lines[i:end])
            i = end


def _directive(
    directive: SphinxDirective, name: str, argument: str, lines: list[str]
) -> nodes.Element:
    """The node one of the box's four directives makes (sphinx-design 0.8's, and ours).

    The rubrics (the dropdown's title, the tab labels) are given the box's
    source and line, which sphinx-design leaves out: for a rubric without them
    Sphinx's ``ApplySourceWorkaround`` builds a debug message (the node as DOM
    XML) whether or not it is logged, 6,300 times on the 100x downloads page.
    """
    options: dict[str, str | None] = {}
    while lines and OPTION.match(lines[0]):
        found = OPTION.match(lines[0])
        assert found is not None
        options[found.group(1)] = found.group(2)
        lines = lines[1:]
    allowed = {"dropdown": {"class-container", "open"}, "tab-set": {"class"}}
    allowed |= {"tab-item": {"sync"}, "edition-copy": set()}
    if name not in allowed or not set(options) <= allowed[name]:
        raise _Unsupported(name)
    content = list(_blocks(directive, lines))
    node: nodes.Element
    if name == "dropdown":
        if not argument:
            raise _Unsupported(name)
        node = nodes.container(
            "",
            is_div=True,
            design_component="dropdown",
            classes=[],
            opened="open" in options,
            type="dropdown",
            has_title=True,
            icon=None,
            chevron=None,
            container_classes=[
                "sd-mb-3",
                *directives.class_option(options.get("class-container") or ""),
            ],
            title_classes=[],
            body_classes=[],
        )
        title = nodes.rubric(argument, "", *_inline(directive, argument))
        directive.set_source_info(title)  # see _directive's docstring
        node += title
    elif name == "tab-set":
        classes = ["sd-tab-set", *directives.class_option(options.get("class") or "")]
        node = nodes.container("", is_div=True, design_component="tab-set", classes=classes)
        items = [c for c in content if isinstance(c, nodes.Element)]
        if not items or len(items) != len(content):
            raise _Unsupported(name)
        for item in items:
            label = item.children[0]
            if item.get("design_component") != "tab-item" or not isinstance(label, nodes.Element):
                raise _Unsupported(name)
            if "sync_id" in label:
                label["sync_group"] = "tab"
    elif name == "tab-item":
        node = nodes.container(
            "", is_div=True, design_component="tab-item", classes=["sd-tab-item"], selected=False
        )
        label = nodes.rubric(argument, "", *_inline(directive, argument), classes=["sd-tab-label"])
        directive.set_source_info(label)
        if options.get("sync"):
            label["sync_id"] = options["sync"]
        node += label
        tab = nodes.container(
            "", is_div=True, design_component="tab-content", classes=["sd-tab-content"]
        )
        tab.extend(content)
        node += tab
        return node
    else:
        node = copy_block(label=argument)
    directive.set_source_info(node)
    node.extend(content)
    return node


def box_nodes(directive: SphinxDirective, text: str) -> list[nodes.Node] | None:
    """The nodes of a cite box built without MyST, or ``None`` if its shape is not known."""
    if "\t" in text or "\r" in text:
        return None
    try:
        # as docutils splits a directive's content: trailing whitespace dropped
        return list(_blocks(directive, [line.rstrip() for line in text.split("\n")]))
    except (_Unsupported, ValueError):
        return None


def node_signature(node: nodes.Node) -> Any:
    """A node as nested tuples: class, attributes, text and children (adjacent text joined)."""
    if isinstance(node, nodes.Text):
        return str(node)
    assert isinstance(node, nodes.Element)
    children: list[Any] = []
    for child in node.children:
        sig = node_signature(child)
        if isinstance(sig, str) and children and isinstance(children[-1], str):
            children[-1] += sig
        else:
            children.append(sig)
    attributes = tuple(sorted((k, repr(v)) for k, v in node.attributes.items()))
    return (type(node).__name__, attributes, tuple(children))


def cite_box_nodes(directive: SphinxDirective, text: str) -> list[nodes.Node]:
    """A cite box's nodes: built directly where that gives what MyST gives, else parsed."""
    docname = directive.env.docname
    if _checked.get(docname) is False:
        return directive.parse_text_to_nodes(text)
    fast = box_nodes(directive, text)
    if fast is None:
        return directive.parse_text_to_nodes(text)
    if docname not in _checked:  # the first box of the page: both ways, compared
        parsed = directive.parse_text_to_nodes(text)
        _checked[docname] = [node_signature(n) for n in fast] == [node_signature(n) for n in parsed]
        return parsed
    return fast


# ---------------------------------------------------------------- boxes of one shape, filled in
#
# The downloads page holds every section's full box: at 100x, 900 boxes and
# 62,000 nodes, over a third of the site's, which every transform walked, the
# translator visited and the environment pickled (7 s of a 26 s build). All
# but their words are the same. So after the first box, the page keeps one
# box of the shape whose words are markers (box_template), where the second
# box stands, and each box's words alone (box_slot). The template goes
# through every transform the page goes through; when the page is resolved
# its HTML is rendered once by the builder, and each box_slot becomes that
# HTML with its own words, code, file links and tab numbers put in, as the
# translator writes them. tests/test_metadata.py builds the memo's downloads
# page both ways (``edition_fill_boxes`` off) and compares the bytes.

TITLE = "ZqTitleZq"
LABEL = "ZqLabel{}Zq"
PARA = "ZqPara{}Zq"
CODE = "ZqCode{}Zq"
# What the translator's output is cut at: \x00name\x00, where a box's own value goes.
SLOT = re.compile("\x00([a-z]+[0-9]*)\x00")
TAB_ITEM = re.compile(r"sd-tab-item-([0-9]+)")
TAB_SET = re.compile(r"sd-tab-set-([0-9]+)")


class box_template(nodes.General, nodes.Element):
    """A box of the page's boxes' shape whose words are markers; rendered once, then removed."""


class box_slot(nodes.General, nodes.Element):
    """A box kept as its words; :func:`fill_boxes` makes it the template's HTML with them."""


@dataclass(frozen=True)
class Slots:
    """A full box's words, and its MyST with markers where they stand."""

    shape: str  # the MyST, every word and file target a marker
    template: str  # the MyST, every word a marker, the file targets its own
    title: tuple[tuple[bool, str], ...]  # (emphasis?, text) runs
    labels: tuple[str, ...]
    paras: tuple[tuple[tuple[bool, str], ...], ...]  # (emphasis?, text) runs
    codes: tuple[tuple[str, str], ...]  # (language, text)
    files: tuple[str, ...]

    def key(self, env: BuildEnvironment) -> tuple[str, tuple[bool, ...]]:
        """Its shape: boxes with the same key render to the same HTML but for their words."""
        return self.shape, tuple(_published(env, target) for target in self.files)

    def node(self, env: BuildEnvironment) -> box_slot:
        """The box's words as a node of the page (relative file links worked out here)."""
        up = "../" * env.docname.count("/")
        return box_slot(
            "",
            title=[list(run) for run in self.title],
            labels=list(self.labels),
            paras=[list(runs) for runs in self.paras],
            codes=[list(code) for code in self.codes],
            hrefs=[up + target for target in self.files if _published(env, target)],
        )


def box_slots(text: str) -> Slots | None:
    """A full box's words, read as :func:`box_nodes` reads it; ``None`` for another shape."""
    if "\t" in text or "\r" in text or "\x00" in text or "Zq" in text:
        return None
    lines = [line.rstrip() for line in text.split("\n")]
    fence = FENCE.match(lines[0])
    if not fence or fence.group(2) != "dropdown" or not fence.group(3):
        return None
    head, title = f"{fence.group(1)}{{dropdown}} ", fence.group(3)
    shape, template = [head + TITLE], [head + TITLE]
    labels: list[str] = []
    paras: list[tuple[tuple[bool, str], ...]] = []
    codes: list[tuple[str, str]] = []
    files: list[str] = []
    i = 1
    try:
        title_runs = _runs(title)
        while i < len(lines):
            line = lines[i]
            fence = FENCE.match(line)
            if fence and fence.group(2) == "edition-copy":
                end = lines.index(fence.group(1), i + 1)
                mark = f"{fence.group(1)}{{edition-copy}} {LABEL.format(len(labels))}"
                labels.append(fence.group(3) or "")
                body, own = lines[i + 1 : end], [mark]
                code = CODE_FENCE.match(body[0]) if body else None
                if code and len(body) > 1 and body[-1] == code.group(1):
                    own += [body[0], CODE.format(len(codes)), body[-1]]
                    codes.append((code.group(2) or "none", "\n".join(body[1:-1]) + "\n"))
                elif len(body) == 1 and body[0][:1].isalnum():
                    own.append(PARA.format(len(paras)))
                    paras.append(_runs(body[0]))
                else:
                    return None
                shape += [*own, lines[end]]
                template += [*own, lines[end]]
                i = end + 1
                continue
            if line.startswith("Files: "):
                found = FILE_ROLE.findall(line)
                files += [target.strip() for _, target in found]
                shape.append(FILE_ROLE.sub("\x00", line))
            elif line.startswith("Files") or ("{" in line and not FENCE.match(line)):
                return None
            else:
                shape.append(line)
            template.append(line)
            i += 1
    except (ValueError, _Unsupported):
        return None
    return Slots(
        "\n".join(shape),
        "\n".join(template),
        title_runs,
        tuple(labels),
        tuple(paras),
        tuple(codes),
        tuple(files),
    )


def _runs(text: str) -> tuple[tuple[bool, str], ...]:
    """A paragraph of words and emphasis as (emphasis?, text) runs; else :class:`_Unsupported`."""
    runs = []
    for pattern, found in _pieces(text):
        if pattern is PLAIN:
            runs.append((False, _unescaped(found.group(0))))
        elif pattern is EMPHASIS:
            runs.append((True, _unescaped(found.group(1))))
        else:
            raise _Unsupported(found.group(0))
    return tuple(runs)


@dataclass
class _Template:
    """A template's HTML cut at its slots, and the tab numbers it was given."""

    parts: list[str]  # literal, slot name, literal, ... (odd places are names)
    tab_set: int
    first_item: int
    items: int


def _render_template(
    builder: Any, template: box_template, first: box_slot, translator: Any, page: str
) -> _Template:
    """The template's HTML, rendered by the builder, with a slot where each word goes.

    ``first`` is the box the template was made from (its file links are that box's).
    """
    from sphinx_design.tabs import sd_tab_input

    inputs = list(template.findall(sd_tab_input))
    numbers = [_number(TAB_ITEM, n["id"]) for n in inputs]
    tab_set = _number(TAB_SET, inputs[0]["set_id"]) if inputs else 0
    template.parent.remove(template)
    text = builder.render_partial(template)["fragment"]
    wanted = {TITLE: "\x00title\x00"}
    for k in range(len(first["labels"])):
        wanted[LABEL.format(k)] = f"\x00label{k}\x00"
    for k in range(len(first["paras"])):
        wanted[PARA.format(k)] = f"\x00para{k}\x00"
    for k, (lang, _) in enumerate(first["codes"]):
        wanted[_highlight(builder, CODE.format(k) + "\n", lang)] = f"\x00code{k}\x00"
    for j, href in enumerate(first["hrefs"]):
        wanted[f'href="{translator.attval(href)}"'] = f'href="\x00href{j}\x00"'
    for mark, slot in wanted.items():
        if text.count(mark) != 1:
            raise ExtensionError(
                f"{page}: a cite box's HTML did not come out as the edition fills it in "
                f"({mark[:40]!r} found {text.count(mark)} times); build with "
                "-D edition_fill_boxes=0 and compare"
            )
        text = text.replace(mark, slot)
    if "Zq" in text:
        raise ExtensionError(f"{page}: a cite box's template kept a marker; see fill_boxes")
    start = min(numbers, default=0)
    text = TAB_ITEM.sub(lambda m: f"\x00item{int(m.group(1)) - start}\x00", text)
    text = TAB_SET.sub("\x00set\x00", text)
    return _Template(SLOT.split(text), tab_set, start, len(numbers))


def _number(pattern: re.Pattern[str], value: str) -> int:
    """The number at the end of a sphinx-design tab id."""
    found = pattern.fullmatch(value)
    if found is None:
        raise ExtensionError(f"not a sphinx-design tab id: {value!r}")
    return int(found.group(1))


def _highlight(builder: Any, text: str, lang: str) -> str:
    """A code block's HTML inside its wrapper, as ``visit_literal_block`` asks for it."""
    opts = builder.config.highlight_options.get(lang, {})
    return str(builder.highlighter.highlight_block(text, lang, opts=opts, linenos=False))


def fill_boxes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make each box_slot of a page its template's HTML with its own words (``doctree-resolved``).

    The boxes after a template are numbered on from it, so their tab ids are
    those sphinx-design gives when every box is built as nodes; if a tab set
    built as nodes follows them, they are numbered after the page's last.
    """
    # A walk by type, then the test: faster than a walk with a function.
    marks = [n for n in doctree.findall(nodes.Element) if isinstance(n, (box_template, box_slot))]
    if not marks:
        return
    from sphinx_design.tabs import sd_tab_input

    builder: Any = app.builder
    # A translator of the page's writer, for its escaping (the settings it writes with)
    translator = builder.create_translator(new_document(docname, builder.docsettings), builder)
    inputs = list(doctree.findall(sd_tab_input))
    free_item = max((_number(TAB_ITEM, n["id"]) for n in inputs), default=-1) + 1
    free_set = max((_number(TAB_SET, n["set_id"]) for n in inputs), default=-1) + 1
    template: _Template | None = None
    later = False
    n = 0
    for at, mark in enumerate(marks):
        if isinstance(mark, box_template):
            first = marks[at + 1] if at + 1 < len(marks) else None
            if not isinstance(first, box_slot):
                raise ExtensionError(f"{docname}: a cite box template with no box after it")
            template = _render_template(builder, mark, first, translator, docname)
            later = free_item > template.first_item + template.items
            n = 0
            continue
        if template is None or not isinstance(mark, box_slot):
            raise ExtensionError(f"{docname}: a cite box to fill in before its template")
        if later and n:  # numbered after the page's last tab, one box after another
            item0, set_no = free_item, free_set
            free_item, free_set = free_item + template.items, free_set + 1
        else:
            item0, set_no = template.first_item + n * template.items, template.tab_set + n
        html_text = _filled(template, mark, translator, builder, item0, set_no)
        mark.replace_self(nodes.raw("", html_text, format="html"))
        n += 1


def _filled(
    template: _Template, slot: box_slot, translator: Any, builder: Any, item0: int, set_no: int
) -> str:
    """The template's HTML with one box's values in its slots."""
    encode = translator.encode

    def runs(found: list[list[Any]]) -> str:
        return "".join(f"<em>{encode(t)}</em>" if em else encode(t) for em, t in found)

    values = {"title": runs(slot["title"]), "set": f"sd-tab-set-{set_no}"}
    for k, label in enumerate(slot["labels"]):
        values[f"label{k}"] = html.escape(label, quote=True)
    for k, para in enumerate(slot["paras"]):
        values[f"para{k}"] = runs(para)
    for k, (lang, text) in enumerate(slot["codes"]):
        values[f"code{k}"] = _highlight(builder, text, lang)
    for j, href in enumerate(slot["hrefs"]):
        values[f"href{j}"] = translator.attval(href)
    out = []
    for i, part in enumerate(template.parts):
        if i % 2 == 0:
            out.append(part)
        elif part.startswith("item"):
            out.append(f"sd-tab-item-{item0 + int(part[4:])}")
        else:
            out.append(values[part])
    return "".join(out)


class EditionCitation(_SiteDirective):
    """``edition-citation``: one citation of the edition (or a section) in one style."""

    option_spec: ClassVar[dict[str, Any]] = {
        "style": lambda arg: directives.choice(arg, STYLES),
        "section": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        """The style's MyST parsed into the page, or a code block for BibTeX and RIS."""
        key = self.section_id(self.options.get("section"))
        style = self.options.get("style", "chicago-note")
        form = self.data()["citations"][key][style]
        if style in SOURCE_FORMATS:
            text = form["text"].replace("\r\n", "\n")
            block = nodes.literal_block(text, text, classes=["edition-citation"])
            block["language"] = "bibtex" if style == "bibtex" else "text"
            return [block]
        return self.parse_text_to_nodes(form["myst"])


class EditionDownloads(_SiteDirective):
    """``edition-downloads``: the files published with the site, as the pipeline listed them."""

    def run(self) -> list[nodes.Node]:
        """Link each file relative to the current page, or name it where it is not published."""
        up = "../" * self.env.docname.count("/")
        items = nodes.bullet_list(classes=["edition-downloads"])
        for entry in self.data()["downloads"]:
            target = entry["path"]
            name = target.rsplit("/", 1)[-1]
            label: nodes.Node = (
                nodes.reference("", name, refuri=up + target)
                if _published(self.env, target)
                else nodes.literal("", name)
            )
            para = nodes.paragraph("", "", label, nodes.Text(f": {entry['what']}"))
            items += nodes.list_item("", para)
        return [items]


class EditionFile(SphinxRole):
    """``{edition-file}`Label <path>```: a link to a published file, relative to the page."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        """A reference where the file is published, else the label alone."""
        label, _, target = self.text.rpartition("<")
        return [file_link(self.env, self.rawtext, label, target.rstrip(">"))], []


def valid_tab_labels(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Drop the ``aria-controls`` sphinx-design puts on a tab's ``<label>``.

    HTML forbids it on a label bound to an input (the Nu Html Checker reports
    each one); the label's ``for`` already ties it to its radio input, which
    shows the panel. Runs after sphinx-design's own transform has set it.
    """
    try:
        from sphinx_design.tabs import sd_tab_label
    except ImportError:  # pragma: no cover - a listed extension
        return
    for node in doctree.findall(sd_tab_label):  # a type: docutils' walk in C, not a test per node
        node.attributes.pop("aria_controls", None)


def _forget_checks(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """A page read again is checked again (the first box both ways)."""
    _checked.pop(docname, None)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the config value, the head metadata, the directives and the role."""
    app.connect("env-purge-doc", _forget_checks)
    app.connect("env-before-read-docs", _forget_published)
    app.add_config_value("edition_site_data", SITE_DATA, "env", str)
    app.add_node(
        copy_block,
        html=(visit_copy_block_html, depart_copy_block_html),
        latex=(_pass, _pass),
        text=(_pass, _pass),
        man=(_pass, _pass),
        texinfo=(_pass, _pass),
    )
    for node in (box_template, box_slot):  # box_slot never reaches a writer: filled first
        app.add_node(node, html=(_pass, _pass), latex=(_pass, _pass), text=(_pass, _pass))
    app.add_config_value("edition_fill_boxes", True, "env", bool)
    app.connect("doctree-resolved", fill_boxes, priority=900)  # after valid_tab_labels
    app.add_directive("edition-copy", EditionCopy)
    app.add_directive("edition-cite-box", EditionCiteBox)
    app.add_directive("edition-citation", EditionCitation)
    app.add_directive("edition-downloads", EditionDownloads)
    app.add_role("edition-file", EditionFile())
    # After sphinx-notfound-page (400), whose pathto makes the 404 page's links
    # absolute, and before sphinxext-opengraph (500), which keeps a description
    # that is already there.
    app.connect("html-page-context", add_metadata, priority=450)
    app.connect("doctree-resolved", valid_tab_labels)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}

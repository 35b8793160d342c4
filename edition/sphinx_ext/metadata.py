"""Bibliographic metadata in every page's ``<head>``, and citations inside pages.

Reference managers, library catalogues and search engines read a page's
``<head>``, not its text, so each HTML page carries the edition's citation in
the forms they read:

* Highwire Press tags (``citation_title``, ``citation_author``,
  ``citation_editor``, ``citation_publication_date``, ``citation_publisher``,
  ``citation_public_url``, ``citation_language``), as Zotero's "Embedded
  Metadata" translator and Google Scholar read them. Zotero takes names
  "Family, Given" and reads no archive tag, so the archival source is given
  in Dublin Core and JSON-LD only;
* Dublin Core (``DC.*`` and ``DCTERMS.*`` with their ``schema.DC`` links);
* schema.org JSON-LD: the edition as a ``Book`` based on the print edition
  and the archival item; on the reading page its sections as ``hasPart``
  entries with their URLs; on other pages a ``WebPage`` that is part of it;
* a link to the TEI file as an alternate form of the page.

The page-level data is always the edition's: a page is one document of it.
OpenGraph tags come from sphinxext-opengraph and the canonical link from
``html_baseurl`` (see ``conf.py``).

The directive ``edition-citation`` writes a citation into a page at build
time (``:style:`` one of :data:`STYLES` or ``bibtex``/``ris``, optional
``:section:`` an id), and ``edition-downloads`` lists the files published
beside the pages, so hand-written pages cite the edition from the same model.

Config values:

``edition_tei`` (str)
    The TEI file, relative to the configuration folder; default
    ``tei/nucleus.xml``. The environment variable ``EDITION_TEI`` overrides
    it, so that a build from another TEI file (``make html TEI=...``) gets
    that file's metadata.
``edition_base_url`` (str)
    Where the site is published; default :func:`edition.citation.base_url`.
``edition_section_citations`` (bool, default True)
    Put each section's citation, and a link to its TEI, under its heading on
    the reading page (see :func:`add_section_citations`).

The model is loaded once per build and TEI file.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from edition import citation
from edition import model as m
from edition.errors import EditionError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

DEFAULT_TEI = Path("tei") / "nucleus.xml"
STYLES = {
    "chicago-note": citation.chicago_note,
    "chicago-bibliography": citation.chicago_bibliography,
    "mla": citation.mla,
    "apa": citation.apa,
}
SOURCE_STYLES = {"bibtex": (citation.bibtex, "bibtex"), "ris": (citation.ris, "text")}
ITALIC = re.compile(r"<i>(.*?)</i>")
TAG = re.compile(r"<[^>]+>")
_cache: dict[tuple[str, int], m.Edition] = {}


# ---------------------------------------------------------------- the model


def tei_path(config: Config, confdir: str | Path) -> Path:
    """The TEI file this build describes: ``EDITION_TEI``, ``edition_tei`` or the default."""
    raw = os.environ.get("EDITION_TEI", "").strip() or config.edition_tei or str(DEFAULT_TEI)
    path = Path(raw)
    return path if path.is_absolute() else (Path(confdir) / path).resolve()


def load(path: Path) -> m.Edition:
    """The model of ``path``, read once per file version (the pipeline already checked it)."""
    from edition.pipeline import load_edition

    key = (str(path), path.stat().st_mtime_ns if path.exists() else 0)
    if key not in _cache:
        try:
            _cache[key] = load_edition(path)
        except EditionError as exc:
            problems = "\n".join(str(p) for p in exc.problems)
            raise ExtensionError(f"cannot read the edition's TEI file:\n{problems}") from exc
    return _cache[key]


def edition_of(app: Sphinx) -> m.Edition:
    """The model for this build."""
    return load(tei_path(app.config, app.confdir))


def base_of(app: Sphinx) -> str:
    """The site's base URL, ending in ``/``."""
    base = app.config.edition_base_url or citation.base_url()
    return base if base.endswith("/") else base + "/"


# ---------------------------------------------------------------- head


def _meta(name: str, content: str) -> str:
    return f'<meta name="{name}" content="{html.escape(content, quote=True)}" />'


def _date_slashes(iso: str) -> str:
    """Highwire dates are written ``YYYY/MM/DD``."""
    return iso.replace("-", "/")


def highwire(f: citation.Facts) -> list[str]:
    """Highwire Press tags, in the forms Zotero's Embedded Metadata translator reads."""
    tags = [
        _meta("citation_title", f.title),
        _meta("citation_author", f.author),
        _meta("citation_editor", f.editor.inverted),
        _meta("citation_publication_date", _date_slashes(f.date)),
        _meta("citation_publisher", f.publisher),
        _meta("citation_public_url", f.url),
    ]
    if f.language:
        tags.append(_meta("citation_language", f.language))
    return tags


def dublin_core(f: citation.Facts, edition: m.Edition) -> list[str]:
    """Dublin Core elements and terms, with the schema links that declare the prefixes."""
    tags = [
        '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/" />',
        '<link rel="schema.DCTERMS" href="http://purl.org/dc/terms/" />',
        _meta("DC.title", f.title),
        _meta("DC.creator", f.author),
        _meta("DC.contributor", f.editor.inverted),
        _meta("DC.publisher", f.publisher),
        _meta("DC.date", f.date),
        _meta("DCTERMS.created", f.origin_date),
        _meta("DC.type", "Text"),
        _meta("DC.format", "text/html"),
        _meta("DC.identifier", f.url),
    ]
    if f.language:
        tags.append(_meta("DC.language", f.language))
    if f.printed is not None:
        p = f.printed
        tags.append(
            _meta("DC.source", f"{p.title}, ed. {p.editor} ({p.place}: {p.publisher}, {p.year})")
        )
    tags.append(_meta("DC.source", f.archival.reference))
    if f.licence_url:
        tags += [_meta("DC.rights", f.licence_url), _meta("DCTERMS.license", f.licence_url)]
    tags.append(
        _meta("DCTERMS.bibliographicCitation", citation.chicago_bibliography(edition, f.url))
    )
    return tags


def edition_json_ld(
    edition: m.Edition, base: str, resource: str, with_parts: bool
) -> dict[str, Any]:
    """The edition as a schema.org ``Book`` based on the print edition and the archival item."""
    h = edition.header
    reading = citation.reading_url(base)
    f = citation.facts(edition, reading)
    archival = f.archival
    ms_items = {i.id: i for i in h.manuscript.items}
    base_wit = next((w for w in h.witnesses if w.items), None)
    item_title = (
        citation.plain(ms_items[base_wit.items[0]].title)
        if base_wit and base_wit.items and base_wit.items[0] in ms_items
        else h.title
    )
    based_on: list[dict[str, Any]] = []
    if f.printed is not None:
        p = f.printed
        based_on.append(
            {
                "@type": "Book",
                "name": p.title,
                "editor": {"@type": "Person", "name": p.editor},
                "publisher": {"@type": "Organization", "name": p.publisher, "location": p.place},
                "datePublished": p.year,
            }
        )
    based_on.append(
        {
            "@type": "ArchiveComponent",
            "name": item_title,
            "dateCreated": f.origin_date,
            "identifier": ", ".join(x for x in (archival.shelfmark, archival.locus) if x),
            "itemLocation": archival.reference,
            "holdingArchive": {
                "@type": "ArchiveOrganization",
                "name": archival.repository,
                "address": ", ".join(x for x in (archival.settlement, archival.country) if x),
            },
        }
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Book",
        "@id": reading,
        "url": reading,
        "name": h.title,
        "alternativeHeadline": h.subtitle,
        "description": h.edition,
        "author": {"@type": "Organization", "name": f.author},
        "editor": {
            "@type": "Person",
            "name": f.editor.full,
            "givenName": f.editor.given,
            "familyName": f.editor.family,
        },
        "publisher": {"@type": "Organization", "name": f.publisher},
        "datePublished": f.date,
        "version": f.version,
        "bookEdition": f.edition_statement,
        "bookFormat": "https://schema.org/EBook",
        "inLanguage": f.language,
        "license": f.licence_url,
        "isAccessibleForFree": True,
        "isBasedOn": based_on,
        "encoding": [
            {
                "@type": "MediaObject",
                "contentUrl": f"{base}downloads/{resource}.xml",
                "encodingFormat": "application/tei+xml",
            },
            {
                "@type": "MediaObject",
                "contentUrl": f"{base}downloads/{resource}.txt",
                "encodingFormat": "text/plain",
            },
        ],
    }
    if with_parts:
        data["hasPart"] = [
            section_json_ld(edition, reading, base, resource, div, i)
            for i, div in enumerate(citation.sections(edition), 1)
        ]
    return {k: v for k, v in data.items() if v not in ("", None, [])}


def section_json_ld(
    edition: m.Edition, reading: str, base: str, resource: str, div: m.Division, position: int
) -> dict[str, Any]:
    """One section: its name with number, its URL with fragment, its TEI and its citation."""
    s = citation.section_facts(div)
    url = f"{reading}#{div.id}"
    return {
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": f"{s.label}. {s.heading}" if s.numbered else s.title,
        "position": position,
        "isPartOf": {"@id": reading},
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": f"{base}dts/document/{resource}/{div.id}.xml",
            "encodingFormat": "application/tei+xml",
        },
        "creditText": citation.chicago_note(edition, reading, div),
    }


def page_json_ld(
    edition_data: dict[str, Any], page_url: str, title: str, language: str
) -> dict[str, Any]:
    """A page other than the reading text: a ``WebPage`` that is part of the edition."""
    part = {k: v for k, v in edition_data.items() if k != "@context"}
    data = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": page_url,
        "url": page_url,
        "name": title,
        "inLanguage": language,
        "isPartOf": part,
    }
    return {k: v for k, v in data.items() if v}


def _script(data: dict[str, Any]) -> str:
    """A JSON-LD script element; ``</`` is escaped so no value can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def page_title(context: dict[str, Any]) -> str:
    """The page's title as text."""
    return html.unescape(TAG.sub("", context.get("title") or "")).strip()


def add_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Append the edition's metadata to the page's ``<head>`` (HTML builders only)."""
    builder = app.builder
    if builder.format != "html" or getattr(builder, "embedded", False):
        return
    from edition.render import GENERATED_DIR, READING

    edition = edition_of(app)
    base = base_of(app)
    resource = tei_path(app.config, app.confdir).stem
    page_url = base + builder.get_target_uri(pagename)
    f = citation.facts(edition, page_url)
    reading_page = pagename == f"{GENERATED_DIR}/{READING}"
    edition_data = edition_json_ld(edition, base, resource, with_parts=reading_page)
    data = (
        edition_data
        if reading_page
        else page_json_ld(edition_data, page_url, page_title(context), f.language)
    )
    # Link the TEI file only where the pipeline has written it for publication.
    from edition.publish.paths import EXTRA_DIR

    pathto = context.get("pathto")
    tei_file = f"downloads/{resource}.xml"
    published = (Path(app.srcdir) / EXTRA_DIR / tei_file).is_file()
    tei_href = pathto(tei_file, 1) if callable(pathto) and published else ""
    tags = [*highwire(f), *dublin_core(f, edition)]
    if reading_page:
        # The page's first words are the title and a side note: describe it from the header.
        description = f"{edition.header.title}. {edition.header.edition}."
        tags.append(_meta("description", description))
        context["meta"] = {**(context.get("meta") or {}), "og:description": description}
    if tei_href:
        tags.append(
            f'<link rel="alternate" type="application/tei+xml" title="TEI" '
            f'href="{html.escape(tei_href, quote=True)}" />'
        )
    tags.append(_script(data))
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


# ---------------------------------------------------------------- sections of the reading page


def add_section_citations(app: Sphinx, doctree: nodes.document) -> None:
    """Give each section of the reading page its own citation and a link to its TEI.

    The citation (Chicago note) follows the section's heading, marked ``ed``
    as the edition's apparatus. The link goes to the section's document in
    the static DTS API (``../dts/document/<name>/<id>.xml`` from the reading
    page) when the pipeline has written it, and not in an EPUB, which does
    not carry those files.
    """
    from edition.publish.paths import EXTRA_DIR, document_path, source_link
    from edition.render import GENERATED_DIR, READING

    docname = app.env.current_document.docname
    if docname != f"{GENERATED_DIR}/{READING}" or not app.config.edition_section_citations:
        return
    path = tei_path(app.config, app.confdir)
    app.env.note_dependency(str(path))
    edition = load(path)
    reading = citation.reading_url(base_of(app))
    builder = app.builder
    linked = builder.format == "html" and not getattr(builder, "embedded", False)
    page = builder.get_target_uri(docname)
    extra = Path(app.srcdir) / EXTRA_DIR
    by_id = {i: node for node in doctree.findall(nodes.Element) for i in node.get("ids", [])}
    for div in citation.sections(edition):
        node = by_id.get(div.id)
        if node is None:
            continue
        source = ""
        if linked and (extra / document_path(path.stem, div.id)).is_file():
            source = source_link(path.stem, div.id, page)
        block = section_citation_block(edition, reading, div, source)
        titled = isinstance(node, nodes.section) and isinstance(node.next_node(), nodes.title)
        node.insert(1 if titled else 0, block)


def section_citation_block(
    edition: m.Edition, reading: str, div: m.Division, source: str
) -> nodes.container:
    """A collapsed "Cite this section" box: every style, ready to copy, and the TEI link.

    ``<details>`` opens without JavaScript; edition.js adds copy buttons.
    """
    box = nodes.container("", classes=["section-cite", "ed", "edition-aside"])
    label = f"Cite § {div.n}" if div.n else "Cite this section"
    box += nodes.raw(
        "", f'<details class="cite-details"><summary>{html.escape(label)}</summary>', format="html"
    )
    styles = (
        ("Chicago (note)", "chicago-note"),
        ("Chicago (bibliography)", "chicago-bibliography"),
        ("MLA", "mla"),
        ("APA", "apa"),
    )
    for title, key in styles:
        para = nodes.paragraph("", "", classes=["cite-style", f"cite-{key}"])
        para += nodes.strong("", f"{title}: ")
        text = nodes.inline("", "", classes=["cite-text"])
        text.extend(_inline_nodes(STYLES[key](edition, reading, div, html=True)))
        para += text
        box += para
    for title, key in (("BibTeX", "bibtex"), ("RIS", "ris")):
        function, _language = SOURCE_STYLES[key]
        box += nodes.paragraph("", "", nodes.strong("", f"{title}:"), classes=["cite-style"])
        code = function(edition, reading, div)
        box += nodes.literal_block(code, code, language="text", classes=["cite-code"])
    if source:
        para = nodes.paragraph("", "", classes=["cite-style"])
        para += nodes.reference(
            "", "View this section's TEI source", refuri=source, classes=["tei-source"]
        )
        box += para
    box += nodes.raw("", "</details>", format="html")
    return box


# ---------------------------------------------------------------- directive


def _inline_nodes(markup: str) -> list[nodes.Node]:
    """Turn the citation functions' HTML (escaped text and ``<i>``) into docutils nodes."""
    out: list[nodes.Node] = []
    pos = 0
    for found in ITALIC.finditer(markup):
        if found.start() > pos:
            out.append(nodes.Text(html.unescape(markup[pos : found.start()])))
        out.append(nodes.emphasis("", html.unescape(found.group(1))))
        pos = found.end()
    if pos < len(markup):
        out.append(nodes.Text(html.unescape(markup[pos:])))
    return out


class EditionCitation(SphinxDirective):
    """``edition-citation``: the edition's (or a section's) citation in a given style."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "style": lambda arg: directives.choice(arg, (*STYLES, *SOURCE_STYLES)),
        "section": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        """Build the citation from the model; the page is re-read when the TEI changes."""
        path = tei_path(self.config, self.env.app.confdir)
        self.env.note_dependency(str(path))
        edition = load(path)
        url = citation.reading_url(base_of(self.env.app))
        division = None
        if "section" in self.options:
            wanted = self.options["section"].strip()
            division = next((d for d in citation.sections(edition) if d.id == wanted), None)
            if division is None:
                raise self.error(f"edition-citation: no section with the id {wanted!r}")
        style = self.options.get("style", "chicago-note")
        if style in SOURCE_STYLES:
            make, language = SOURCE_STYLES[style]
            text = make(edition, url, division)
            block = nodes.literal_block(text, text, classes=["edition-citation"])
            block["language"] = language
            return [block]
        markup = STYLES[style](edition, url, division, html=True)
        return [nodes.paragraph("", "", *_inline_nodes(markup), classes=["edition-citation"])]


DOWNLOADS = (
    ("downloads/{name}.xml", "TEI P5 XML master file, the single source of the edition"),
    ("downloads/{schema}", "its RELAX NG schema, named in the file's xml-model instruction"),
    ("downloads/{name}.txt", "the reading text as plain text, notes after the text"),
    ("downloads/{name}.bib", "the citation as BibTeX"),
    ("downloads/{name}.ris", "the citation as RIS (EndNote, Zotero, Mendeley)"),
    ("downloads/{name}.json", "the citation as CSL-JSON (Zotero, Pandoc)"),
    ("dts/index.jsonld", "the entry point of the Distributed Text Services API"),
)


class EditionDownloads(SphinxDirective):
    """``edition-downloads``: a list of the files published with the site, named after the TEI."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        """Link each file relative to the current page (they sit at the site root).

        A file the pipeline has not written (a build of the pages alone) is
        named without a link, so the page never links to nothing.
        """
        from edition.publish.downloads import tei_download
        from edition.publish.paths import EXTRA_DIR
        from edition.tei import parse

        path = tei_path(self.config, self.env.app.confdir)
        self.env.note_dependency(str(path))
        _, schema = tei_download(parse(path))
        up = "../" * self.env.docname.count("/")
        extra = Path(self.env.srcdir) / EXTRA_DIR
        items = nodes.bullet_list(classes=["edition-downloads"])
        for pattern, what in DOWNLOADS:
            target = pattern.format(name=path.stem, schema=schema)
            name = target.rsplit("/", 1)[-1]
            if (extra / target).is_file():
                label: nodes.Node = nodes.reference("", name, refuri=up + target)
            else:
                label = nodes.literal("", name)
            para = nodes.paragraph("", "", label, nodes.Text(f": {what}"))
            items += nodes.list_item("", para)
        return [items]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the config values, the head metadata and the directive."""
    app.add_config_value("edition_tei", "", "env", str)
    # The default is computed now, so that a build for another address
    # (EDITION_BASE_URL) counts as a configuration change and re-reads pages.
    app.add_config_value("edition_base_url", citation.base_url(), "env", str)
    app.add_config_value("edition_section_citations", True, "env", bool)
    app.add_directive("edition-citation", EditionCitation)
    app.add_directive("edition-downloads", EditionDownloads)
    # After sphinx-notfound-page (400), whose pathto makes the 404 page's links
    # absolute, and before sphinxext-opengraph (500), which keeps a description
    # that is already there.
    app.connect("html-page-context", add_metadata, priority=450)
    app.connect("doctree-read", add_section_citations)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

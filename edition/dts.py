"""Files the site publishes besides its pages: downloads, robots.txt and a static DTS API.

:func:`extra_files` returns every such file as ``{site-relative path: bytes}``;
the pipeline writes them where Sphinx copies them to the root of the built
site. Everything is derived from the loaded TEI document and its model, so
another TEI file gives another, consistent set of files.

Downloads (``downloads/``)
    ``<name>.xml``, the TEI master file byte for byte, with an ``xml-model``
    processing instruction naming its schema; the schema itself beside it;
    ``<name>.txt``, the reading text (the base witness, notes after it);
    ``<name>.bib``, ``<name>.ris``, ``<name>.json``: the citation as BibTeX,
    RIS and CSL-JSON.

Distributed Text Services (``dts/``)
    A DTS 1.0 server of conformance level 0, as static files. Since static
    hosting cannot read query strings, the URI templates use path segments
    and path parameters, as the specification's section "URI Templates
    examples for static website" shows, and end in a file extension so that
    hosts serve the right media type::

        dts/index.jsonld                                 entry point
        dts/collection{/id,nav}.jsonld                   collections
        dts/navigation/{resource}{;down}{/ref}.jsonld    navigation
        dts/document/{resource}{/ref}.xml                TEI documents

    The citation tree is the one the TEI file declares in
    ``refsDecl/citeStructure``; a unit's identifier is the value its ``@use``
    selects (the ``xml:id``), prefixed by its parent's identifier only when
    the structure declares a ``@delim``. Level 0 needs no ranges: ``start``
    and ``end`` are not offered, and neither is ``page`` (no response is
    paginated).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition import citations, render
from edition import model as m
from edition.citations import Citations
from edition.tei import DEFAULT_SCHEMA, NS, TEI_NS, XML_LANG, Document, local

# Where the pipeline writes these files in the Sphinx source folder; the
# extension publishes that folder at the site root (html_extra_path).
EXTRA_DIR = "edition/_extra"
DTS_CONTEXT = "https://dtsapi.org/context/v1.0.json"
DTS_VERSION = "1.0"
DTS_NS = "https://w3id.org/api/dts#"
TEI_MEDIA_TYPE = "application/tei+xml"
ROOT_COLLECTION = "root"
DCTERMS = "http://purl.org/dc/terms/"
RELAXNG_NS = "http://relaxng.org/ns/structure/1.0"
SPACE = re.compile(r"\s+")

# ---------------------------------------------------------------- URLs


def entry_url(base: str) -> str:
    """The DTS entry point."""
    return f"{base}dts/index.jsonld"


def collection_template(base: str) -> str:
    """URI template (RFC 6570) of the Collection endpoint."""
    return f"{base}dts/collection{{/id,nav}}.jsonld"


def navigation_template(base: str, resource: str | None = None) -> str:
    """URI template of the Navigation endpoint, for every resource or for one."""
    return f"{base}dts/navigation/{resource or '{resource}'}{{;down}}{{/ref}}.jsonld"


def document_template(base: str, resource: str | None = None) -> str:
    """URI template of the Document endpoint, for every resource or for one."""
    return f"{base}dts/document/{resource or '{resource}'}{{/ref}}.xml"


def collection_path(id: str | None = None, nav: str | None = None) -> str:
    """Where ``collection{/id,nav}.jsonld`` expands to, relative to the site."""
    return "dts/collection" + "".join(f"/{p}" for p in (id, nav) if p) + ".jsonld"


def navigation_path(resource: str, ref: str | None = None, down: int | None = None) -> str:
    """Where ``navigation/{resource}{;down}{/ref}.jsonld`` expands to."""
    down_part = f";down={down}" if down is not None else ""
    ref_part = f"/{ref}" if ref else ""
    return f"dts/navigation/{resource}{down_part}{ref_part}.jsonld"


def document_path(resource: str, ref: str | None = None) -> str:
    """Where ``document/{resource}{/ref}.xml`` expands to."""
    return f"dts/document/{resource}{'/' + ref if ref else ''}.xml"


def source_link(resource: str, ref: str, from_page: str) -> str:
    """A relative link from a page (e.g. ``edition/memo.html``) to a unit's TEI document."""
    up = "../" * from_page.count("/")
    return up + document_path(resource, ref)


# ---------------------------------------------------------------- TEI helpers


def _norm(text: str) -> str:
    """Collapse white space, as the reading text does."""
    return SPACE.sub(" ", text).strip()


def unit_text(el: etree._Element) -> str:
    """The words of a unit in the base text: notes and other witnesses' readings left out."""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and local(child) not in ("note", "rdg"):
                walk(child)
            if child.tail:
                out.append(child.tail)

    walk(el)
    return _norm("".join(out))


_XPATH_TOKEN = re.compile(
    r"""(?P<string>"[^"]*"|'[^']*')"""
    r"""|(?P<name>@?[A-Za-z_][\w.-]*(?::[A-Za-z_*][\w.-]*)?)(?P<after>\s*(?:\(|::))?"""
    r"""|(?P<space>\s+)|(?P<other>//|::|\S)""",
)
_STEP_STARTS = {None, "/", "//", "[", "(", ",", "|", "::"}


def tei_xpath(expression: str) -> str:
    """Put the TEI prefix on unprefixed element names of an XPath 1.0 expression.

    ``citeStructure/@match`` and ``@use`` are written with TEI as the default
    element namespace, which XPath 1.0 (lxml) does not have: ``/TEI/text/body/div``
    becomes ``/tei:TEI/tei:text/tei:body/tei:div``. Attributes, functions,
    axes, literals and operators (``div`` after an operand) are left alone.
    """
    out: list[str] = []
    previous: str | None = None
    for token in _XPATH_TOKEN.finditer(expression):
        text = token.group(0)
        name = token.group("name")
        if name is not None:
            after = token.group("after") or ""
            is_step = (
                not name.startswith("@")
                and ":" not in name
                and not after
                and previous in _STEP_STARTS
            )
            out.append(("tei:" + text) if is_step else text)
            previous = "::" if after.strip() == "::" else "name"
        elif token.group("string") is not None:
            out.append(text)
            previous = "literal"
        elif token.group("space") is not None:
            out.append(text)
        else:
            out.append(text)
            previous = text
    return "".join(out)


def _xpath(context: etree._Element | etree._ElementTree, expression: str) -> list:
    """Evaluate a TEI-style XPath with the TEI prefix bound."""
    result = context.xpath(tei_xpath(expression), namespaces=NS)
    return result if isinstance(result, list) else [result]


def _string_value(value: object) -> str:
    """The string value of an XPath result item."""
    if isinstance(value, etree._Element):
        return unit_text(value)
    return _norm(str(value))


def element_path(el: etree._Element) -> str:
    """An XPath that selects exactly ``el``: by its ``xml:id`` when it has one."""
    xml_id = el.get("{http://www.w3.org/XML/1998/namespace}id")
    if xml_id:
        return f"//*[@xml:id='{xml_id}']"
    return el.getroottree().getpath(el)


# ---------------------------------------------------------------- citation tree


@dataclass(frozen=True)
class CiteStructure:
    """One ``citeStructure``: a kind of unit, how to find it, and its children."""

    unit: str
    match: str
    use: str
    delim: str
    data: tuple[tuple[str, str], ...]  # (property, use) of each citeData
    children: tuple[CiteStructure, ...]

    def as_json(self) -> dict:
        """The DTS ``CiteStructure`` object."""
        out: dict = {"@type": "CiteStructure", "citeType": self.unit}
        if self.children:
            out["citeStructure"] = [c.as_json() for c in self.children]
        return out


@dataclass(frozen=True)
class Unit:
    """A citable unit found in the document."""

    identifier: str
    level: int
    parent: str | None
    cite_type: str
    element: etree._Element = field(compare=False, repr=False)
    title: str = ""


def _structures(parent: etree._Element) -> tuple[CiteStructure, ...]:
    return tuple(
        CiteStructure(
            unit=cs.get("unit", ""),
            match=cs.get("match", ""),
            use=cs.get("use", ""),
            delim=cs.get("delim", ""),
            data=tuple(
                (d.get("property", ""), d.get("use", "")) for d in cs.iterfind("tei:citeData", NS)
            ),
            children=_structures(cs),
        )
        for cs in parent.iterfind("tei:citeStructure", NS)
    )


def cite_structures(doc: Document) -> tuple[CiteStructure, ...]:
    """The default citation tree declared in the first ``refsDecl``."""
    decl = doc.root.find("tei:teiHeader/tei:encodingDesc/tei:refsDecl", NS)
    return _structures(decl) if decl is not None else ()


def depth(structures: tuple[CiteStructure, ...]) -> int:
    """How many levels the citation tree has."""
    return max((1 + depth(s.children) for s in structures), default=0)


def units(doc: Document) -> list[Unit]:
    """Every citable unit, in document order (pre-order, depth first), as DTS requires."""
    found: list[tuple[etree._Element, Unit]] = []

    def collect(
        context: etree._Element | etree._ElementTree,
        structures: tuple[CiteStructure, ...],
        level: int,
        parent: Unit | None,
    ) -> None:
        for cs in structures:
            for el in _xpath(context, cs.match):
                if not isinstance(el, etree._Element):
                    continue
                own = "".join(_string_value(v) for v in _xpath(el, cs.use))
                if not own:
                    continue
                identifier = f"{parent.identifier}{cs.delim}{own}" if parent and cs.delim else own
                title = ""
                for prop, use in cs.data:
                    if prop == f"{DCTERMS}title":
                        title = " ".join(_string_value(v) for v in _xpath(el, use))
                unit = Unit(
                    identifier, level, parent.identifier if parent else None, cs.unit, el, title
                )
                found.append((el, unit))
                collect(el, cs.children, level + 1, unit)

    collect(doc.tree, cite_structures(doc), 1, None)
    # Several structures may match at one level: put everything in document order.
    position = {el: i for i, el in enumerate(doc.root.iter())}
    found.sort(key=lambda pair: position.get(pair[0], 0))
    return [unit for _, unit in found]


def children_of(all_units: list[Unit]) -> dict[str | None, list[Unit]]:
    """Units by parent identifier, in document order (built once: no quadratic scans)."""
    out: dict[str | None, list[Unit]] = {}
    for unit in all_units:
        out.setdefault(unit.parent, []).append(unit)
    return out


def descendants(
    all_units: list[Unit],
    ref: Unit,
    down: int,
    children: dict[str | None, list[Unit]] | None = None,
) -> list[Unit]:
    """``ref`` and its descendants down to ``down`` levels below it (``-1``: all)."""
    children = children if children is not None else children_of(all_units)
    out: list[Unit] = []

    def walk(unit: Unit) -> None:
        out.append(unit)
        for child in children.get(unit.identifier, []):
            if down < 0 or child.level - ref.level <= down:
                walk(child)

    walk(ref)
    return out


# ---------------------------------------------------------------- DTS JSON-LD


@dataclass
class Dts:
    """Builds the DTS responses of one resource (one TEI document)."""

    doc: Document
    edition: m.Edition
    base: str
    resource: str
    units: list[Unit] = field(init=False)
    structures: tuple[CiteStructure, ...] = field(init=False)
    lang: str = field(init=False, default="")
    cites: Citations | None = None

    def __post_init__(self) -> None:
        self.units = units(self.doc)
        self.children = children_of(self.units)
        self.structures = cite_structures(self.doc)
        self.lang = self.doc.root.get(XML_LANG, "")

    def _head(self, **rest: object) -> dict:
        return {"@context": DTS_CONTEXT, "dtsVersion": DTS_VERSION, **rest}

    def entry(self) -> dict:
        """The entry point: where the three endpoints are."""
        return self._head(
            **{
                "@id": entry_url(self.base),
                "@type": "EntryPoint",
                "collection": collection_template(self.base),
                "navigation": navigation_template(self.base),
                "document": document_template(self.base),
            }
        )

    def _dublin_core(self) -> dict:
        h = self.edition.header
        cites = self.cites or citations.build(self.doc, self.edition, self.base)
        d = cites.description
        p = d.print_edition
        editor = p.editor.full if p.editor else ""
        sources = [
            f"{p.title}, ed. {editor} ({p.place}: {p.publisher}, {p.year})",
            f"{d.document.repository}, {d.document.location}",
        ]
        dc: dict = {
            "title": [{"lang": self.lang, "value": h.title}] if self.lang else [h.title],
            "creator": [h.author],
            "publisher": [h.publisher],
            "date": h.date,
            "created": h.creation_date,
            "language": [ident for ident, _ in h.languages],
            "license": h.licence_url,
            "source": sources,
            "bibliographicCitation": cites.style("chicago-bibliography").text,
        }
        return {k: v for k, v in dc.items() if v not in ("", [], None)}

    def resource_object(self) -> dict:
        """The ``Resource``: metadata, endpoint templates, citation tree, download."""
        h = self.edition.header
        return {
            "@id": self.resource,
            "@type": "Resource",
            "title": h.title,
            "description": h.edition,
            "totalParents": 1,
            "totalChildren": 0,
            "dublinCore": self._dublin_core(),
            "collection": f"{self.base}dts/collection/{self.resource}{{/nav}}.jsonld",
            "navigation": navigation_template(self.base, self.resource),
            "document": document_template(self.base, self.resource),
            "download": f"{self.base}downloads/{self.resource}.xml",
            "mediaTypes": [TEI_MEDIA_TYPE],
            "citationTrees": [
                {"@type": "CitationTree", "citeStructure": [s.as_json() for s in self.structures]}
            ],
        }

    def root_object(self) -> dict:
        """The root ``Collection``, which holds the one resource."""
        h = self.edition.header
        project = " ".join(render.plain(p) for p in h.project)
        out = {
            "@id": ROOT_COLLECTION,
            "@type": "Collection",
            "title": h.publisher,
            "totalParents": 0,
            "totalChildren": 1,
            "collection": collection_template(self.base),
            "dublinCore": {"publisher": [h.publisher], "title": [h.publisher]},
        }
        if project:
            out["description"] = project
        return out

    def collections(self) -> dict[str, dict]:
        """Every Collection endpoint response, by site path."""
        root = self.root_object()
        resource = self.resource_object()
        root_children = self._head(**root, member=[resource])
        root_parents = self._head(**root, member=[])
        res_children = self._head(**resource, member=[])
        res_parents = self._head(**resource, member=[root])
        return {
            collection_path(): root_children,
            collection_path(nav="children"): root_children,
            collection_path(nav="parents"): root_parents,
            collection_path(ROOT_COLLECTION): root_children,
            collection_path(ROOT_COLLECTION, "children"): root_children,
            collection_path(ROOT_COLLECTION, "parents"): root_parents,
            collection_path(self.resource): res_children,
            collection_path(self.resource, "children"): res_children,
            collection_path(self.resource, "parents"): res_parents,
        }

    def citable_unit(self, unit: Unit) -> dict:
        """A ``CitableUnit`` object, linked to its place on the reading page."""
        out: dict = {
            "identifier": unit.identifier,
            "@type": "CitableUnit",
            "level": unit.level,
            "parent": unit.parent,
            "citeType": unit.cite_type,
        }
        xml_id = unit.element.get("{http://www.w3.org/XML/1998/namespace}id")
        if xml_id:
            out["@id"] = f"{citations.reading_url(self.base)}#{xml_id}"
        if unit.title:
            out["dublinCore"] = {
                "title": [{"lang": self.lang, "value": unit.title}] if self.lang else [unit.title]
            }
        return out

    def navigation(self, ref: Unit | None, down: int | None) -> dict:
        """One Navigation endpoint response (the table in the spec's "Usage of down, ref")."""
        path = navigation_path(self.resource, ref.identifier if ref else None, down)
        out = self._head(
            **{"@type": "Navigation", "@id": self.base + path, "resource": self.resource_object()}
        )
        if ref is not None:
            out["ref"] = self.citable_unit(ref)
            if down is None:
                return out
            if down == 0:
                members = self.children.get(ref.parent, [])
            else:
                members = descendants(self.units, ref, down, self.children)
        else:
            assert down is not None and down != 0
            members = [u for u in self.units if down < 0 or u.level <= down]
        out["member"] = [self.citable_unit(u) for u in members]
        return out

    def navigations(self) -> dict[str, dict]:
        """Every Navigation response a level-0 client can ask for, by site path."""
        deepest = max(depth(self.structures), 1)
        downs = [*range(1, deepest + 1), -1]
        out: dict[str, dict] = {}
        for down in downs:
            out[navigation_path(self.resource, None, down)] = self.navigation(None, down)
        for unit in self.units:
            # Siblings (down=0) of top-level units would repeat the whole list once per
            # unit, which grows with the square of the text: they are given for units
            # with a parent; the top level is the resource's own navigation (down=1).
            siblings = (0,) if unit.parent is not None else ()
            for down in (None, *siblings, *downs):
                out[navigation_path(self.resource, unit.identifier, down)] = self.navigation(
                    unit, down
                )
        return out

    # ------------------------------------------------------------ documents

    def whole_document(self, schema_name: str) -> bytes:
        """The whole TEI file, its ``xml-model`` pointing to the schema in ``downloads/``."""
        tree = copy.deepcopy(self.doc.tree)
        href = "../" * document_path(self.resource).count("/") + f"downloads/{schema_name}"
        found = False
        for pi in tree.getroot().itersiblings(preceding=True):
            if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model":
                pi.text = re.sub(r'href="[^"]*"', f'href="{href}"', pi.text or "")
                found = True
        if not found:
            tree.getroot().addprevious(_xml_model_pi(href))
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")

    def fragment(self, unit: Unit) -> bytes:
        """A TEI document holding one unit in ``dts:wrapper``, with the file's header."""
        root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
        if self.lang:
            root.set(XML_LANG, self.lang)
        header = self.doc.root.find("tei:teiHeader", NS)
        if header is not None:
            root.append(copy.deepcopy(header))
        text = etree.SubElement(root, f"{{{TEI_NS}}}text")
        body = etree.SubElement(text, f"{{{TEI_NS}}}body")
        wrapper = etree.SubElement(body, f"{{{DTS_NS}}}wrapper", nsmap={"dts": DTS_NS})
        wrapper.set("ref", element_path(unit.element))
        part = copy.deepcopy(unit.element)
        part.tail = None
        wrapper.append(part)
        etree.cleanup_namespaces(root, top_nsmap={None: TEI_NS})
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=False)

    def files(self, schema_name: str) -> dict[str, bytes]:
        """All DTS files of this resource."""
        out: dict[str, bytes] = {"dts/index.jsonld": _json(self.entry())}
        out.update({path: _json(body) for path, body in self.collections().items()})
        out.update({path: _json(body) for path, body in self.navigations().items()})
        out[document_path(self.resource)] = self.whole_document(schema_name)
        for unit in self.units:
            out[document_path(self.resource, unit.identifier)] = self.fragment(unit)
        return out


def _json(data: dict) -> bytes:
    """JSON as the files carry it: UTF-8, readable, stable."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _xml_model_pi(href: str) -> etree._ProcessingInstruction:
    return etree.ProcessingInstruction(
        "xml-model", f'href="{href}" type="application/xml" schematypens="{RELAXNG_NS}"'
    )


# ---------------------------------------------------------------- downloads


def tei_download(doc: Document) -> tuple[bytes, str]:
    """The TEI file as published, and the file name its ``xml-model`` gives the schema.

    The file's own bytes are kept. If it names no schema by a plain relative
    file name, a processing instruction naming ``edition.rng`` is added after
    the XML declaration (any existing one is kept).
    """
    raw = doc.path.read_bytes()
    for pi in doc.root.itersiblings(preceding=True):
        if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model":
            href = re.search(r'href="([^"]*)"', pi.text or "")
            name = href.group(1) if href else ""
            if name and "/" not in name and ":" not in name:
                return raw, name
    name = DEFAULT_SCHEMA.name
    pi = etree.tostring(_xml_model_pi(name))
    declaration = re.match(rb"<\?xml[^>]*\?>\s*", raw)
    at = declaration.end() if declaration else 0
    return raw[:at] + pi + b"\n" + raw[at:], name


def _inline(nodes: tuple[m.Inline, ...], edition: m.Edition, notes: list[m.Note]) -> str:
    """The base text of inlines, with a ``[n]`` marker where each note is anchored."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, m.Text):
            out.append(node.text)
        elif isinstance(node, m.Variant):
            out.append(_inline(node.lemma.children, edition, notes))
        elif isinstance(node, m.NoteRef):
            notes.append(edition.note(node.note_id))
            out.append(f"[{len(notes)}]")
        elif isinstance(node, m.Supplied):
            out.append("[" + _inline(node.children, edition, notes) + "]")
        elif isinstance(node, m.Gap):
            out.append("[text not reported: " + _inline(node.desc, edition, notes) + "]")
        elif isinstance(node, m.Milestone):
            continue
        else:
            out.append(_inline(node.children, edition, notes))
    return "".join(out)


def _blocks(
    blocks: tuple[m.Block, ...], div: m.Division | None, edition: m.Edition, notes: list[m.Note]
) -> Iterator[str]:
    """The base text of blocks, one paragraph of text per item."""
    from edition.render import division_label, paragraph_number

    for block in blocks:
        if isinstance(block, m.Division):
            if block.head is not None:
                head = _inline(block.head.children, edition, notes).strip()
                yield f"{division_label(block)} {head}" if block.n else head
            elif block.n or block.type == "preamble":
                yield division_label(block)
            yield from _blocks(block.blocks, block, edition, notes)
        elif isinstance(block, m.Paragraph):
            number = paragraph_number(div, block)
            text = _inline(block.children, edition, notes).strip()
            yield f"{number} {text}" if number else text
        elif isinstance(block, m.DivisionVariant):
            for division in block.lemma.divisions:
                yield from _blocks((division,), div, edition, notes)
        elif isinstance(block, m.NoteBlock):
            notes.append(edition.note(block.note_id))
            yield f"[{len(notes)}]"
        elif isinstance(block, m.GapBlock):
            yield _inline((block.gap,), edition, notes)


def plain_text(edition: m.Edition, url: str, cites: Citations) -> str:
    """The reading text as plain text: a short title page, the text, then the notes.

    The text is the base witness's (the lemma of every variant); sections and
    paragraphs carry the numbers they have on the page; notes are numbered in
    the order of their anchors and listed after the text.
    """
    h = edition.header
    d = cites.description
    notes: list[m.Note] = []
    parts = [
        *_blocks(edition.front, None, edition, notes),
        *_blocks(edition.body, None, edition, notes),
        *_blocks(edition.back, None, edition, notes),
    ]
    lines = [
        h.title,
        f"{h.subtitle}, version {h.version}. {h.publisher}, {h.date}.",
        url,
        "",
        f"Archive: {d.document.repository}, {d.document.location}.",
    ]
    p = d.print_edition
    editor = f", ed. {p.editor.full}" if p.editor else ""
    lines.append(f"First published: {p.title}{editor} ({p.place}: {p.publisher}, {p.year}).")
    lines.append(f"Licence: {render.plain(h.licence)} {h.licence_url}".rstrip())
    lines += [render.plain(p) for p in h.availability]
    lines += ["", "Cite as: " + cites.style("chicago-bibliography").text, "", "=" * 72, ""]
    for text in parts:
        lines += [_norm(text), ""]
    if notes:
        lines += ["=" * 72, "", "Notes", ""]
        for i, note in enumerate(notes, 1):
            who = edition.responsible.get(note.resp, note.resp)
            mark = note.n or "ed."
            text = _norm(_inline(note.children, edition, []))
            lines += [f"[{i}] ({mark}, note by {who}) {text}", ""]
    return "\n".join(lines).rstrip() + "\n"


def robots_txt(base: str) -> str:
    """Let every crawler in and tell it where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n"


# ---------------------------------------------------------------- all files


def extra_files(
    doc: Document,
    edition: m.Edition,
    base: str | None = None,
    schema_path: Path = DEFAULT_SCHEMA,
    cites: Citations | None = None,
) -> dict[str, bytes]:
    """Every file to publish at the site root besides the pages: ``{path: bytes}``.

    ``base`` is the site's URL (default :func:`edition.citations.base_url`); the
    file names take the TEI file's name (``tei/nucleus.xml`` gives
    ``downloads/nucleus.xml`` and the DTS resource ``nucleus``). ``cites``
    are the edition's citations, if the caller has built them already.
    """
    base = base or citations.base_url()
    cites = cites or citations.build(doc, edition, base)
    name = doc.path.stem
    url = citations.reading_url(base)
    tei_bytes, schema_name = tei_download(doc)
    files = {
        f"downloads/{name}.xml": tei_bytes,
        f"downloads/{schema_name}": schema_path.read_bytes(),
        f"downloads/{name}.txt": plain_text(edition, url, cites).encode("utf-8"),
        f"downloads/{name}.bib": cites.bibtex().encode("utf-8"),
        f"downloads/{name}.ris": cites.ris().encode("utf-8"),
        f"downloads/{name}.json": cites.csl_json(),
        **cites.files(),
        "robots.txt": robots_txt(base).encode("utf-8"),
    }
    files.update(Dts(doc, edition, base, name, cites=cites).files(schema_name))
    return files

"""A static Distributed Text Services (DTS 1.0) API: what files, with what bytes.

:func:`files` returns every response as ``{site path: bytes}``; where they are
written is the pipeline's business. The addresses are the expansions of the
URI templates in :mod:`edition.publish.paths`, which carry every variable the
specification gives each endpoint.

What the site answers (every other combination expands to an address where
no file is, so the host answers 404):

Collection ``{/id,nav}{;page}``
    The root collection (no ``id``, or ``id=root``), the archival document the
    text comes from (the TEI's ``msDesc``, by its ``xml:id``; when the file has
    none, the root holds the resource itself) and the one resource, each with
    ``nav`` absent, ``children`` or ``parents``. Nothing is paginated, so any
    ``page`` is 404.
Navigation ``{resource}{;tree,down}{/ref}{;start,end,page}``
    ``ref`` alone (the unit with its page address, no ``member``); ``ref``
    with ``down=0`` (the unit and its siblings); ``down`` from 1 to one level
    past the tree below ``ref`` (below the root without ``ref``), and ``-1``:
    the units that exist down to that level (the unit asked about is then the
    first member, not repeated as ``ref``). How much each answer says of its
    units is in :class:`Api`. ``down=0`` or no ``down`` without ``ref`` is 404 (the
    specification asks for 400, which a static host cannot send). Of the
    ranges (``start``/``end``), which a level-0 server need not answer, the
    site answers one: the whole top level, from its first unit to its last,
    when it has at most :data:`RANGE_LIMIT` units (the range a client asks for
    to read everything as a range; larger, it would repeat the whole text and
    tree once more). Every other range is 404, as the specification's "SHOULD
    raise an error" asks. Only the default citation tree exists, so any
    ``tree`` is 404.
Document ``{resource}{;tree}{/ref}{;start,end,mediaType}``
    The whole TEI file, every citable unit in ``dts:wrapper``, and the range
    above. The one media type is TEI, the default: an explicit ``mediaType``
    is 404, since its value holds a slash that static hosts map to files
    inconsistently.

A list of siblings (``down=0``) longer than :data:`SIBLINGS_WHOLE` is split
into pages of :data:`SIBLINGS_PAGE`; each unit's answer is the page that
holds it, and its ``view`` links to the pages of the same list at the
addresses of their first units, so the files grow linearly with the text, not
with its square (and with the page's length: hence short pages).

Each answer's ``@id`` is its own file name, a reference relative to the
answer that JSON-LD resolves to the absolute URL of the request; every link
a client follows (the templates, ``view``'s pages, a unit's page) is
absolute, since a client may read it anywhere and expand it unresolved.

The citation tree is the one the TEI file declares in ``refsDecl``. Its
``@match`` and ``@use`` are XPath 2.0 with TEI as the default element
namespace, as TEI writes them and DTS processors read them
(``/TEI/text/body/div``), with any prefix declared in scope bound too. A real
XPath engine (elementpath's XPath 2.0, on the lxml tree) evaluates them; only
paths of plain child steps and a single attribute, whose meaning is the same
in XPath 1.0 once the names are TEI's, are left to lxml itself
(:func:`_direct`), which saves building elementpath's copy of a big document.
lxml's own XPath engine is XPath 1.0, which has no default element
namespace: it would need the names prefixed (``tei:div``), which the DTS
reference implementation (MyDapytains) rejects. A tree that selects nothing
is an error that says so.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast
from xml.sax.saxutils import escape as xml_escape

from elementpath import ElementPathError, XPath2Parser, XPathContext
from lxml import etree

from edition import citations, parts, reader, render
from edition import model as m
from edition.errors import EditionError
from edition.publish import paths
from edition.tei import NS, TEI_NS, XML_ID, XML_LANG, XML_NS, Document

DTS_CONTEXT = "https://dtsapi.org/context/v1.0.json"
DTS_VERSION = "1.0"
DTS_NS = "https://w3id.org/api/dts#"
TEI_MEDIA_TYPE = "application/tei+xml"
JSON_LD_MEDIA_TYPE = "application/ld+json"
ROOT_COLLECTION = "root"
DCTERMS = "http://purl.org/dc/terms/"
RELAXNG_NS = "http://relaxng.org/ns/structure/1.0"
# A list of siblings (down=0) up to this long is answered whole; a longer one
# in pages of SIBLINGS_PAGE (see the module docstring).
SIBLINGS_WHOLE = 10
SIBLINGS_PAGE = 5
# The whole top level is answered as a range up to this many units.
RANGE_LIMIT = 10
XML_SPACE = re.compile(r"[ \t\r\n]+")  # XML white space only: U+00A0 is text

Json = dict[str, Any]


def _norm(text: str) -> str:
    """Collapse XML white space, as the reader does; a no-break space is kept."""
    return XML_SPACE.sub(" ", text).strip(" ")


# One encoder for the whole API (json.dumps with options makes one per call).
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# A string alone, without the encoder's dispatch (thousands of file names).
_string: Callable[[str], str] = json.encoder.encode_basestring


def _json(data: object) -> str:
    """Compact JSON: the API is read by programs, and its size grows with the text."""
    return _ENCODE(data)


# ---------------------------------------------------------------- citation tree


# What most citation trees use: child steps by unprefixed (TEI) name, as in
# ``/TEI/text/body/div``, ``p`` or ``head``; or one attribute, as ``@xml:id``.
_CHILD_STEPS = re.compile(r"(/?)([A-Za-z_][\w.-]*(?:/[A-Za-z_][\w.-]*)*)")
_ATTRIBUTE = re.compile(r"@(xml:)?([A-Za-z_][\w.-]*)")

Evaluator = Callable[[etree._ElementTree, etree._Element | None], list[Any]]


def _direct(expression: str) -> Evaluator | None:
    """Evaluate ``expression`` with lxml itself, when it has one of the forms above; else None.

    It gives what elementpath gives for them (the same nodes in the same
    order; an attribute's value), without building elementpath's copy of the
    document, which is most of the cost of a big edition's tree.
    """
    expression = expression.strip()
    attribute = _ATTRIBUTE.fullmatch(expression)
    if attribute:
        name = (f"{{{XML_NS}}}" if attribute.group(1) else "") + attribute.group(2)

        def value(tree: etree._ElementTree, item: etree._Element | None) -> list[Any]:
            found = item.get(name) if item is not None else None
            return [] if found is None else [found]

        return value
    steps = _CHILD_STEPS.fullmatch(expression)
    if not steps:
        return None
    names = [f"{{{TEI_NS}}}{n}" for n in steps.group(2).split("/")]
    absolute = bool(steps.group(1))

    def children(tree: etree._ElementTree, item: etree._Element | None) -> list[Any]:
        if absolute or item is None:
            # From the document node: its one child, the root, is the first step.
            root = tree.getroot()
            if root.tag != names[0]:
                return []
            return [root] if len(names) == 1 else root.findall("/".join(names[1:]))
        return item.findall("/".join(names))

    return children


@dataclass(frozen=True)
class XPath:
    """An XPath expression of the TEI file, compiled once with its namespaces."""

    expression: str
    token: Any = field(compare=False, repr=False)  # elementpath's compiled expression
    direct: Evaluator | None = field(default=None, compare=False, repr=False)

    def __call__(
        self,
        tree: etree._ElementTree,
        context: XPathContext | None,
        item: etree._Element | None = None,
    ) -> list[Any]:
        """Evaluate at ``item`` (the document node without one); always a list.

        ``context`` is elementpath's, needed only by an expression without a
        direct evaluation.
        """
        if self.direct is not None:
            return self.direct(tree, item)
        assert context is not None
        local = copy.copy(context)
        if item is not None:
            local.item = context.get_context_item(cast(Any, item))  # lxml satisfies it
        result = self.token.get_results(local)
        return result if isinstance(result, list) else [result]


@dataclass(frozen=True)
class CiteStructure:
    """One ``citeStructure``: a kind of unit, how to find it, and its children."""

    unit: str
    match: XPath
    use: XPath
    delim: str
    data: tuple[tuple[str, XPath], ...]  # (property, use) of each citeData
    children: tuple[CiteStructure, ...]
    element: etree._Element = field(compare=False, repr=False)

    def as_json(self) -> Json:
        """The DTS ``CiteStructure`` object: its required ``citeType`` (and children).

        No ``@type``: the specification's table has none, nor do its
        examples of a Resource's citation tree; every navigation response
        carries this tree.
        """
        out: Json = {"citeType": self.unit}
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


def namespaces(owner: etree._Element) -> dict[str, str]:
    """The static namespaces of an expression on ``owner``: TEI as the default, and its prefixes.

    TEI writes ``citeStructure/@match`` with TEI as the default element
    namespace (``/TEI/text/body/div``), as DTS processors read it; prefixes
    declared in scope on the element are bound as well.
    """
    return {"": TEI_NS, **{k: v for k, v in owner.nsmap.items() if k}}


def _xpath(doc: Document, owner: etree._Element, attribute: str) -> XPath:
    """Compile an XPath attribute of ``owner``; a syntax error names its line."""
    expression = owner.get(attribute, "")
    try:
        token = XPath2Parser(namespaces=namespaces(owner)).parse(expression)
    except ElementPathError as exc:
        raise EditionError(
            [
                doc.problem(
                    owner,
                    f'{attribute}="{expression}" is not an XPath 2.0 expression ({exc})',
                    "correct the expression",
                )
            ]
        ) from exc
    return XPath(expression, token, _direct(expression))


def _structures(doc: Document, parent: etree._Element) -> tuple[CiteStructure, ...]:
    return tuple(
        CiteStructure(
            unit=cs.get("unit", ""),
            match=_xpath(doc, cs, "match"),
            use=_xpath(doc, cs, "use"),
            delim=cs.get("delim", ""),
            data=tuple(
                (d.get("property", ""), _xpath(doc, d, "use"))
                for d in cs.iterfind("tei:citeData", NS)
            ),
            children=_structures(doc, cs),
            element=cs,
        )
        for cs in parent.iterfind("tei:citeStructure", NS)
    )


def cite_structures(doc: Document) -> tuple[CiteStructure, ...]:
    """The default citation tree: the ``citeStructure``s of the first ``refsDecl``."""
    decl = doc.root.find("tei:teiHeader/tei:encodingDesc/tei:refsDecl", NS)
    return _structures(doc, decl) if decl is not None else ()


def depth(structures: tuple[CiteStructure, ...]) -> int:
    """How many levels the citation tree has."""
    return max((1 + depth(s.children) for s in structures), default=0)


class _Words:
    """An element's words as the page reads them: read by the reader, or already read."""

    def __init__(self, doc: Document, read_before: Mapping[str, tuple[m.Inline, ...]]) -> None:
        self.doc = doc
        self.read_before = read_before
        self._reader: reader.Reader | None = None

    def __call__(self, value: object) -> str:
        """The text of an XPath result: an element as the page reads it, else its string."""
        if not isinstance(value, etree._Element):
            return _norm(str(value))
        known = self.read_before.get(value.get(XML_ID) or "")
        if known is None:
            if self._reader is None:
                self._reader = reader.Reader(self.doc)
            known = self._reader.block_inlines(value)
        return _norm(render.plain(known))


def headings(edition: m.Edition) -> dict[str, tuple[m.Inline, ...]]:
    """The headings the reader has read, by ``xml:id``: what most citation trees title units by."""
    out: dict[str, tuple[m.Inline, ...]] = {}

    def walk(blocks: Iterable[object]) -> None:
        for block in blocks:
            if isinstance(block, m.Division):
                if block.head is not None and block.head.id:
                    out[block.head.id] = block.head.children
                walk(block.blocks)
            elif isinstance(block, m.DivisionVariant):
                for reading in (block.lemma, *block.readings):
                    walk(reading.divisions)

    walk((*edition.front, *edition.body, *edition.back))
    return out


def units(
    doc: Document,
    structures: tuple[CiteStructure, ...],
    read_before: Mapping[str, tuple[m.Inline, ...]] | None = None,
) -> list[Unit]:
    """Every citable unit, in document order (pre-order, depth first), as DTS requires.

    ``read_before`` holds the words of elements the reader has read already
    (by ``xml:id``; :func:`headings`), which are not read again.
    """
    found: list[tuple[etree._Element, Unit]] = []
    matched: set[CiteStructure] = set()
    if not structures:
        return []
    # elementpath's node tree for the document, built once (each evaluation
    # moves its item), and only when an expression needs it.
    context = None
    if not all(x.direct for x in _expressions(structures)):
        context = XPathContext(cast(Any, doc.tree), namespaces={"": TEI_NS})
    tree = doc.tree
    words = _Words(doc, read_before or {})

    def collect(
        item: etree._Element | None,
        level_structures: tuple[CiteStructure, ...],
        level: int,
        parent: Unit | None,
    ) -> None:
        for cs in level_structures:
            for el in cs.match(tree, context, item):
                if not isinstance(el, etree._Element):
                    continue
                own = "".join(words(v) for v in cs.use(tree, context, el))
                if not own:
                    continue
                matched.add(cs)
                identifier = f"{parent.identifier}{cs.delim}{own}" if parent and cs.delim else own
                title = ""
                for prop, use in cs.data:
                    if prop == f"{DCTERMS}title":
                        title = " ".join(words(v) for v in use(tree, context, el))
                unit = Unit(
                    identifier, level, parent.identifier if parent else None, cs.unit, el, title
                )
                found.append((el, unit))
                collect(el, cs.children, level + 1, unit)

    collect(None, structures, 1, None)
    for cs in structures:
        if cs not in matched:
            raise EditionError(
                [
                    doc.problem(
                        cs.element,
                        f'citeStructure match="{cs.match.expression}" selects no element '
                        "with an identifier",
                        "write the path from the root with TEI element names "
                        '(e.g. "/TEI/text/body/div"), and @use to give each match an identifier',
                    )
                ]
            )
    # One structure per level gives pre-order already; several may interleave.
    if _branches(structures):
        position = {el: i for i, el in enumerate(doc.root.iter())}
        found.sort(key=lambda pair: position.get(pair[0], 0))
    return [unit for _, unit in found]


def _expressions(structures: tuple[CiteStructure, ...]) -> Iterable[XPath]:
    """Every XPath of the tree."""
    for cs in structures:
        yield cs.match
        yield cs.use
        yield from (use for _, use in cs.data)
        yield from _expressions(cs.children)


def _branches(structures: tuple[CiteStructure, ...]) -> bool:
    """Whether any level of the tree has more than one ``citeStructure``."""
    return len(structures) > 1 or any(_branches(s.children) for s in structures)


def own_reference(path: str) -> str:
    """An answer's reference to itself: its file name, relative to its own URL (RFC 3986).

    A name with a colon is written ``./name``, which no reader can take for a
    scheme (``a:b.jsonld``).
    """
    name = path.rpartition("/")[2]
    return f"./{name}" if ":" in name else name


def element_path(el: etree._Element) -> str:
    """An XPath that selects exactly ``el``: by its ``xml:id`` when it has one."""
    xml_id = el.get(XML_ID)
    if xml_id:
        return f"//*[@xml:id='{xml_id}']"
    return el.getroottree().getpath(el)


# ---------------------------------------------------------------- the API


class Api:
    """The DTS responses of one resource (one TEI document).

    Every object that recurs (the trimmed Resource, each CitableUnit) is
    serialised once, and the responses are assembled from those strings.
    A unit has three forms, after what the answer is about: in full (its
    title and its page on the reading site) in its own answer, ``ref``
    without ``down``, and as the range's ends; with its title in the lists
    from the root (the table of contents); and in lists below or beside a
    unit, with what the specification requires and ``citeType``.
    """

    def __init__(
        self,
        doc: Document,
        edition: m.Edition,
        base: str,
        resource: str,
        cites: citations.Citations | None = None,
    ) -> None:
        self.doc = doc
        self.cites = cites or citations.build(doc, edition, base)
        self.edition = edition
        self.base = base
        self.resource = resource
        self.lang = doc.root.get(XML_LANG, "") or "und"
        self.structures = cite_structures(doc)
        self.depth = depth(self.structures)
        self.units = units(doc, self.structures, headings(edition))
        # the part of a long text that shows each item of the body (edition.parts)
        self._part_of = parts.page_of(edition)
        self.by_id = {u.identifier: u for u in self.units}
        self.children: dict[str | None, list[Unit]] = {}
        self.position: dict[str, int] = {}  # a unit's place among its siblings
        for unit in self.units:
            siblings = self.children.setdefault(unit.parent, [])
            self.position[unit.identifier] = len(siblings)
            siblings.append(unit)
        # Each unit serialised once in each of its three forms (see ``_navigation``).
        self._full_json: dict[str, str] = {}
        self._titled_json: dict[str, str] = {}
        self._bare_json: dict[str, str] = {}
        for u in self.units:
            full, titled, bare = self.citable_unit_forms(u)
            self._full_json[u.identifier] = full
            self._titled_json[u.identifier] = titled
            self._bare_json[u.identifier] = bare
        self._resource_json = _json(self.resource_in_navigation())
        self._resource_part = f'"resource":{self._resource_json}'
        self._lists: dict[tuple[str | None, int, int], str] = {}  # see navigations
        self._head_json = (
            f'{{"@context":{_json(DTS_CONTEXT)},"dtsVersion":{_json(DTS_VERSION)},'
            '"@type":"Navigation"'
        )

    # ------------------------------------------------------------ objects

    def _text(self, value: str) -> list[Json]:
        """A language-tagged ``dublinCore`` value."""
        return [{"lang": self.lang, "value": value}]

    def _head(self, **rest: object) -> Json:
        return {"@context": DTS_CONTEXT, "dtsVersion": DTS_VERSION, **rest}

    def entry(self) -> Json:
        """The entry point: where the three endpoints are."""
        return self._head(
            **{
                "@id": paths.entry_url(self.base),
                "@type": "EntryPoint",
                "collection": paths.collection_template(self.base),
                "navigation": paths.navigation_template(self.base),
                "document": paths.document_template(self.base),
            }
        )

    def dublin_core(self) -> Json:
        """The resource's Dublin Core: natural-language values tagged with their language."""
        h = self.edition.header
        d = self.cites.description
        p = d.print_edition
        editor = f", ed. {p.editor.full}" if p.editor else ""
        sources = [
            f"{p.title}{editor} ({p.place}: {p.publisher}, {p.year})",
            f"{d.document.repository}, {d.document.location}",
        ]
        dc: Json = {
            "title": self._text(h.title) if h.title else [],
            "creator": self._text(h.author) if h.author else [],
            "publisher": self._text(h.publisher) if h.publisher else [],
            "date": h.date,
            "created": h.creation_date,
            "language": [ident for ident, _ in h.languages],
            "license": h.licence_url,
            "source": [v for s in sources for v in self._text(s)],
            "bibliographicCitation": self._text(self.cites.style("chicago-bibliography").text),
        }
        return {k: v for k, v in dc.items() if v not in ("", [], None)}

    def resource_in_navigation(self) -> Json:
        """The Resource as a Navigation response carries it: only what the spec requires.

        Every one of the thousands of navigation files carries it, so it has
        the required properties only: each ``CitationTree`` is its ``@type``
        (``citeStructure`` is optional); the tree's shape is in the
        Collection endpoint's Resource, and every unit listed gives its
        ``level`` and ``citeType``.
        """
        return {
            "@id": self.resource,
            "@type": "Resource",
            "collection": paths.collection_template(self.base, self.resource),
            "navigation": paths.navigation_template(self.base, self.resource),
            "document": paths.document_template(self.base, self.resource),
            "citationTrees": [{"@type": t["@type"]} for t in self.citation_trees()],
        }

    def citation_trees(self) -> list[Json]:
        """The one (default) citation tree; none when the TEI declares none."""
        if not self.structures:
            return []
        return [{"@type": "CitationTree", "citeStructure": [s.as_json() for s in self.structures]}]

    def resource_object(self) -> Json:
        """The full Resource, as the Collection endpoint describes it."""
        h = self.edition.header
        return {
            "@id": self.resource,
            "@type": "Resource",
            "title": h.title,
            "description": h.edition,
            "totalParents": 1,
            "totalChildren": 0,
            "dublinCore": self.dublin_core(),
            "collection": paths.collection_template(self.base, self.resource),
            "navigation": paths.navigation_template(self.base, self.resource),
            "document": paths.document_template(self.base, self.resource),
            "download": paths.download_url(self.base, self.resource, ".xml"),
            "mediaTypes": [TEI_MEDIA_TYPE],
            "citationTrees": self.citation_trees(),
        }

    def root_object(self) -> Json:
        """The root ``Collection``, which holds the one resource."""
        h = self.edition.header
        project = " ".join(render.plain(p) for p in h.project)
        out: Json = {
            "@id": ROOT_COLLECTION,
            "@type": "Collection",
            "title": h.publisher,
            "totalParents": 0,
            "totalChildren": 1,
            "collection": paths.collection_template(self.base),
            "dublinCore": {"publisher": self._text(h.publisher), "title": self._text(h.publisher)},
        }
        if project:
            out["description"] = _norm(project)
        return out

    def archive_object(self) -> Json | None:
        """The archival document the text comes from, as a ``Collection`` of its editions.

        The TEI's ``msDesc`` (by its ``xml:id``) describes the document in
        its archive; this edition's text is one expression of it, as the
        specification's "child collection representing a single work" holds
        its Resources. ``None`` when the file has no such ``msDesc``: then the
        root holds the resource itself.
        """
        ms = self.doc.root.find("tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc", NS)
        ident = ms.get(XML_ID, "") if ms is not None else ""
        if ms is None or not ident or ident in (ROOT_COLLECTION, self.resource):
            return None
        parts = [
            _norm("".join(el.itertext()))
            for el in ms.iterfind("tei:msIdentifier/*", NS)
            if etree.QName(el).localname in ("repository", "collection", "idno")
        ]
        title = ", ".join(p for p in parts if p) or ident
        return {
            "@id": ident,
            "@type": "Collection",
            "title": title,
            "totalParents": 1,
            "totalChildren": 1,
            "collection": paths.collection_template(self.base, ident),
            "dublinCore": {"title": self._text(title)},
        }

    def collections(self) -> dict[str, Json]:
        """Every Collection endpoint response, by site path: root, [archive,] resource."""
        root = self.root_object()
        resource = self.resource_object()
        archive = self.archive_object()
        chain: list[Json] = [root, *([archive] if archive else []), resource]
        out: dict[str, Json] = {}
        for i, node in enumerate(chain):
            children = self._head(**node, member=[chain[i + 1]] if i + 1 < len(chain) else [])
            parents = self._head(**node, member=[chain[i - 1]] if i else [])
            idents = (None, ROOT_COLLECTION) if i == 0 else (node["@id"],)
            for ident in idents:
                out[paths.collection_path(ident)] = children
                out[paths.collection_path(ident, "children")] = children
                out[paths.collection_path(ident, "parents")] = parents
        return out

    def citable_unit(self, unit: Unit, address: bool = True, title: bool = True) -> Json:
        """A ``CitableUnit``; with ``address``, linked to its place on the reading page.

        ``citeType`` is optional in the specification but kept everywhere: a
        client needs no other request to tell a section from a paragraph (and
        the independent validator reads it from every unit it is given).
        """
        out: Json = {
            "identifier": unit.identifier,
            "@type": "CitableUnit",
            "level": unit.level,
            "parent": unit.parent,
            "citeType": unit.cite_type,
        }
        xml_id = unit.element.get(XML_ID)
        if xml_id and address:
            out["@id"] = self.unit_url(unit.element)
        if unit.title and title:
            out["dublinCore"] = {"title": self._text(unit.title)}
        return out

    def unit_url(self, element: etree._Element) -> str:
        """Where the element is shown: its anchor on the reading page, or on its part."""
        part = next(
            (
                self._part_of[i]
                for el in (element, *element.iterancestors())
                if (i := el.get(XML_ID)) in self._part_of
            ),
            "",
        )
        return paths.unit_url(self.base, element.get(XML_ID, ""), part)

    def citable_unit_forms(self, unit: Unit) -> tuple[str, str, str]:
        """The unit serialised in full, with its title, and bare (see the class docstring).

        The same JSON as :meth:`citable_unit` gives each form (tested), made
        from one encoding: the longer forms only add members at the end.
        """
        bare = _json(self.citable_unit(unit, address=False, title=False))
        title = f',"dublinCore":{_json({"title": self._text(unit.title)})}' if unit.title else ""
        xml_id = unit.element.get(XML_ID)
        address = f',"@id":{_string(self.unit_url(unit.element))}' if xml_id else ""
        return f"{bare[:-1]}{address}{title}}}", f"{bare[:-1]}{title}}}", bare

    # ------------------------------------------------------------ navigation

    def downs(self, ref: Unit | None = None) -> list[int]:
        """The ``down`` values answered: 1 to one past the depth below ``ref``, and -1.

        ``down`` counts from ``ref`` (from the root without one), so a
        paragraph's tree ends at once: ``down=1`` is already past it.
        """
        below = self.depth - (ref.level if ref else 0)
        return [*range(1, max(below, 0) + 2), -1]

    def below(self, ref: Unit, down: int) -> list[Unit]:
        """``ref`` and its descendants down to ``down`` levels below it (-1: all)."""
        out: list[Unit] = []

        def walk(unit: Unit) -> None:
            out.append(unit)
            for child in self.children.get(unit.identifier, []):
                if down < 0 or child.level - ref.level <= down:
                    walk(child)

        walk(ref)
        return out

    def _navigation(
        self,
        path: str,
        ref: Unit | None,
        down: int | None,
        members: Iterable[Unit] | str | None,
        view: Json | None = None,
        span: tuple[Unit, Unit] | None = None,
    ) -> str:
        """The answer at ``path``; ``members`` may come serialised already (:meth:`_listed`)."""
        # "@id" is the answer's own URL, given relative to the answer: its file name.
        parts = [f'{self._head_json},"@id":{_string(own_reference(path))}', self._resource_part]
        # What an answer says of its units (each form is in the class docstring).
        if members is None:
            described = self._full_json  # the unit itself, or the range: in full
        elif ref is None:
            described = self._titled_json  # lists from the root: the table of contents
        else:
            described = self._bare_json  # lists below or beside a unit
        if ref is not None and (members is None or down == 0):
            # With down >= 1 the unit is the first member already.
            parts.append(f'"ref":{described[ref.identifier]}')
        if span is not None:
            parts.append(f'"start":{described[span[0].identifier]}')
            parts.append(f'"end":{described[span[1].identifier]}')
        if members is not None:
            if not isinstance(members, str):
                members = ",".join(described[u.identifier] for u in members)
            parts.append(f'"member":[{members}]')
        if view is not None:
            parts.append(f'"view":{_json(view)}')
        return ",".join(parts) + "}\n"

    def _listed(self, units: list[Unit]) -> str:
        """Units below or beside a unit, serialised for a ``member`` list."""
        return ",".join(self._bare_json[u.identifier] for u in units)

    def _sibling_pages(self, unit: Unit) -> tuple[list[Unit], Json | None]:
        """The page of ``unit``'s siblings that holds it, and links to the other pages."""
        siblings = self.children[unit.parent]
        if len(siblings) <= SIBLINGS_WHOLE:
            return siblings, None
        index = self.position[unit.identifier] // SIBLINGS_PAGE
        firsts = siblings[::SIBLINGS_PAGE]

        def url(first: Unit) -> str:
            return self.base + paths.navigation_path(self.resource, first.identifier, 0)

        # The page's "@id" is the answer's own, relative to it like the answer's.
        own = own_reference(paths.navigation_path(self.resource, unit.identifier, 0))
        view: Json = {"@id": own, "@type": "Pagination", "first": url(firsts[0])}
        if index > 0:
            view["previous"] = url(firsts[index - 1])
        if index + 1 < len(firsts):
            view["next"] = url(firsts[index + 1])
        view["last"] = url(firsts[-1])
        start = index * SIBLINGS_PAGE
        return siblings[start : start + SIBLINGS_PAGE], view

    def span(self) -> tuple[Unit, Unit] | None:
        """The one range answered: the first and last top-level unit (see the module docstring)."""
        top = self.children.get(None, [])
        return (top[0], top[-1]) if 0 < len(top) <= RANGE_LIMIT else None

    def navigations(self) -> dict[str, str]:
        """Every Navigation response the site answers, by site path."""
        out: dict[str, str] = {}
        resource = self.resource
        for down in self.downs(None):
            members = [u for u in self.units if down < 0 or u.level <= down]
            path = paths.navigation_path(resource, None, down)
            out[path] = self._navigation(path, None, down, members)
        span = self.span()
        if span is not None:
            # The whole top level: its units and theirs, as from the root; down
            # counts from the deeper of start and end (both at level 1).
            ids = (span[0].identifier, span[1].identifier)
            path = paths.navigation_path(resource, None, None, ids)
            out[path] = self._navigation(path, None, None, None, span=span)
            for down in self.downs(span[0]):
                members = [u for u in self.units if down < 0 or u.level <= down + 1]
                path = paths.navigation_path(resource, None, down, ids)
                out[path] = self._navigation(path, None, down, members, span=span)
        for unit in self.units:
            ident = unit.identifier
            path = paths.navigation_path(resource, ident)
            out[path] = self._navigation(path, unit, None, None)
            page, view = self._sibling_pages(unit)
            # A list several answers give is serialised once: a page of siblings
            # by (parent, 0, page), a unit's subtree by (unit, 1, levels).
            key = (unit.parent, 0, self.position[ident] // SIBLINGS_PAGE if view else -1)
            listed = self._lists.get(key) or self._lists.setdefault(key, self._listed(page))
            path = paths.navigation_path(resource, ident, 0)
            out[path] = self._navigation(path, unit, 0, listed, view)
            below = self.depth - unit.level  # the levels the tree has below the unit
            for down in self.downs(unit):
                # Every down from the tree's end on (and -1) lists the same units.
                key = (ident, 1, below if down < 0 or down > below else down)
                listed = self._lists.get(key) or self._lists.setdefault(
                    key, self._listed(self.below(unit, down))
                )
                path = paths.navigation_path(resource, ident, down)
                out[path] = self._navigation(path, unit, down, listed)
        return out

    # ------------------------------------------------------------ documents

    def whole_document(self, schema_name: str) -> bytes:
        """The whole TEI file, its ``xml-model`` pointing to the schema in the downloads."""
        href = paths.relative(
            paths.document_path(self.resource), paths.download_path(schema_name, "")
        )
        tree = self.doc.tree
        models = [
            pi
            for pi in tree.getroot().itersiblings(preceding=True)
            if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model"
        ]
        if not models:
            tree = copy.deepcopy(tree)
            set_xml_model(tree, href)
            return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
        # The document's own instructions point to the schema only while it is
        # serialised: copying a big document costs more than serialising it.
        saved = [pi.text for pi in models]
        try:
            set_xml_model(tree, href)
            return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
        finally:
            for pi, text in zip(models, saved, strict=True):
                pi.text = text

    def _fragment_header(self) -> str:
        """The teiHeader of a part: its title, publisher and licence, and the whole file.

        Thousands of parts carry it, so it says only what a reader of one
        part, saved on its own, needs to know what it is, whose it is and
        under what terms, and where the whole is: the whole file (at its
        absolute address, which a saved copy keeps) holds the full header.
        """
        h = self.edition.header
        licence = ""
        if h.licence_url:
            target = xml_escape(h.licence_url, {'"': "&quot;"})
            licence = f'<availability><licence target="{target}"/></availability>'
        whole = xml_escape(self.base + paths.document_path(self.resource), {'"': "&quot;"})
        return (
            f"<teiHeader><fileDesc><titleStmt><title>{xml_escape(h.title)}</title></titleStmt>"
            f"<publicationStmt><publisher>{xml_escape(h.publisher)}</publisher>{licence}"
            f'</publicationStmt><sourceDesc><bibl><ptr target="{whole}"/></bibl>'
            "</sourceDesc></fileDesc></teiHeader>"
        )

    def fragments(self) -> dict[str, bytes]:
        """A TEI document per unit: the unit in ``dts:wrapper``, after a short header.

        The document is assembled from serialised parts (the header once,
        each unit once), which keeps a big edition's thousands of parts cheap.
        """
        lang = f' xml:lang="{self.lang}"' if self.lang != "und" else ""

        # No XML declaration: a document without one is UTF-8, as these are.
        head = (
            f'<TEI xmlns="{TEI_NS}"{lang}>{self._fragment_header()}<text><body>'
            f'<dts:wrapper xmlns:dts="{DTS_NS}"'
        )

        tail = "</dts:wrapper></body></text></TEI>"

        def xml(el: etree._Element) -> str:
            part = etree.tostring(el, encoding="unicode", with_tail=False)
            return part.replace(f' xmlns="{TEI_NS}"', "", 1)  # declared on TEI already

        def attr(el: etree._Element) -> str:
            return xml_escape(element_path(el), {'"': "&quot;"})

        out: dict[str, bytes] = {}
        for unit in self.units:
            path = paths.document_path(self.resource, unit.identifier)
            # The part is exactly the unit, so the wrapper needs no ``ref`` XPath to find it
            # (the specification recommends one only when the part holds more).
            text = f"{head}>{xml(unit.element)}{tail}"
            out[path] = text.encode("utf-8")
        span = self.span()
        if span is not None:
            first, last = span[0].element, span[1].element
            # Everything from the first unit to the last: the units and what stands between.
            nodes = [first]
            if first.getparent() is last.getparent() and first is not last:
                for sibling in first.itersiblings():
                    if isinstance(sibling.tag, str):
                        nodes.append(sibling)
                    if sibling is last:
                        break
            elif first is not last:
                nodes = [u.element for u in self.children[None]]
            body = "".join(xml(el) for el in nodes)
            ids = (span[0].identifier, span[1].identifier)
            path = paths.document_path(self.resource, None, ids)
            text = f'{head} start="{attr(first)}" end="{attr(last)}">{body}{tail}'
            out[path] = text.encode("utf-8")
        return out

    def files(self, schema_name: str) -> dict[str, bytes]:
        """Every file of this resource's API."""
        out: dict[str, bytes] = {paths.DTS_ENTRY: (_json(self.entry()) + "\n").encode()}
        for path, body in self.collections().items():
            out[path] = (_json(body) + "\n").encode("utf-8")
        for path, text in self.navigations().items():
            out[path] = text.encode("utf-8")
        out[paths.document_path(self.resource)] = self.whole_document(schema_name)
        out.update(self.fragments())
        return out


def xml_model_pi(href: str) -> etree._ProcessingInstruction:
    """The ``xml-model`` instruction that names a RELAX NG schema."""
    return etree.ProcessingInstruction(
        "xml-model", f'href="{href}" type="application/xml" schematypens="{RELAXNG_NS}"'
    )


def set_xml_model(tree: etree._ElementTree, href: str) -> None:
    """Point the tree's ``xml-model`` instructions at ``href`` (adding one if none)."""
    found = False
    for pi in tree.getroot().itersiblings(preceding=True):
        if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model":
            pi.text = re.sub(r'href="[^"]*"', f'href="{href}"', pi.text or "")
            found = True
    if not found:
        tree.getroot().addprevious(xml_model_pi(href))


def headers_file(base: str, resource: str) -> str:
    """Host rules (Netlify, Cloudflare Pages ``_headers``): the media types DTS asks for.

    JSON-LD responses as ``application/ld+json``; documents as
    ``application/tei+xml`` with a ``Link`` to the resource's collection, as the
    Document endpoint's "Response" section recommends. Both hosts match ``*``
    at the end of a path; any origin may read the API.
    """
    root = paths.base_path(base)
    collection = base + paths.collection_path(resource)
    lines = [
        "# Media types of the DTS API (generated by edition/publish/dts.py).",
        f"{root}dts/*",
        "  Access-Control-Allow-Origin: *",
        f"{root}{paths.DTS_ENTRY}",
        f"  Content-Type: {JSON_LD_MEDIA_TYPE}",
        f"{root}dts/collection*",
        f"  Content-Type: {JSON_LD_MEDIA_TYPE}",
        f"{root}dts/navigation/*",
        f"  Content-Type: {JSON_LD_MEDIA_TYPE}",
        f"{root}dts/document/{resource}*",
        f"  Content-Type: {TEI_MEDIA_TYPE}",
        f'  Link: <{collection}>; rel="collection"',
    ]
    return "\n".join(lines) + "\n"


def files(
    doc: Document,
    edition: m.Edition,
    base: str,
    resource: str,
    schema_name: str,
    cites: citations.Citations | None = None,
) -> dict[str, bytes]:
    """Every file of the DTS API of one TEI document, and its host rules."""
    out = Api(doc, edition, base, resource, cites).files(schema_name)
    out[paths.HEADERS] = headers_file(base, resource).encode("utf-8")
    return out

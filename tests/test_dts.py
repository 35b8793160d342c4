"""The static DTS 1.0 API, walked by a generic client over HTTP.

The API's files are served on loopback by servers that send what real hosts
send: one applies the ``_headers`` file (Netlify, Cloudflare Pages), one sends
GitHub Pages' media types (mime-db: ``.jsonld`` as ``application/ld+json``,
``.xml`` as ``application/xml``), one sends what a host without a ``.jsonld``
type sends (``application/octet-stream``; ``.xml`` as ``text/xml``). The
client reads the entry point, expands the URI templates it finds there with
``uritemplate`` (an RFC 6570 library) for every combination of the
variables the specification gives each endpoint, and checks each answer
against the specification's rules (versions/v1.0 of
distributed-text-services/specifications): status, ``@type``, ``member``,
``totalChildren``, the document's ``dts:wrapper``. The expected answers are
computed here from the TEI file with XPath, not from the code under test.

The JSON-LD is also expanded offline with pyld; the DTS context is given to
pyld by a document loader, and any other URL makes the loader fail.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import itertools
import json
import posixpath
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import urljoin

import pytest
from conftest import FIXTURES, TEI_FILE
from lxml import etree
from pyld import jsonld
from uritemplate import URITemplate

from edition import publish, reader, tei
from edition.errors import EditionError
from edition.publish import dts, paths

DTS = "https://dtsapi.org/v1.0#"
DCT = "http://purl.org/dc/terms/"
WRAPPER = "{https://w3id.org/api/dts#}wrapper"
TEI_NS = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"tei": "http://www.tei-c.org/ns/1.0"}

# The DTS 1.0 JSON-LD context (https://dtsapi.org/context/v1.0.json): its term
# definitions, given here so that the expansion needs no network. Its
# "extensions" term (a nested object clearing @vocab) is left out: no response
# uses it, and pyld 3.3 fails on "@vocab": null when no vocabulary is set.
TERMS = [
    *("CitableUnit", "CitationTree", "CiteStructure", "Collection", "EntryPoint"),
    *("MetadataObject", "Navigation", "Pagination", "Resource", "citationTrees"),
    *("citeStructure", "description", "end", "first", "last", "member", "next", "previous"),
    *("ref", "resource", "start", "title", "view", "citeType", "collection", "document"),
    *("download", "dtsVersion", "identifier", "level", "mediaTypes", "navigation", "parent"),
    *("totalChildren", "totalParents"),
]
DTS_CONTEXT = {
    "@context": {
        "dts": DTS,
        "dct": DCT,
        **{term: f"dts:{term}" for term in TERMS},
        "lang": "@language",
        "value": "@value",
        "dublinCore": {
            "@id": "@nest",
            "@context": {
                "@vocab": DCT,
                "description": {"@id": "dct:description"},
                "identifier": {"@id": "dct:identifier"},
                "title": {"@id": "dct:title"},
            },
        },
    }
}
# Required properties, from the specification's tables.
REQUIRED = {
    "EntryPoint": {"@id", "@type", "dtsVersion", "collection", "navigation", "document"},
    "Collection": {"@id", "@type", "dtsVersion", "title", "totalParents", "totalChildren"},
    "Resource": {"@id", "@type", "dtsVersion", "title", "totalParents", "collection"},
    "Navigation": {"@id", "@type", "dtsVersion", "resource"},
}
MEMBER = {"@id", "@type", "title", "totalParents", "collection"}
RESOURCE_IN_NAVIGATION = {"@id", "@type", "collection", "navigation", "document", "citationTrees"}
CITABLE_UNIT = {"identifier", "@type", "level", "parent"}
PAGINATION = {"@id", "@type", "first", "last"}
# The collection between the root and the resource: the TEI's msDesc.
ARCHIVE = "ms-rgaspi-515-1-164"

# What each kind of host sends as Content-Type, by file suffix.
HOSTS = {
    "headers": {".jsonld": "application/octet-stream", ".xml": "application/xml"},
    "github-pages": {".jsonld": "application/ld+json", ".xml": "application/xml"},
    "no-jsonld-type": {".jsonld": "application/octet-stream", ".xml": "text/xml; charset=utf-8"},
}


# ---------------------------------------------------------------- hosts


def header_rules(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Parse a ``_headers`` file: URL patterns, each with indented ``Name: value`` lines."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def rule_matches(pattern: str, path: str) -> bool:
    """A ``_headers`` pattern: literal, with ``*`` matching anything (also ``/``)."""
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path) is not None


class Host(http.server.SimpleHTTPRequestHandler):
    """A static host: files from a folder, typed as the host of ``kind`` types them."""

    kind: ClassVar[str] = "headers"
    rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []

    def guess_type(self, path: str | Path) -> str:  # noqa: D102
        suffix = Path(str(path)).suffix
        return HOSTS[self.kind].get(suffix) or super().guess_type(path)

    def send_header(self, keyword: str, value: str) -> None:  # noqa: D102
        if self.kind == "headers" and keyword.lower() == "content-type":
            path = self.path.split("?", 1)[0]
            for pattern, headers in self.rules:
                if rule_matches(pattern, urllib.request.unquote(path)):
                    value = dict(headers).get("Content-Type", value)
        super().send_header(keyword, value)

    def end_headers(self) -> None:  # noqa: D102
        if self.kind == "headers":
            path = urllib.request.unquote(self.path.split("?", 1)[0])
            for pattern, headers in self.rules:
                if rule_matches(pattern, path):
                    for name, value in headers:
                        if name != "Content-Type":
                            super().send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: D102
        pass


def serve(folder: Path, kind: str, port: int) -> http.server.ThreadingHTTPServer:
    """Serve ``folder`` on loopback as a host of ``kind``."""
    rules = header_rules((folder / paths.HEADERS).read_text(encoding="utf-8"))
    handler = type(f"Host_{kind}", (Host,), {"kind": kind, "rules": rules})
    bound = functools.partial(handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), bound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def write(files: dict[str, bytes], folder: Path) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@pytest.fixture(scope="module")
def doc() -> tei.Document:
    return tei.load(TEI_FILE)


@pytest.fixture(scope="module", params=sorted(HOSTS))
def host(request: pytest.FixtureRequest, doc, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(kind of host, base URL): the edition's files served on loopback."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    folder = tmp_path_factory.mktemp(request.param)
    write(publish.extra_files(doc, reader.read(doc), base=base), folder)
    server = serve(folder, request.param, port)
    yield request.param, base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def files(doc) -> dict[str, bytes]:
    return publish.extra_files(doc, reader.read(doc), base="https://example.org/nucleus/")


# ---------------------------------------------------------------- the client


class Response:
    """What the client got: status, headers (names in any case), body."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.body = status, body
        self.headers = {k.title(): v for k, v in headers.items()}

    def json(self) -> dict:
        """The body as JSON."""
        return json.loads(self.body)


def get(url: str) -> Response:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return Response(answer.status, dict(answer.headers), answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), b"")


def expand(template: str, **values: object) -> str:
    """RFC 6570 expansion; ``None`` leaves a variable undefined (as a client would)."""
    # uritemplate 4.2 expands the integer 0 as ";down" with no value: pass "0".
    given = {k: str(v) for k, v in values.items() if v is not None}
    return URITemplate(template).expand(given)


# ---------------------------------------------------------------- the expected tree


def expected_units(path: Path) -> list[tuple[str, str | None, etree._Element]]:
    """Sections (the body's divisions) and their paragraphs, by xml:id, in document order."""
    root = etree.parse(str(path)).getroot()
    out = []
    for div in root.iterfind(f"{TEI_NS}text/{TEI_NS}body/{TEI_NS}div"):
        out.append((div.get(XML_ID), None, div))
        out += [(p.get(XML_ID), div.get(XML_ID), p) for p in div.iterfind(f"{TEI_NS}p")]
    return out


def unit_words(el: etree._Element) -> str:
    """A unit's text in the TEI file, without notes and other witnesses' readings."""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        out.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and etree.QName(child).localname not in ("note", "rdg"):
                walk(child)
            out.append(child.tail or "")

    walk(el)
    return " ".join("".join(out).split())


class Tree:
    """The citation tree of the TEI file as the specification's table defines answers."""

    def __init__(self, path: Path) -> None:
        self.units = [(i, p) for i, p, _ in expected_units(path)]
        # Units with a heading: the citation tree gives them a title.
        self.titled = {
            i for i, _, el in expected_units(path) if el.find(f"{TEI_NS}head") is not None
        }
        self.parent = dict(self.units)
        self.level = {i: 1 if p is None else 2 for i, p in self.units}
        self.cite_type = {i: "section" if p is None else "paragraph" for i, p in self.units}
        self.order = [i for i, _ in self.units]
        self.depth = max(self.level.values())
        top = [i for i, p in self.units if p is None]
        # The one range the site answers: the whole top level.
        self.span = (top[0], top[-1])

    def descendants(self, ref: str | None, down: int) -> list[str]:
        """``ref`` and the units down to ``down`` levels below it (-1: all), in order."""
        base = self.level[ref] if ref else 0
        out = []
        for ident, _ in self.units:
            ancestors = {ident, self.parent[ident]}
            inside = ref is None or ref in ancestors
            if inside and (down < 0 or self.level[ident] - base <= down):
                out.append(ident)
        return out

    def siblings(self, ref: str) -> list[str]:
        """The units that share ``ref``'s parent, ``ref`` included."""
        return [i for i, p in self.units if p == self.parent[ref]]

    def highest_down(self, ref: str | None) -> int:
        """The deepest ``down`` the site answers: one past the levels below ``ref``."""
        return self.depth - (self.level[ref] if ref else 0) + 1


TREE = Tree(TEI_FILE)


# ---------------------------------------------------------------- the walk


def test_the_entry_point_carries_every_variable_of_each_endpoint(host):
    _, base = host
    entry = get(base + paths.DTS_ENTRY).json()
    assert entry["@type"] == "EntryPoint" and entry["dtsVersion"] == "1.0"
    variables = {
        k: set(URITemplate(entry[k]).variable_names)
        for k in ("collection", "navigation", "document")
    }
    assert variables == {
        "collection": {"id", "nav", "page"},
        "navigation": {"resource", "ref", "down", "start", "end", "tree", "page"},
        "document": {"resource", "ref", "start", "end", "tree", "mediaType"},
    }


def content_type(kind: str, suffix: str, wanted: str) -> str:
    """What Content-Type the host of ``kind`` sends for a file that should be ``wanted``."""
    return wanted if kind == "headers" else HOSTS[kind][suffix]


def test_the_collection_endpoint(host):
    kind, base = host
    entry = get(base + paths.DTS_ENTRY).json()
    seen = set()
    for ident, nav, page in itertools.product(
        (None, "root", ARCHIVE, "nucleus", "no-such-collection"),
        (None, "children", "parents"),
        (None, 1),
    ):
        url = expand(entry["collection"], id=ident, nav=nav, page=page)
        answer = get(url)
        if page is not None or ident == "no-such-collection":
            assert answer.status == 404, url
            continue
        assert answer.status == 200, url
        assert answer.headers["Content-Type"].startswith(
            content_type(kind, ".jsonld", "application/ld+json")
        )
        body = answer.json()
        assert body.keys() >= REQUIRED[body["@type"]], url
        for member in body["member"]:
            assert member.keys() >= MEMBER
        if nav == "parents":
            assert len(body["member"]) == body["totalParents"], url
        else:
            assert len(body["member"]) == body["totalChildren"], url
        seen.add((body["@id"], nav or "children", tuple(m["@id"] for m in body["member"])))
    # Root, the archival document (the TEI's msDesc), the edition: a chain a client walks.
    assert seen == {
        ("root", "children", (ARCHIVE,)),
        ("root", "parents", ()),
        (ARCHIVE, "children", ("nucleus",)),
        (ARCHIVE, "parents", ("root",)),
        ("nucleus", "children", ()),
        ("nucleus", "parents", (ARCHIVE,)),
    }


def resource_of(base: str) -> dict:
    """The Resource as a client finds it: down the collections from the root."""
    entry = get(base + paths.DTS_ENTRY).json()
    [member] = get(expand(entry["collection"])).json()["member"]
    while member["@type"] != "Resource":
        [member] = get(expand(member["collection"], id=member["@id"])).json()["member"]
    return member


def check_navigation(
    body: dict,
    url: str,
    ref: str | None,
    down: int | None,
    span: tuple[str, str] | None = None,
    resource: dict | None = None,
) -> None:
    """One Navigation answer against the specification's table "Usage of down, ref, start, end".

    ``resource`` is the Resource as the Collection endpoint gives it: the
    answer's Resource must carry the same (absolute) templates, which a
    client may take from any answer and expand without resolving them.
    """
    assert body["@type"] == "Navigation" and body["dtsVersion"] == "1.0"
    # The answer's own URL, as a reference relative to the answer (JSON-LD resolves it).
    assert urljoin(url, body["@id"]) == url and "/" not in body["@id"], url
    assert body["resource"].keys() >= RESOURCE_IN_NAVIGATION
    if resource is not None:
        for endpoint in ("collection", "navigation", "document"):
            assert body["resource"][endpoint] == resource[endpoint], (url, endpoint)
    if span is None:
        assert "start" not in body and "end" not in body
    else:
        assert (body["start"]["identifier"], body["end"]["identifier"]) == span
        assert body["start"].keys() >= CITABLE_UNIT and body["end"].keys() >= CITABLE_UNIT
        assert ("@id" in body["start"]) == ("@id" in body["end"]) == (down is None), url
    members = body.get("member")
    if ref is None or (down is not None and down != 0):
        # With down >= 1 the unit is the first member, and not repeated as "ref".
        assert "ref" not in body, url
        if ref is not None:
            assert members and members[0]["identifier"] == ref, url
    else:
        assert body["ref"]["identifier"] == ref and body["ref"].keys() >= CITABLE_UNIT
        assert body["ref"]["citeType"] == TREE.cite_type[ref]
        # The unit's own answer carries its place on the reading page and its title.
        assert ("@id" in body["ref"]) == (down is None), url
        if down is None:
            assert body["ref"]["@id"] == urljoin(url, f"../../../edition/memo.html#{ref}")
        titled = ref in TREE.titled and down is None
        assert ("dublinCore" in body["ref"]) == titled, url
    for unit in members or []:
        assert unit.keys() >= CITABLE_UNIT and unit["@type"] == "CitableUnit"
        assert unit["level"] == TREE.level[unit["identifier"]]
        assert unit["parent"] == TREE.parent[unit["identifier"]]
        assert unit["citeType"] == TREE.cite_type[unit["identifier"]]
        assert "@id" not in unit
        # Titles in the lists from the root (a table of contents), not below or beside a unit.
        titled = ref is None and unit["identifier"] in TREE.titled
        assert ("dublinCore" in unit) == titled, url
    got = None if members is None else [u["identifier"] for u in members]
    if span is not None:
        # Down counts from the deeper of start and end.
        first, last = (TREE.order.index(i) for i in span)
        inside = {i for i in TREE.order[first : last + 1] if TREE.level[i] == TREE.level[span[0]]}
        deeper = max(TREE.level[i] for i in span)
        want = [
            i
            for i in TREE.order
            if (i in inside or TREE.parent[i] in inside)
            and (down is not None and (down < 0 or TREE.level[i] <= deeper + down))
        ]
        assert got == (None if down is None else want), url
    elif down is None:
        assert got is None, url
    elif down == 0:
        assert ref is not None and got is not None and ref in got, url
        if "view" in body:
            assert body["view"].keys() >= PAGINATION and urljoin(url, body["view"]["@id"]) == url
            assert got == [i for i in TREE.siblings(ref) if i in got]
        else:
            assert got == TREE.siblings(ref), url
    else:
        assert got == TREE.descendants(ref, down), url


def test_the_navigation_endpoint_answers_every_combination_as_the_spec_says(host):
    kind, base = host
    resource = resource_of(base)
    template = resource["navigation"]
    answered = set()
    refs = [None, *(i for i, _ in TREE.units), "no-such-unit"]
    downs = [None, 0, *range(1, TREE.depth + 3), -1]
    spans = [
        (None, None),
        ("press", None),
        (None, "press"),
        ("press-p1", "press-p3"),
        ("factory-nuclei", "press"),
        TREE.span,
    ]
    for ref, down, tree, (start, end), page in itertools.product(
        refs, downs, (None, "other-tree"), spans, (None, 1)
    ):
        url = expand(template, ref=ref, down=down, tree=tree, start=start, end=end, page=page)
        answer = get(url)
        span = (start, end) if start or end else None
        answerable = (
            tree is None
            and page is None
            and ref != "no-such-unit"
            and (
                # ref and its down (no down and down=0 need a ref) ...
                (span is None and (ref is not None or down not in (None, 0)))
                # ... or the whole top level as a range, without ref and down=0
                or (span == TREE.span and ref is None and down != 0)
            )
            and (down is None or down <= TREE.highest_down(ref if span is None else span[0]))
        )
        assert answer.status == (200 if answerable else 404), url
        if answerable:
            assert answer.headers["Content-Type"].startswith(
                content_type(kind, ".jsonld", "application/ld+json")
            )
            check_navigation(answer.json(), url, ref, down, span, resource)
            answered.add(url[len(base) :])
    # Every navigation file is the answer to some request, and only those exist.
    assert answered == {p for p in dts_files(base) if p.startswith("dts/navigation/")}


@functools.cache
def dts_files(base: str) -> frozenset[str]:
    doc = tei.load(TEI_FILE)
    return frozenset(publish.extra_files(doc, reader.read(doc), base=base))


def test_the_document_endpoint_answers_every_combination(host):
    kind, base = host
    resource = resource_of(base)
    template = resource["document"]
    expected = {i: el for i, _, el in expected_units(TEI_FILE)}
    collection = expand(resource["collection"])
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    answered = set()
    for ref, tree, (start, end), media in itertools.product(
        [None, *expected, "no-such-unit"],
        (None, "other-tree"),
        ((None, None), ("press", "trade-unions"), ("press", None), TREE.span),
        (None, "application/tei+xml", "text/html"),
    ):
        url = expand(template, ref=ref, tree=tree, start=start, end=end, mediaType=media)
        answer = get(url)
        answerable = (
            tree is None
            and media is None
            and ref != "no-such-unit"
            and ((start, end) == (None, None) or (ref is None and (start, end) == TREE.span))
        )
        assert answer.status == (200 if answerable else 404), url
        if answerable:
            answered.add(url[len(base) :])
        if not answerable:
            continue
        assert answer.headers["Content-Type"].startswith(
            content_type(kind, ".xml", "application/tei+xml")
        )
        if kind == "headers":
            assert answer.headers["Link"] == f'<{collection}>; rel="collection"'
        root = etree.fromstring(answer.body, parser)
        assert root.tag == f"{TEI_NS}TEI"
        if start is not None:
            # The range: everything in the body from the first unit to the last.
            [wrapper] = root.iter(WRAPPER)
            tei_root = etree.parse(str(TEI_FILE)).getroot()
            body = tei_root.find(f"{TEI_NS}text/{TEI_NS}body")
            kept = [el for el in body if isinstance(el.tag, str) and el.tag != f"{TEI_NS}note"]
            want = " ".join(" ".join(unit_words(el) for el in kept).split())
            assert unit_words(wrapper) == want
            assert [el.get(XML_ID) for el in tei_root.xpath(wrapper.get("start"))] == [start]
            assert [el.get(XML_ID) for el in tei_root.xpath(wrapper.get("end"))] == [end]
            continue
        if ref is None:
            assert unit_words(root) == unit_words(etree.parse(str(TEI_FILE)).getroot())
            continue
        [wrapper] = root.iter(WRAPPER)
        [part] = [el for el in wrapper if isinstance(el.tag, str)]
        assert part.get(XML_ID) == ref and part.tag == expected[ref].tag
        assert unit_words(part) == unit_words(expected[ref])
        # The header points to the whole document, relative to the part.
        ptr = root.find(f"{TEI_NS}teiHeader/{TEI_NS}fileDesc/{TEI_NS}sourceDesc//{TEI_NS}ptr")
        assert urljoin(url, ptr.get("target")) == expand(template), url
    # Every document file is the answer to some request, and only those exist.
    assert answered == {p for p in dts_files(base) if p.startswith("dts/document/")}


@pytest.mark.parametrize(("whole", "page"), [(8, 4), (4, 3)])
def test_a_long_list_of_siblings_is_paged_and_each_page_holds_its_unit(
    doc, monkeypatch, whole, page
):
    monkeypatch.setattr(dts, "SIBLINGS_WHOLE", whole)
    monkeypatch.setattr(dts, "SIBLINGS_PAGE", page)
    base = "https://example.org/"
    files = publish.extra_files(doc, reader.read(doc), base=base)
    template = paths.navigation_template(base, "nucleus")
    top = [i for i, p in TREE.units if p is None]
    for ref in top:
        url = expand(template, ref=ref, down="0")
        body = json.loads(files[url[len(base) :]])
        check_navigation(body, url, ref, 0)
        assert len(body["member"]) <= page
        # Following "next" from the first page collects every sibling once.
        at = body["view"]["first"]
        first, collected = json.loads(files[at[len(base) :]]), []
        current = first
        while True:
            collected += [u["identifier"] for u in current["member"]]
            if "next" not in current["view"]:
                break
            at = current["view"]["next"]
            current = json.loads(files[at[len(base) :]])
        assert collected == top
        assert body["view"]["last"] == urljoin(at, current["view"]["@id"]) == at
    # Paragraph lists (at most 5 here) stay whole while they are no longer than ``whole``.
    paragraphs = json.loads(files[paths.navigation_path("nucleus", "factory-nuclei-p1", 0)])
    assert ("view" in paragraphs) == (len(TREE.siblings("factory-nuclei-p1")) > whole)


def test_the_whole_top_level_is_a_range_only_while_it_is_short(doc, monkeypatch):
    base = "https://example.org/"
    files = publish.extra_files(doc, reader.read(doc), base=base)
    ranged = {p for p in files if ";start=" in p}
    # No down, down 1, 2 (one past the tree below the top level) and -1; and the document.
    assert len(ranged) == 5
    assert all(f";start={TREE.span[0]};end={TREE.span[1]}." in p for p in ranged)
    monkeypatch.setattr(dts, "RANGE_LIMIT", len([i for i, p in TREE.units if p is None]) - 1)
    files = publish.extra_files(doc, reader.read(doc), base=base)
    assert not any(";start=" in p for p in files)


def test_the_archival_collection_is_named_from_the_manuscript_description(files):
    archive = json.loads(files[paths.collection_path(ARCHIVE)])
    assert archive["@type"] == "Collection"
    assert archive["title"] == (
        "Russian State Archive of Socio-Political History (RGASPI), Comintern Archive, "
        "f. 515, op. 1, d. 164"
    )
    assert archive["dublinCore"]["title"] == [{"lang": "en", "value": archive["title"]}]
    assert (archive["totalParents"], archive["totalChildren"]) == (1, 1)
    [resource] = archive["member"]
    # The member is the Resource as its own collection answer describes it.
    whole = json.loads(files[paths.collection_path("nucleus")])
    assert resource == {
        k: v for k, v in whole.items() if k not in ("@context", "dtsVersion", "member")
    }


def test_titles_and_dublin_core_are_language_tagged_and_keep_a_no_break_space(tmp_path):
    source = (FIXTURES / "tei" / "small-edition.xml").read_text(encoding="utf-8")
    lemma = '<lem wit="#wit-a">Kettles</lem>'
    path = tmp_path / "letter.xml"
    section = 'match="/TEI/text/body/div" use="@xml:id">'
    title = '<citeData property="http://purl.org/dc/terms/title" use="head"/>'
    source = source.replace(section, section + title)
    path.write_text(source.replace(lemma, lemma.replace("Kettles", "Kettles\u00a0A")), "utf-8")
    other = tei.load(path)
    base = "https://example.org/"
    files = publish.extra_files(other, reader.read(other), base=base)
    resource = json.loads(files[paths.collection_path("small-edition")])
    for key, values in resource["dublinCore"].items():
        if key in ("title", "creator", "contributor", "publisher", "source"):
            assert all(v.keys() == {"lang", "value"} and v["lang"] == "en" for v in values), key
    for key in ("bibliographicCitation",):
        assert resource["dublinCore"][key][0]["lang"] == "en"
    top = json.loads(files[paths.navigation_path("small-edition", None, 1)])
    titles = [u["dublinCore"]["title"][0]["value"] for u in top["member"] if "dublinCore" in u]
    assert "Kettles\u00a0A." in titles


def test_a_cite_structure_that_selects_nothing_is_a_located_error(tmp_path):
    source = (FIXTURES / "tei" / "small-edition.xml").read_text(encoding="utf-8")
    path = tmp_path / "letter.xml"
    path.write_text(source.replace('match="/TEI/text/body/div"', 'match="/TEI/text/body/lg"'))
    other = tei.load(path)
    with pytest.raises(EditionError) as caught:
        publish.extra_files(other, reader.read(other), base="https://example.org/")
    [problem] = caught.value.problems
    assert problem.file.endswith("letter.xml") and "selects no element" in problem.what
    assert "/TEI/text/body/lg" in problem.what and problem.line > 1


def test_a_cite_structure_may_use_declared_prefixes(tmp_path):
    source = (FIXTURES / "tei" / "small-edition.xml").read_text(encoding="utf-8")
    path = tmp_path / "letter.xml"
    prefixed = source.replace("<refsDecl>", '<refsDecl xmlns:t="http://www.tei-c.org/ns/1.0">')
    prefixed = prefixed.replace('match="/TEI/text/body/div"', 'match="/t:TEI/t:text/t:body/t:div"')
    path.write_text(prefixed.replace('match="p"', 'match="t:p"'))
    other = tei.load(path)
    files = publish.extra_files(other, reader.read(other), base="https://example.org/")
    whole = json.loads(files[paths.navigation_path("small-edition", None, -1)])
    assert [u["identifier"] for u in whole["member"]] == [
        i for i, _, _ in expected_units(FIXTURES / "tei" / "small-edition.xml")
    ]


def test_another_tei_file_gets_its_own_api():
    other = tei.load(FIXTURES / "tei" / "small-edition.xml")
    base = "https://example.org/"
    files = publish.extra_files(other, reader.read(other), base=base)
    entry = json.loads(files[paths.DTS_ENTRY])
    root = json.loads(files[expand(entry["collection"])[len(base) :]])
    [archive] = root["member"]
    assert archive["@type"] == "Collection" and archive["@id"] == "ms-test"
    archive = json.loads(files[expand(archive["collection"])[len(base) :]])
    [resource] = archive["member"]
    assert resource["@id"] == "small-edition"
    whole = json.loads(files[expand(resource["navigation"], down=-1)[len(base) :]])
    assert [u["identifier"] for u in whole["member"]] == [
        i for i, _, _ in expected_units(FIXTURES / "tei" / "small-edition.xml")
    ]
    assert not any("nucleus" in path for path in files)


def test_without_an_identified_manuscript_the_root_holds_the_resource(tmp_path):
    source = (FIXTURES / "tei" / "small-edition.xml").read_text(encoding="utf-8")
    path = tmp_path / "letter.xml"
    path.write_text(re.sub(r'(<msDesc[^>]*?) xml:id="[^"]*"', r"\1", source), "utf-8")
    other = tei.load(path)
    base = "https://example.org/"
    files = publish.extra_files(other, reader.read(other), base=base)
    root = json.loads(files[paths.collection_path()])
    [resource] = root["member"]
    assert resource["@type"] == "Resource" and resource["@id"] == "small-edition"
    parents = json.loads(files[paths.collection_path("small-edition", "parents")])
    assert [m["@id"] for m in parents["member"]] == ["root"]
    assert not any(p.startswith("dts/collection/ms-") for p in files)


# ---------------------------------------------------------------- shapes and JSON-LD


def loader(url: str, options: object = None) -> dict:
    """Serve the DTS context; anything else is an error (no network in tests)."""
    if url != dts.DTS_CONTEXT:
        raise AssertionError(f"the JSON-LD processor asked for {url}")
    return {"contextUrl": None, "documentUrl": url, "document": DTS_CONTEXT}


def test_every_response_expands_offline_without_dropping_a_term(files):
    base = "https://example.org/nucleus/"
    responses = [p for p in files if p.endswith(".jsonld")]
    assert len(responses) > 100
    for path in responses:
        body = json.loads(files[path])
        assert body["@context"] == dts.DTS_CONTEXT and body["dtsVersion"] == "1.0", path
        dropped: list[str | None] = []
        expanded = jsonld.expand(
            body,
            {"documentLoader": loader, "base": base + path},
            on_property_dropped=dropped.append,
        )
        assert not dropped, (path, dropped)
        [node] = expanded
        assert node["@type"] == [DTS + body["@type"]], path
        if body["@type"] == "Navigation":
            # The answer's relative "@id" expands to the absolute URL of the request.
            assert node["@id"] == base + path, path
        for key in body:
            if key.startswith("@") or key == "dublinCore" or body[key] is None:
                continue
            assert DTS + key in node, (path, key)
        if "dublinCore" in body:
            assert any(k.startswith(DCT) for k in node), path


def test_the_resource_declares_the_citation_tree_and_the_download(files):
    resource = json.loads(files["dts/collection/nucleus.jsonld"])
    [tree] = resource["citationTrees"]
    # CiteStructure objects as the specification's table and examples give them: no @type.
    assert tree == {
        "@type": "CitationTree",
        "citeStructure": [{"citeType": "section", "citeStructure": [{"citeType": "paragraph"}]}],
    }
    assert resource["download"] == "https://example.org/nucleus/downloads/nucleus.xml"
    assert resource["mediaTypes"] == ["application/tei+xml"]
    assert resource["dublinCore"]["creator"] == [
        {"lang": "en", "value": "Executive Committee of the Communist International"}
    ]
    nav = json.loads(files["dts/navigation/nucleus/prisoners-aid.jsonld"])
    assert nav["ref"]["dublinCore"]["title"] == [
        {"lang": "en", "value": "International Prisoners Aid."}
    ]
    assert nav["ref"]["@id"] == "https://example.org/nucleus/edition/memo.html#prisoners-aid"
    # In every navigation answer the Resource has only what the specification requires.
    assert nav["resource"].keys() == RESOURCE_IN_NAVIGATION
    assert nav["resource"]["citationTrees"] == [{"@type": "CitationTree"}]


def test_the_whole_document_is_the_valid_tei_file(files, doc):
    raw = files["dts/document/nucleus.xml"]
    tree = etree.ElementTree(etree.fromstring(raw))
    assert tei.load_schema().validate(tree)
    [pi] = [
        p.text
        for p in tree.getroot().itersiblings(preceding=True)
        if isinstance(p, etree._ProcessingInstruction) and p.target == "xml-model"
    ]
    href = re.search(r'href="([^"]+)"', pi).group(1)
    schema = posixpath.normpath(posixpath.join("dts/document", href))
    assert files[schema] == tei.DEFAULT_SCHEMA.read_bytes(), schema
    assert unit_words(tree.getroot()) == unit_words(doc.root)


def test_every_part_is_valid_tei_around_its_dts_wrapper(files, tei_all_schema, doc):
    """A part is the TEI P5 schema's, header included, but for the wrapper DTS asks for.

    ``dts:wrapper`` is DTS's own element, which tei_all does not allow in
    ``body``; with it replaced by what it holds, every part validates.
    """
    parts = [p for p in files if p.startswith("dts/document/") and p != "dts/document/nucleus.xml"]
    assert len(parts) == len(TREE.units) + 1  # every unit, and the range
    doc_header = reader.read(doc).header
    for path in parts:
        root = etree.fromstring(files[path])
        [wrapper] = root.iter(WRAPPER)
        parent = wrapper.getparent()
        at = parent.index(wrapper)
        parent.remove(wrapper)
        for offset, child in enumerate(wrapper):
            parent.insert(at + offset, child)
        assert tei_all_schema.validate(root), (path, tei_all_schema.error_log.last_error)
        # It says what it is, whose and on what terms; its source is the whole
        # document, at its absolute address (a saved copy keeps it).
        file_desc = root.find(f"{TEI_NS}teiHeader/{TEI_NS}fileDesc")
        assert file_desc.findtext(f"{TEI_NS}titleStmt/{TEI_NS}title") == doc_header.title, path
        assert file_desc.findtext(f"{TEI_NS}publicationStmt/{TEI_NS}publisher") == (
            doc_header.publisher
        )
        licence = file_desc.find(f"{TEI_NS}publicationStmt/{TEI_NS}availability/{TEI_NS}licence")
        assert licence.get("target") == doc_header.licence_url
        ptr = file_desc.find(f"{TEI_NS}sourceDesc//{TEI_NS}ptr")
        assert ptr.get("target") == "https://example.org/nucleus/dts/document/nucleus.xml", path


def test_an_answer_refers_to_itself_by_a_reference_that_resolves_to_its_url():
    for path in ("dts/navigation/nucleus;down=1.jsonld", "dts/navigation/nucleus/press.jsonld"):
        assert dts.own_reference(path) == path.rpartition("/")[2]
    # An identifier with a colon would read as a scheme without "./".
    path = "dts/navigation/nucleus;down=0/sec:1.jsonld"
    assert dts.own_reference(path) == "./sec:1.jsonld"
    assert urljoin("https://example.org/" + path, dts.own_reference(path)).endswith(path)


def test_publishing_the_whole_document_leaves_the_read_document_as_it_was():
    doc = tei.load(TEI_FILE)
    before = etree.tostring(doc.tree)
    files = publish.extra_files(doc, reader.read(doc), base="https://example.org/")
    assert etree.tostring(doc.tree) == before
    assert b'href="../../downloads/edition.rng"' in files["dts/document/nucleus.xml"]
    assert b'href="edition.rng"' in before


def test_the_path_functions_are_the_templates_expansions():
    for ref, down in itertools.product((None, "press", "press-p1"), (None, 0, 1, -1)):
        assert paths.navigation_path("nucleus", ref, down) == paths.expand(
            paths.NAVIGATION, resource="nucleus", ref=ref, down=down
        )
    for down in (None, 1, -1):
        assert paths.navigation_path("nucleus", None, down, ("a", "b")) == paths.expand(
            paths.NAVIGATION, resource="nucleus", down=down, start="a", end="b"
        )
    for ref in (None, "press"):
        assert paths.document_path("nucleus", ref) == paths.expand(
            paths.DOCUMENT, resource="nucleus", ref=ref
        )
    assert paths.document_path("nucleus", None, ("a", "b")) == paths.expand(
        paths.DOCUMENT, resource="nucleus", start="a", end="b"
    )
    for ident, nav in itertools.product((None, "root", "nucleus"), (None, "parents")):
        assert paths.collection_path(ident, nav) == paths.expand(
            paths.COLLECTION, id=ident, nav=nav
        )


def test_the_cite_structure_reads_tei_names_without_a_prefix(doc):
    """As TEI writes them and the DTS reference implementation reads them (XPath 2, TEI default)."""
    [section] = dts.cite_structures(doc)
    assert section.match.expression == "/TEI/text/body/div"
    assert [u.identifier for u in dts.units(doc, (section,)) if u.level == 1] == [
        i for i, p in TREE.units if p is None
    ]


def _through_elementpath(structures: tuple[dts.CiteStructure, ...]) -> tuple:
    """The same tree with every expression left to elementpath."""

    def plain(x: dts.XPath) -> dts.XPath:
        return dataclasses.replace(x, direct=None)

    return tuple(
        dataclasses.replace(
            cs,
            match=plain(cs.match),
            use=plain(cs.use),
            data=tuple((prop, plain(use)) for prop, use in cs.data),
            children=_through_elementpath(cs.children),
        )
        for cs in structures
    )


def test_plain_paths_are_read_directly_and_agree_with_elementpath(doc):
    """The memo's child-step paths and ``@xml:id`` are read by lxml as elementpath reads them."""
    structures = dts.cite_structures(doc)
    expressions = [x.expression for x in dts._expressions(structures)]
    assert expressions == ["/TEI/text/body/div", "@xml:id", "head", "p", "@xml:id"]
    assert all(x.direct is not None for x in dts._expressions(structures))
    direct = dts.units(doc, structures)
    slow = dts.units(doc, _through_elementpath(structures))

    def shape(units: list[dts.Unit]) -> list[tuple]:
        return [(u.identifier, u.level, u.parent, u.cite_type, u.title, u.element) for u in units]

    assert shape(direct) == shape(slow)
    assert [u.identifier for u in direct] == TREE.order
    # What is not a plain path (a predicate, a prefix) goes to elementpath.
    for expression in ("div[@type]", "t:div", "//div", "@xml:id | @n", "string(@n)"):
        assert dts._direct(expression) is None, expression


def test_each_unit_form_is_the_json_of_its_citable_unit(doc):
    api = dts.Api(doc, reader.read(doc), "https://example.org/", "nucleus")
    for unit in api.units:
        full, titled, bare = api.citable_unit_forms(unit)
        assert json.loads(full) == api.citable_unit(unit)
        assert json.loads(titled) == api.citable_unit(unit, address=False)
        assert json.loads(bare) == api.citable_unit(unit, address=False, title=False)
        # Byte for byte as the encoder writes it, members in the same order.
        assert full == dts._json(api.citable_unit(unit))


# ---------------------------------------------------------------- the built site


@pytest.mark.slow
def test_the_built_site_serves_the_api(site):
    """The pipeline writes the files and the extension publishes them at the site root."""
    entry = json.loads((site / "dts" / "index.jsonld").read_text(encoding="utf-8"))
    base = entry["@id"].removesuffix(paths.DTS_ENTRY)
    whole = json.loads(
        (site / expand(entry["navigation"], resource="nucleus", down=-1)[len(base) :]).read_text(
            encoding="utf-8"
        )
    )
    for unit in whole["member"]:
        path = (
            site
            / expand(entry["document"], resource="nucleus", ref=unit["identifier"])[len(base) :]
        )
        assert etree.parse(str(path)).getroot().tag == f"{TEI_NS}TEI"
    assert (site / paths.HEADERS).is_file()

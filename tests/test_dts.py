"""The static DTS 1.0 API: JSON-LD of the specification's shapes, TEI for every citable unit.

A client is simulated: it reads the entry point, expands the URI templates
(RFC 6570) it finds there, and follows them through the collection and the
navigation to the document endpoint. The JSON-LD is expanded offline with
pyld; the DTS context is given to pyld by a document loader, and any other
URL makes the loader fail, so nothing is fetched.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import FIXTURES, TEI_FILE
from lxml import etree
from pyld import jsonld

from edition import dts, reader, tei

BASE = "https://example.org/nucleus/"
DTS = "https://dtsapi.org/v1.0#"
DCT = "http://purl.org/dc/terms/"
WRAPPER = "{https://w3id.org/api/dts#}wrapper"
TEI_NS = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

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
REQUIRED = {
    "EntryPoint": {"@id", "dtsVersion", "collection", "navigation", "document"},
    "Collection": {"@id", "dtsVersion", "title", "totalParents", "totalChildren", "collection"},
    "Resource": {
        "@id",
        "dtsVersion",
        "title",
        "totalParents",
        "collection",
        "navigation",
        "document",
        "citationTrees",
    },
    "Navigation": {"@id", "dtsVersion", "resource"},
}
RESOURCE_IN_NAVIGATION = {"@id", "@type", "collection", "navigation", "document", "citationTrees"}
CITABLE_UNIT = {"identifier", "@type", "level", "parent"}


@pytest.fixture(scope="module")
def doc() -> tei.Document:
    return tei.load(TEI_FILE)


@pytest.fixture(scope="module")
def files(doc) -> dict[str, bytes]:
    return dts.extra_files(doc, reader.read(doc), base=BASE)


# ---------------------------------------------------------------- a tiny client


def expand(template: str, **values: object) -> str:
    """Expand the RFC 6570 forms the API uses: {var}, {/var,...} and {;var}."""

    def one(found: re.Match[str]) -> str:
        operator, names = found.group(1), found.group(2).split(",")
        given = [(n, values[n]) for n in names if values.get(n) is not None]
        if operator == "/":
            return "".join("/" + quote(str(v), safe="") for _, v in given)
        if operator == ";":
            return "".join(f";{n}={quote(str(v), safe='')}" for n, v in given)
        assert operator == "", f"operator {operator!r} is not used by a static API"
        return ",".join(quote(str(v), safe="") for _, v in given)

    return re.sub(r"\{([/;?&]?)([^}]*)\}", one, template)


def fetch(files: dict[str, bytes], url: str) -> bytes:
    """What a static host would serve at ``url``."""
    assert url.startswith(BASE), url
    path = url[len(BASE) :]
    assert path in files, f"404: {path}"
    return files[path]


def fetch_json(files: dict[str, bytes], url: str) -> dict:
    return json.loads(fetch(files, url))


def loader(url: str, options: object = None) -> dict:
    """Serve the DTS context; anything else is an error (no network in tests)."""
    if url != dts.DTS_CONTEXT:
        raise AssertionError(f"the JSON-LD processor asked for {url}")
    return {"contextUrl": None, "documentUrl": url, "document": DTS_CONTEXT}


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


# ---------------------------------------------------------------- shapes


def test_every_response_is_dts_json_ld(files):
    responses = {p: json.loads(b) for p, b in files.items() if p.endswith(".jsonld")}
    assert len(responses) > 50
    for path, body in responses.items():
        assert body["@context"] == dts.DTS_CONTEXT, path
        assert body["dtsVersion"] == "1.0", path
        kind = body["@type"]
        assert kind in REQUIRED, path
        assert body.keys() >= REQUIRED[kind], (path, REQUIRED[kind] - body.keys())
        if kind == "Collection":
            for member in body["member"]:
                assert member.keys() >= {"@id", "@type", "title", "totalParents", "collection"}
        if kind == "Navigation":
            assert body["@id"] == BASE + path
            assert body["resource"].keys() >= RESOURCE_IN_NAVIGATION
            for unit in [*body.get("member", []), *[body[k] for k in ("ref",) if k in body]]:
                assert unit.keys() >= CITABLE_UNIT, (path, unit)
                assert unit["@type"] == "CitableUnit"
            assert "start" not in body and "end" not in body  # level 0: no ranges


def test_every_response_expands_offline_without_dropping_a_term(files):
    for path, raw in files.items():
        if not path.endswith(".jsonld"):
            continue
        body = json.loads(raw)
        dropped: list[str | None] = []
        expanded = jsonld.expand(
            body,
            {"documentLoader": loader, "base": BASE + path},
            on_property_dropped=dropped.append,
        )
        assert not dropped, (path, dropped)
        [node] = expanded
        assert node["@type"] == [DTS + body["@type"]], path
        for key in body:
            if key.startswith("@") or key == "dublinCore" or body[key] is None:
                continue
            assert DTS + key in node, (path, key)
        if "dublinCore" in body:
            assert any(k.startswith(DCT) for k in node), path


def test_the_entry_point_offers_level_0_templates(files):
    entry = json.loads(files["dts/index.jsonld"])
    assert entry["@type"] == "EntryPoint"
    assert entry["@id"] == BASE + "dts/index.jsonld"
    assert entry["collection"] == BASE + "dts/collection{/id,nav}.jsonld"
    assert entry["navigation"] == BASE + "dts/navigation/{resource}{;down}{/ref}.jsonld"
    assert entry["document"] == BASE + "dts/document/{resource}{/ref}.xml"
    assert not any("start" in v or "end" in v for k, v in entry.items() if k != "@context")


def test_the_collection_holds_one_resource_with_the_declared_citation_tree(files, doc):
    entry = json.loads(files["dts/index.jsonld"])
    root = fetch_json(files, expand(entry["collection"]))
    assert root["@type"] == "Collection" and root["totalParents"] == 0
    assert root["totalChildren"] == len(root["member"]) == 1
    [resource] = root["member"]
    assert resource["@type"] == "Resource" and resource["@id"] == "nucleus"
    assert root == fetch_json(files, expand(entry["collection"], id=root["@id"]))
    assert root == fetch_json(files, expand(entry["collection"], id=root["@id"], nav="children"))
    itself = fetch_json(files, expand(resource["collection"]))
    assert itself["@id"] == "nucleus" and itself["member"] == []
    parents = fetch_json(files, expand(resource["collection"], nav="parents"))
    assert [p["@id"] for p in parents["member"]] == [root["@id"]]
    [tree] = resource["citationTrees"]
    assert tree == {
        "@type": "CitationTree",
        "citeStructure": [
            {
                "@type": "CiteStructure",
                "citeType": "section",
                "citeStructure": [{"@type": "CiteStructure", "citeType": "paragraph"}],
            }
        ],
    }
    assert resource["download"] == BASE + "downloads/nucleus.xml"
    assert resource["mediaTypes"] == ["application/tei+xml"]
    assert resource["dublinCore"]["creator"] == [
        "Executive Committee of the Communist International"
    ]


def expected_units(path: Path) -> list[tuple[str, str | None, etree._Element]]:
    """Sections (the body's divisions) and their paragraphs, by xml:id, in document order."""
    root = etree.parse(str(path)).getroot()
    out = []
    for div in root.iterfind(f"{TEI_NS}text/{TEI_NS}body/{TEI_NS}div"):
        out.append((div.get(XML_ID), None, div))
        out += [(p.get(XML_ID), div.get(XML_ID), p) for p in div.iterfind(f"{TEI_NS}p")]
    return out


def test_navigation_follows_the_tei_citation_structure(files):
    resource = json.loads(files["dts/collection/nucleus.jsonld"])
    whole = fetch_json(files, expand(resource["navigation"], down=-1))
    members = [(u["identifier"], u["parent"]) for u in whole["member"]]
    expected = [(i, parent) for i, parent, _ in expected_units(TEI_FILE)]
    assert members == expected
    assert [u["level"] for u in whole["member"]] == [1 if p is None else 2 for _, p in expected]
    top = fetch_json(files, expand(resource["navigation"], down=1))
    assert [u["identifier"] for u in top["member"]] == [i for i, p in expected if p is None]
    assert fetch_json(files, expand(resource["navigation"], down=2))["member"] == whole["member"]
    section = fetch_json(files, expand(resource["navigation"], ref="factory-nuclei"))
    assert section["ref"]["identifier"] == "factory-nuclei" and "member" not in section
    assert section["ref"]["dublinCore"]["title"] == [
        {"lang": "en", "value": "The Formation of Nuclei in the Factories."}
    ]
    assert section["ref"]["@id"] == BASE + "edition/memo.html#factory-nuclei"
    children = fetch_json(files, expand(resource["navigation"], ref="factory-nuclei", down=1))
    assert [u["identifier"] for u in children["member"]] == [
        "factory-nuclei",
        *(f"factory-nuclei-p{n}" for n in range(1, 6)),
    ]
    siblings = fetch_json(files, expand(resource["navigation"], ref="press-p2", down=0))
    assert [u["identifier"] for u in siblings["member"]] == ["press-p1", "press-p2", "press-p3"]
    leaf = fetch_json(files, expand(resource["navigation"], ref="press-p2", down=1))
    assert [u["identifier"] for u in leaf["member"]] == ["press-p2"]


def test_the_title_of_a_section_is_the_base_text_of_its_head(files):
    nav = json.loads(files["dts/navigation/nucleus/prisoners-aid.jsonld"])
    assert nav["ref"]["dublinCore"]["title"][0]["value"] == "International Prisoners Aid."


def test_every_unit_has_a_tei_document_with_its_text(files):
    resource = json.loads(files["dts/collection/nucleus.jsonld"])
    whole = fetch_json(files, expand(resource["navigation"], down=-1))
    expected = {i: el for i, _, el in expected_units(TEI_FILE)}
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for unit in whole["member"]:
        raw = fetch(files, expand(resource["document"], ref=unit["identifier"]))
        root = etree.fromstring(raw, parser)
        assert root.tag == f"{TEI_NS}TEI"
        [wrapper] = root.iter(WRAPPER)
        [part] = [el for el in wrapper if isinstance(el.tag, str)]
        assert part.get(XML_ID) == unit["identifier"]
        original = expected[unit["identifier"]]
        assert part.tag == original.tag
        assert unit_words(part) == unit_words(original)
        assert original.getroottree().getroot().xpath(wrapper.get("ref")) != []
        assert root.find(f"{TEI_NS}teiHeader") is not None


def test_the_whole_document_is_the_valid_tei_file(files, doc):
    resource = json.loads(files["dts/collection/nucleus.jsonld"])
    raw = fetch(files, expand(resource["document"]))
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


def test_tei_xpath_prefixes_only_element_names():
    assert dts.tei_xpath("/TEI/text/body/div") == "/tei:TEI/tei:text/tei:body/tei:div"
    assert dts.tei_xpath("p") == "tei:p"
    assert dts.tei_xpath("@xml:id") == "@xml:id"
    assert (
        dts.tei_xpath("div[@type='section' and position() mod 2 = 1]/child::p | .//lg/l")
        == "tei:div[@type='section' and position() mod 2 = 1]/child::tei:p | .//tei:lg/tei:l"
    )
    assert dts.tei_xpath("div div 2") == "tei:div div 2"


def test_another_tei_file_gets_its_own_api(tmp_path):
    other = tei.load(FIXTURES / "tei" / "small-edition.xml")
    files = dts.extra_files(other, reader.read(other), base=BASE)
    entry = json.loads(files["dts/index.jsonld"])
    root = fetch_json(files, expand(entry["collection"]))
    [resource] = root["member"]
    assert resource["@id"] == "small-edition"
    whole = fetch_json(files, expand(resource["navigation"], down=-1))
    assert [u["identifier"] for u in whole["member"]] == [
        i for i, _, _ in expected_units(FIXTURES / "tei" / "small-edition.xml")
    ]
    for unit in whole["member"]:
        assert fetch(files, expand(resource["document"], ref=unit["identifier"]))
    assert not any("nucleus" in path for path in files)


# ---------------------------------------------------------------- the built site


@pytest.mark.slow
def test_the_built_site_serves_the_api(site):
    """Needs the pipeline to write extra_files and the extension to publish them."""
    entry = json.loads((site / "dts" / "index.jsonld").read_text(encoding="utf-8"))
    base = entry["@id"].removesuffix("dts/index.jsonld")
    navigation = entry["navigation"]
    whole = json.loads(
        (site / expand(navigation, resource="nucleus", down=-1)[len(base) :]).read_text(
            encoding="utf-8"
        )
    )
    for unit in whole["member"]:
        path = (
            site
            / expand(entry["document"], resource="nucleus", ref=unit["identifier"])[len(base) :]
        )
        assert etree.parse(str(path)).getroot().tag == f"{TEI_NS}TEI"

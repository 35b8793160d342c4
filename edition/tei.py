"""Load the TEI master file once and check it: well-formedness, schema, rules.

This is the only module (with :mod:`edition.reader`) that touches lxml trees.
The parser never expands entities or reaches the network. Rules that RELAX NG
cannot state are checked here, each failure located by line and column.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition.behaviours import ENTRY_KINDS
from edition.errors import EditionError, Problem

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
NS = {"tei": TEI_NS}

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
POINTER_ATTRIBUTES = ("ref", "target", "source", "wit", "resp", "edRef", "who", "corresp")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"]+$")
CYRILLIC = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
DEFAULT_SCHEMA = Path(__file__).resolve().parent.parent / "tei" / "edition.rng"


# Compiled once per process (a plain walk of the tree beats an XPath that returns
# most of its elements, so only these selective searches are XPaths).
_NAMES_WITH_REF = {
    k.name: etree.XPath(f"//tei:text//tei:{k.name}[@ref]", namespaces=NS) for k in ENTRY_KINDS
}


def local(el: etree._Element) -> str:
    """Return the element's local name (TEI elements only carry one namespace)."""
    tag = el.tag
    if isinstance(tag, str):  # "{ns}name" or "name": cheaper than building a QName
        return tag.rpartition("}")[2]
    return etree.QName(el).localname


@dataclass(frozen=True)
class Document:
    """A parsed, validated TEI file and where it came from."""

    path: Path
    tree: etree._ElementTree

    @functools.cached_property
    def columns(self) -> dict[etree._Element, int]:
        """Each element's start-tag column: worked out only when a problem is reported."""
        return _columns(self.path, self.tree)

    @property
    def root(self) -> etree._Element:
        """The ``TEI`` element."""
        return self.tree.getroot()

    def problem(self, el: etree._Element, what: str, fix: str) -> Problem:
        """Build a problem located at ``el``."""
        return Problem(str(self.path), el.sourceline or 0, self.columns.get(el, 1), what, fix)

    def by_id(self) -> dict[str, etree._Element]:
        """Map every ``xml:id`` to its element (the caller's own copy)."""
        return dict(self._ids)

    @functools.cached_property
    def _ids(self) -> dict[str, etree._Element]:
        # Worked out once: the checks, the reader's helpers and the anchors all ask.
        return {i: el for el in self.root.iter() if (i := el.get(XML_ID)) is not None}


def _columns(path: Path, tree: etree._ElementTree) -> dict[etree._Element, int]:
    """Find each element's start-tag column, since lxml records only lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    seen: dict[tuple[int, str], int] = defaultdict(int)
    columns: dict[etree._Element, int] = {}
    for el in tree.getroot().iter():
        if not isinstance(el.tag, str) or el.sourceline is None:
            continue
        name = local(el)
        line = lines[el.sourceline - 1] if el.sourceline <= len(lines) else ""
        key = (el.sourceline, name)
        start = -1
        for _ in range(seen[key] + 1):
            start = line.find(f"<{name}", start + 1)
            if start < 0:
                break
        seen[key] += 1
        columns[el] = start + 1 if start >= 0 else 1
    return columns


def parse(path: Path) -> Document:
    """Parse ``path`` safely; a malformed file raises :class:`EditionError`."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.parse(str(path), parser)
    except OSError as exc:
        raise EditionError(
            [Problem(str(path), 0, 0, f"cannot read the TEI file ({exc})", "check the path")]
        ) from exc
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 0, 0)
        message = exc.msg.split(", line ")[0]
        if "already defined" in message:
            fix = "give each element its own xml:id"
            message = f"duplicate xml:id ({message})"
        else:
            fix = "correct the XML so that it is well-formed"
        raise EditionError([Problem(str(path), line, column, message, fix)]) from exc
    root = tree.getroot()
    if root.tag != f"{{{TEI_NS}}}TEI":
        raise EditionError(
            [
                Problem(
                    str(path),
                    root.sourceline or 1,
                    1,
                    f"the root element is {root.tag!r}, not TEI",
                    f'use <TEI xmlns="{TEI_NS}"> as the root element',
                )
            ]
        )
    return Document(path, tree)


# Attributes the edition cannot do without, checked before the schema because
# libxml2 reports some missing attributes without a line number.
REQUIRED_IN_TEXT = {
    "div": ("xml:id",),
    "p": ("xml:id",),
    "head": ("xml:id",),
    "note": ("xml:id", "resp"),
    "app": ("xml:id",),
    "lem": ("wit",),
    "rdg": ("wit", "source"),
}

# The same names in any namespace: lxml's walk in C yields only these.
_REQUIRED_TAGS = tuple(f"{{*}}{name}" for name in REQUIRED_IN_TEXT)


def _required_problems(doc: Document) -> list[Problem]:
    """Required attributes inside ``<text>``, each missing one located."""
    problems = []
    text = doc.root.find("tei:text", NS)
    for el in text.iter(*_REQUIRED_TAGS) if text is not None else ():
        for attr in REQUIRED_IN_TEXT[local(el)]:
            key = XML_ID if attr == "xml:id" else attr
            if el.get(key) is None:
                problems.append(
                    doc.problem(
                        el,
                        f"<{local(el)}> has no @{attr}",
                        f'add {attr}="..." (every {local(el)} in the text needs one)',
                    )
                )
    return problems


def validate_schema(doc: Document, schema: etree.RelaxNG) -> None:
    """Validate against the project's RELAX NG schema; report every error."""
    missing = _required_problems(doc)
    if missing:
        raise EditionError(missing)
    if schema.validate(doc.tree):
        return
    problems = []
    for entry in schema.error_log:
        # libxml2 gives RELAX NG errors no column; the element it names has one.
        found = doc.tree.xpath(entry.path) if entry.path else []
        el = found[0] if found and isinstance(found[0], etree._Element) else None
        problems.append(
            Problem(
                str(doc.path),
                entry.line or (el.sourceline if el is not None else 0) or 0,
                entry.column or (doc.columns.get(el, 1) if el is not None else 1),
                f"not valid against the project schema: {entry.message}",
                "follow tei/edition.rng (only the elements and attributes the edition uses)",
            )
        )
    raise EditionError(problems)


def _pointer_problems(doc: Document, ids: dict[str, etree._Element]) -> list[Problem]:
    """Every ``#id`` pointer resolves; every other pointer is an absolute URL."""
    problems = []
    for el in doc.root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in POINTER_ATTRIBUTES:
            value = el.get(attr)
            if value is None:
                continue
            for token in value.split():
                if token.startswith("#"):
                    if token[1:] not in ids:
                        problems.append(
                            doc.problem(
                                el,
                                f'<{local(el)} {attr}="{value}"> points to {token}, '
                                "which no element has as its xml:id",
                                f'add an element with xml:id="{token[1:]}" or correct the pointer',
                            )
                        )
                elif not URL_PATTERN.match(token):
                    problems.append(
                        doc.problem(
                            el,
                            f'<{local(el)} {attr}="{value}"> has {token!r}, '
                            "neither a #pointer nor an http(s) URL",
                            "write a local pointer as #id or give a full URL",
                        )
                    )
    return problems


def _id_problems(doc: Document) -> list[Problem]:
    """Ids are well formed so that Sphinx passes them into HTML unchanged."""
    return [
        doc.problem(
            el,
            f"xml:id {key!r} on <{local(el)}> is not a safe anchor",
            "use lower-case ASCII letters, digits and single hyphens, starting with a letter",
        )
        for key, el in doc.by_id().items()  # in document order
        if isinstance(el.tag, str) and not ID_PATTERN.match(key or "a")
    ]


def _name_problems(doc: Document, ids: dict[str, etree._Element]) -> list[Problem]:
    """A name's @ref points to an entry of the matching kind."""
    problems = []
    for name, kind in ((k.name, k.entry) for k in ENTRY_KINDS):
        for el in _NAMES_WITH_REF[name](doc.tree):
            for token in el.get("ref", "").split():
                target = ids.get(token[1:]) if token.startswith("#") else None
                if target is not None and local(target) != kind:
                    problems.append(
                        doc.problem(
                            el,
                            f'<{name} ref="{token}"> points to a <{local(target)}>, '
                            f"not to a <{kind}>",
                            f"point {name} to an entry in the standOff list of <{kind}>s",
                        )
                    )
    return problems


def witness_languages(doc: Document) -> dict[str, str]:
    """Each witness's language: the ``textLang`` of the manuscript item it points to.

    The one place a witness's role is worked out: the checks here and the
    model (:attr:`edition.model.Witness.language`) both take it from this.
    """
    ids = doc.by_id()
    found: dict[str, str] = {}
    for wit in doc.root.iterfind(".//tei:listWit/tei:witness", NS):
        for ptr in wit.iterfind("tei:ptr", NS):
            item = ids.get(ptr.get("target", "").lstrip("#"))
            lang = item.find("tei:textLang", NS) if item is not None else None
            if lang is not None:
                found.setdefault(wit.get(XML_ID, ""), lang.get("mainLang", ""))
    return found


def russian_witnesses(doc: Document) -> set[str]:
    """Ids of witnesses whose manuscript item is in Russian."""
    return {w for w, lang in witness_languages(doc).items() if lang.startswith("ru")}


def _reading_problems(doc: Document) -> list[Problem]:
    """Russian readings are the editor's English report: sourced, never Cyrillic."""
    problems = []
    russian = russian_witnesses(doc)
    for rdg in doc.root.iterfind(".//tei:rdg", NS):
        wits = {w.lstrip("#") for w in rdg.get("wit", "").split()}
        if not wits & russian:
            continue
        if not rdg.get("source"):
            problems.append(
                doc.problem(
                    rdg,
                    "a reading of the Russian witness has no @source",
                    "point @source to the note that reports the reading",
                )
            )
        text = "".join(rdg.itertext())
        if CYRILLIC.search(text):
            problems.append(
                doc.problem(
                    rdg,
                    "a reading of the Russian witness contains Cyrillic text, "
                    "but no Russian text of the memo is available",
                    "give the reading exactly as the editor reports it, in English",
                )
            )
        for el in rdg.iter():
            lang = el.get(XML_LANG) if isinstance(el.tag, str) else None
            if lang and lang.startswith("ru") and local(el) != "term":
                problems.append(
                    doc.problem(
                        el,
                        f'a reading of the Russian witness is tagged xml:lang="{lang}", '
                        "but it is the editor's English report",
                        "remove xml:lang from the reading",
                    )
                )
    return problems


# Characters XML allows but HTML does not (controls, noncharacters): never meant as text.
NOT_HTML = re.compile(
    "[\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


# Every character NOT_HTML finds, and more (all of the astral planes): a search in C over
# the whole text with it is 15x faster than NOT_HTML, whose class lists 32 astral points.
_MAYBE_NOT_HTML = re.compile("[\x7f-\x9f\ufdd0-\ufdef\U00010000-\U0010ffff]")


def _character_problems(doc: Document) -> list[Problem]:
    """No text holds a character that a web page cannot carry."""
    if not _MAYBE_NOT_HTML.search("".join(doc.root.itertext())):
        return []  # every text and tail below the root is in that string
    hits = (
        (el, where, hit.group())
        for el in doc.root.iter()
        if isinstance(el.tag, str)
        for text, where in ((el.text, f"in <{local(el)}>"), (el.tail, f"after <{local(el)}>"))
        if (hit := NOT_HTML.search(text or ""))
    )
    what = "the text {} holds U+{:04X}, a control or noncharacter that HTML cannot carry"
    fix = "delete it or write the character that was meant"
    return [doc.problem(el, what.format(where, ord(char)), fix) for el, where, char in hits]


def _entry_problems(doc: Document) -> list[Problem]:
    """Every index entry has a name: the index and its heading show it."""
    problems = []
    for kind, label in ((k.entry, k.name) for k in ENTRY_KINDS):
        for entry in doc.root.iterfind(f"tei:standOff//tei:{kind}", NS):
            name = entry.find(f"tei:{label}", NS)
            if name is not None and not "".join(name.itertext()).strip(" \t\r\n"):
                problems.append(
                    doc.problem(
                        name,
                        f"the <{label}> of index entry {entry.get(XML_ID)!r} is empty",
                        f"write the {kind}'s name in it",
                    )
                )
    return problems


def _version_problems(doc: Document) -> list[Problem]:
    """Every ``edition/@n`` of this digital edition agrees with ``editionStmt``'s, the one version.

    The bibliographic description repeats the version (TEI has no pointer for
    it); a copy that disagrees would cite the wrong version, so it is refused.
    """
    header = doc.root.find("tei:teiHeader/tei:fileDesc", NS)
    main = header.find("tei:editionStmt/tei:edition", NS) if header is not None else None
    if main is None or header is None:
        return []
    version = main.get("n", "")
    return [
        doc.problem(
            copy,
            f'<edition n="{copy.get("n", "")}"> disagrees with editionStmt\'s version {version}',
            f'write n="{version}" here too (the version is set in editionStmt)',
        )
        for copy in header.iterfind(
            "tei:sourceDesc/tei:listBibl/tei:biblStruct[@type='digital-edition']//tei:edition", NS
        )
        if copy.get("n", "") != version
    ]


def check_rules(doc: Document) -> None:
    """Check what RELAX NG cannot: pointers, id form, entry kinds, readings."""
    ids = doc.by_id()
    problems = (
        _id_problems(doc)
        + _pointer_problems(doc, ids)
        + _name_problems(doc, ids)
        + _reading_problems(doc)
        + _character_problems(doc)
        + _entry_problems(doc)
        + _version_problems(doc)
    )
    if problems:
        raise EditionError(sorted(problems, key=lambda p: (p.line, p.column)))


def load_schema(path: Path = DEFAULT_SCHEMA) -> etree.RelaxNG:
    """The project's RELAX NG schema, compiled once per process (and again if the file changes)."""
    path = Path(path).resolve()
    return _compiled_schema(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _compiled_schema(path: Path, mtime_ns: int) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(path)))


def load(path: Path, schema_path: Path = DEFAULT_SCHEMA) -> Document:
    """Parse, validate and rule-check a TEI file: the pipeline's only entry to XML."""
    doc = parse(path)
    validate_schema(doc, load_schema(schema_path))
    check_rules(doc)
    return doc

"""Read the TEI header's bibliographic description: the only source of citation facts.

The description is the ``listBibl`` with ``xml:id="citation"`` in
``sourceDesc``: a ``bibl`` for the archival document (its attributed author,
the title the print editor supplied, the archival file, and its English
translation and Russian original as related items), a ``biblStruct`` for
the 2005 print edition and one for this digital edition. Every fact is read
from an element or attribute made for it; nothing is parsed out of prose,
so an editor corrects a citation by correcting the header.

The reader works on the tree :func:`edition.tei.load` has already parsed and
validated: it never opens the file itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from edition.errors import EditionError
from edition.tei import NS, XML_ID, XML_NS, Document

DESCRIPTION_ID = "citation"


@dataclass(frozen=True)
class Person:
    """A personal name with its parts, as the header encodes it."""

    given: str
    family: str

    @property
    def full(self) -> str:
        """Given name first: "Tim Davenport"."""
        return f"{self.given} {self.family}".strip()

    @property
    def inverted(self) -> str:
        """Family name first, as bibliographies sort: "Davenport, Tim"."""
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(frozen=True)
class Text:
    """One text of the archival document (the English translation or the Russian original)."""

    id: str
    language: str
    label: str
    leaves: str
    first: str
    last: str
    date: str
    date_as_written: str


@dataclass(frozen=True)
class ArchivalDocument:
    """The memo as an archival document: who, what title, where, which leaves."""

    author: str
    author_attributed: bool
    title: str
    title_supplied: bool
    country: str
    settlement: str
    repository: str
    collection: str
    shelfmark: str
    translation: Text
    original: Text

    @property
    def location(self) -> str:
        """Where in the file, each text with its leaves, without nested brackets.

        "f. 515, op. 1, d. 164: English translation, ll. 11-16; Russian
        original, ll. 28-32" (styles put the whole in parentheses).
        """
        texts = "; ".join(f"{t.label}, {t.leaves}" for t in (self.translation, self.original))
        return f"{self.shelfmark}: {texts}"

    @property
    def date(self) -> str:
        """The memo's date: the one a text of it bears (the Russian original's hand-dating)."""
        return self.translation.date or self.original.date


@dataclass(frozen=True)
class Published:
    """A published edition of the memo (print or digital)."""

    id: str
    title: str
    subtitle: str
    editor: Person | None
    responsible: str
    edition: str
    version: str
    address: str
    place: str
    publisher: str
    date: str

    @property
    def year(self) -> str:
        """The year of publication."""
        return self.date[:4]


@dataclass(frozen=True)
class Description:
    """Everything a citation of the memo in this edition states."""

    document: ArchivalDocument
    print_edition: Published
    digital_edition: Published
    language: str


def _text(el: etree._Element | None) -> str:
    """An element's words with white space collapsed ("" for a missing element)."""
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


class _Reader:
    """Finds required parts and reports a missing one at its parent's line."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def need(self, parent: etree._Element, path: str) -> etree._Element:
        found = parent.find(path, NS)
        if found is None:
            what = path.replace("tei:", "")
            raise EditionError(
                [
                    self.doc.problem(
                        parent,
                        f"the bibliographic description lacks <{what}>",
                        f"add it inside <{etree.QName(parent).localname}>",
                    )
                ]
            )
        return found

    def text(self, parent: etree._Element, path: str) -> str:
        return _text(self.need(parent, path))

    def person(self, el: etree._Element) -> Person:
        name = self.need(el, "tei:persName")
        return Person(self.text(name, "tei:forename"), self.text(name, "tei:surname"))

    def part(self, bibl: etree._Element, kind: str) -> Text:
        item = self.need(bibl, f"tei:relatedItem[@type='{kind}']/tei:bibl")
        lang = self.need(item, "tei:textLang")
        leaves = self.need(item, "tei:citedRange")
        date = item.find("tei:date", NS)
        return Text(
            id=item.get(XML_ID, ""),
            language=lang.get("mainLang", ""),
            label=_text(lang),
            leaves=_text(leaves),
            first=leaves.get("from", ""),
            last=leaves.get("to", ""),
            date=date.get("when", "") if date is not None else "",
            date_as_written=_text(date),
        )

    def published(self, struct: etree._Element) -> Published:
        monogr = self.need(struct, "tei:monogr")
        imprint = self.need(monogr, "tei:imprint")
        editor = monogr.find("tei:editor", NS)
        edition = monogr.find("tei:edition", NS)
        return Published(
            id=struct.get(XML_ID, ""),
            title=_text(monogr.find("tei:title[@type='main']", NS)),
            subtitle=_text(monogr.find("tei:title[@type='sub']", NS)),
            editor=self.person(editor) if editor is not None else None,
            responsible=_text(monogr.find("tei:respStmt/tei:orgName", NS)),
            edition=_text(edition),
            version=edition.get("n", "") if edition is not None else "",
            address=_text(monogr.find("tei:idno[@type='URL']", NS)),
            place=_text(imprint.find("tei:pubPlace", NS)),
            publisher=self.text(imprint, "tei:publisher"),
            date=self.need(imprint, "tei:date").get("when", ""),
        )


def describe(doc: Document) -> Description:
    """The bibliographic description of ``doc``'s header, or a located error."""
    r = _Reader(doc)
    listbibl = r.need(
        r.need(doc.root, "tei:teiHeader/tei:fileDesc"),
        f"tei:sourceDesc/tei:listBibl[@{{{XML_NS}}}id='{DESCRIPTION_ID}']",
    )
    bibl = r.need(listbibl, "tei:bibl")
    author = r.need(bibl, "tei:author")
    title = r.need(bibl, "tei:title")
    ms = r.need(bibl, "tei:msIdentifier")
    document = ArchivalDocument(
        author=_text(author),
        author_attributed=author.get("role") == "attributed",
        title=_text(title),
        title_supplied=title.get("type") == "supplied",
        country=_text(ms.find("tei:country", NS)),
        settlement=_text(ms.find("tei:settlement", NS)),
        repository=r.text(ms, "tei:repository"),
        collection=_text(ms.find("tei:collection", NS)),
        shelfmark=r.text(ms, "tei:idno"),
        translation=r.part(bibl, "translation"),
        original=r.part(bibl, "original"),
    )
    structs = {s.get("type"): s for s in listbibl.iterfind("tei:biblStruct", NS)}
    for kind in ("print-edition", "digital-edition"):
        if kind not in structs:
            r.need(listbibl, f"tei:biblStruct[@type='{kind}']")
    return Description(
        document=document,
        print_edition=r.published(structs["print-edition"]),
        digital_edition=r.published(structs["digital-edition"]),
        language=document.translation.language,
    )

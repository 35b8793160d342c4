"""The element table: how each TEI element of the text is read and how it is shown.

Data before code, in the manner of CETEIcean's ``defaultBehaviors``: every
element met in ``<text>`` and in the prose of the header and the lists has
an ordered list of rules here. A rule applies where it is met (:class:`Where`)
and, optionally, when an attribute has a value (``rend="italic"``); it names
the model node the reader makes (:class:`Kind`) and how the page presents it
(:class:`Show`: the HTML element the Sphinx extension makes, the class the
stylesheet styles, the words put around it). When no rule matches,
:func:`rule_for` returns :data:`UNHANDLED`, which the reader turns into an
error naming file and line: nothing is ever dropped silently.

Header elements that are read as fields (titles, dates, the archival
identifier) are listed in :data:`HEADER_FIELDS` with what they feed, so
that the table and the schema can be checked element for element.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Where(enum.Enum):
    """Where an element stands, which decides how it is read."""

    INLINE = "inside running text"
    BLOCK = "between blocks"
    VARIANT = "inside <app>"
    GAP = "inside <gap>"
    WITNESS = "inside <witness>"


class Kind(enum.Enum):
    """The model node the reader makes of an element (see :mod:`edition.model`)."""

    STYLED = "Styled"
    SUPPLIED = "Supplied"
    NAME = "Name"
    DATE = "Date"
    LINK = "Link"
    NOTE = "NoteRef"
    MILESTONE = "Milestone"
    VARIANT = "Variant"
    DIVISION = "Division"
    HEADING = "Heading"
    PARAGRAPH = "Paragraph"
    DIVISION_VARIANT = "DivisionVariant"
    NOTE_BLOCK = "NoteBlock"
    GAP_BLOCK = "GapBlock"
    MILESTONE_BLOCK = "Milestone (block)"
    LEMMA = "Reading (lemma)"
    READING = "Reading"
    DESCRIPTION = "Gap.desc"
    WITNESS_ITEM = "Witness.items"
    UNHANDLED = "error"


@dataclass(frozen=True)
class Show:
    """How the page presents a node: HTML element, class, and the words around it."""

    element: str
    css: str = ""
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Rule:
    """One rule of an element: where it applies, an optional attribute test, what it makes."""

    where: Where
    kind: Kind
    show: Show
    why: str
    arg: str = ""
    attribute: tuple[str, str] | None = None
    # A style the reader puts inside the node (an italic name stays a name).
    wrap: Show | None = None

    def matches(self, where: Where, attributes: dict[str, str]) -> bool:
        """True when this rule applies to an element met ``where`` with ``attributes``."""
        if self.where is not where:
            return False
        if self.attribute is None:
            return True
        name, value = self.attribute
        return value in attributes.get(name, "").split()


UNHANDLED = Rule(
    Where.INLINE, Kind.UNHANDLED, Show("none"), "explicit fallback: the reader stops with an error"
)

TABLE: dict[str, tuple[Rule, ...]] = {
    # Phrases
    "emph": (Rule(Where.INLINE, Kind.STYLED, Show("em", "emph"), "italics used for emphasis"),),
    "title": (Rule(Where.INLINE, Kind.STYLED, Show("cite", "title"), "a title in a note"),),
    "del": (Rule(Where.INLINE, Kind.STYLED, Show("del", "del"), "text deleted in a witness"),),
    "gi": (Rule(Where.INLINE, Kind.STYLED, Show("code", "tei-gi", "<", ">"), "element name"),),
    "att": (Rule(Where.INLINE, Kind.STYLED, Show("code", "tei-att", "@"), "attribute name"),),
    "supplied": (
        Rule(Where.INLINE, Kind.SUPPLIED, Show("span", "supplied", "[", "]"), "editor's insertion"),
    ),
    "date": (Rule(Where.INLINE, Kind.DATE, Show("span", "date"), "a date with its value"),),
    "ref": (Rule(Where.INLINE, Kind.LINK, Show("a"), "a pointer to an id or a URL"),),
    # Names link to their index entries; an italic name keeps its italics.
    "orgName": (Rule(Where.INLINE, Kind.NAME, Show("a", "name-org"), "organisation", "org"),),
    "persName": (Rule(Where.INLINE, Kind.NAME, Show("a", "name-person"), "person", "person"),),
    "placeName": (Rule(Where.INLINE, Kind.NAME, Show("a", "name-place"), "place", "place"),),
    "term": (
        Rule(
            Where.INLINE,
            Kind.NAME,
            Show("a", "name-term"),
            "a Russian term, italic in print",
            "term",
            ("rend", "italic"),
            wrap=Show("em", "italic"),
        ),
        Rule(Where.INLINE, Kind.NAME, Show("a", "name-term"), "archival or party term", "term"),
    ),
    # Notes: a marker in the text, or a remark standing between divisions.
    "note": (
        Rule(Where.INLINE, Kind.NOTE, Show("aside", "sidenote"), "a note at its marker"),
        Rule(Where.BLOCK, Kind.NOTE_BLOCK, Show("div", "note-block"), "a note between divisions"),
    ),
    # Breaks of the print edition, shown in its view only.
    "pb": (
        Rule(Where.INLINE, Kind.MILESTONE, Show("span", "pb"), "page break", "pb"),
        Rule(Where.BLOCK, Kind.MILESTONE_BLOCK, Show("div", "milestone-block"), "page break", "pb"),
    ),
    "cb": (Rule(Where.INLINE, Kind.MILESTONE, Show("span", "cb"), "column break", "cb"),),
    # Content reported but not given.
    "gap": (
        Rule(Where.BLOCK, Kind.GAP_BLOCK, Show("div", "gap-block"), "a division's unknown text"),
    ),
    "desc": (Rule(Where.GAP, Kind.DESCRIPTION, Show("span", "gap"), "what the report says"),),
    # The apparatus, in parallel segmentation.
    "app": (
        Rule(Where.INLINE, Kind.VARIANT, Show("span", "app"), "a variant inside a sentence"),
        Rule(Where.BLOCK, Kind.DIVISION_VARIANT, Show("div", "app-division"), "whole divisions"),
    ),
    "lem": (Rule(Where.VARIANT, Kind.LEMMA, Show("span", "lem"), "the base text's reading"),),
    "rdg": (Rule(Where.VARIANT, Kind.READING, Show("span", "rdg"), "a witness's reading"),),
    # Structure.
    "div": (Rule(Where.BLOCK, Kind.DIVISION, Show("section", "tei-div"), "a division"),),
    "head": (Rule(Where.BLOCK, Kind.HEADING, Show("h2", "head-text"), "a division's heading"),),
    "p": (Rule(Where.BLOCK, Kind.PARAGRAPH, Show("p", "tei-p"), "a citable paragraph"),),
    "ptr": (
        Rule(Where.WITNESS, Kind.WITNESS_ITEM, Show("none"), "the item a witness is, read as data"),
    ),
}

# Header and list elements read as fields of :class:`edition.model.Header`,
# :class:`~edition.model.Entry` or :class:`~edition.model.Source`.
HEADER_FIELDS: dict[str, str] = {
    "TEI": "the document",
    "teiHeader": "the header",
    "fileDesc": "the header",
    "titleStmt": "title, author, editor, responsibilities",
    "author": "Header.author",
    "editor": "Header.editor",
    "respStmt": "Header.responsibilities",
    "resp": "Header.responsibilities",
    "editionStmt": "Header.edition",
    "edition": "Header.edition, Header.version",
    "publicationStmt": "publisher, date, licence",
    "publisher": "Header.publisher",
    "availability": "Header.availability",
    "licence": "Header.licence",
    "idno": "Manuscript.idno",
    "sourceDesc": "manuscript and witnesses",
    "msDesc": "Header.manuscript",
    "msIdentifier": "Manuscript",
    "country": "Manuscript.country",
    "settlement": "Manuscript.settlement",
    "repository": "Manuscript.repository",
    "msContents": "Manuscript.items",
    "msItem": "ManuscriptItem",
    "locus": "ManuscriptItem.locus",
    "textLang": "ManuscriptItem.language",
    "listWit": "Header.witnesses",
    "witness": "Witness",
    "encodingDesc": "project, principles, citation structure",
    "projectDesc": "Header.project",
    "editorialDecl": "Header.principles",
    "normalization": "Principle",
    "segmentation": "Principle",
    "interpretation": "Principle",
    "correction": "Principle",
    "stdVals": "Principle",
    "refsDecl": "Header.cite_structure",
    "citeStructure": "CiteLevel",
    "citeData": "CiteLevel (DTS titles)",
    "variantEncoding": "Header.variant_method",
    "profileDesc": "creation and languages",
    "creation": "Header.creation",
    "langUsage": "Header.languages",
    "language": "Header.languages",
    "revisionDesc": "Header.changes",
    "change": "Change",
    "standOff": "index entries and sources",
    "listOrg": "entries",
    "listPerson": "entries",
    "listPlace": "entries",
    "list": "entries",
    "org": "Entry",
    "person": "Entry",
    "place": "Entry",
    "item": "Entry",
    "gloss": "Entry.gloss",
    "listAnnotation": "Edition.annotations (the edition's labels, view names, banners, signs)",
    "listBibl": "sources; in sourceDesc, the citations' description",
    "bibl": "Source; in sourceDesc, citations.description.ArchivalDocument and its texts",
    # The bibliographic description in sourceDesc, read by edition.citations.description.
    "biblStruct": "citations.description.Published",
    "monogr": "citations.description.Published",
    "imprint": "Published.place, publisher, date",
    "pubPlace": "Published.place",
    "forename": "Person.given",
    "surname": "Person.family",
    "relatedItem": "ArchivalDocument.translation, .original",
    "citedRange": "Text.leaves",
    "collection": "ArchivalDocument.collection",
    "text": "front, body and back",
    "front": "Edition.front",
    "body": "Edition.body",
    "back": "Edition.back",
}


@dataclass(frozen=True)
class EntryKind:
    """A kind of index entry: its standOff element, the name element that points to it."""

    key: str
    entry: str
    name: str
    title: str


# One table for the index: read by the checks, the reader and the indices page.
ENTRY_KINDS: tuple[EntryKind, ...] = (
    EntryKind("org", "org", "orgName", "Organizations"),
    EntryKind("person", "person", "persName", "Persons"),
    EntryKind("place", "place", "placeName", "Places"),
    EntryKind("term", "item", "term", "Terms"),
)


def rule_for(name: str, where: Where, attributes: dict[str, str]) -> Rule:
    """The first rule of element ``name`` that applies; :data:`UNHANDLED` when none does."""
    for rule in TABLE.get(name, ()):
        if rule.matches(where, attributes):
            return rule
    return UNHANDLED


def styles() -> dict[str, Show]:
    """Every class a styled phrase can carry, with its presentation (for the extension)."""
    out: dict[str, Show] = {}
    for rules in TABLE.values():
        for r in rules:
            if r.kind is Kind.STYLED:
                out[r.show.css] = r.show
            if r.wrap is not None:
                out[r.wrap.css] = r.wrap
    return out

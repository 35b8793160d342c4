"""The plain document model between TEI and pages: frozen dataclasses, no lxml.

Renderers read only this model, so a page never depends on how the TEI was
nested, and tests can build models by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

# ---------------------------------------------------------------- inline


@dataclass(frozen=True)
class Text:
    """A run of characters, white space already normalised."""

    text: str


@dataclass(frozen=True)
class Styled:
    """Text in a style: ``emph``, ``italic``, ``title``, ``code`` or ``del``."""

    style: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Supplied:
    """Text the print editor supplied, shown in square brackets."""

    resp: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Name:
    """A tagged name: ``org``, ``person``, ``place`` or ``term``, pointing to an entry."""

    kind: str
    ref: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Date:
    """A date with its normalised value."""

    when: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A pointer to an id in the file (``#id``) or to a URL."""

    target: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class NoteRef:
    """Where a note is anchored; the note itself is in :attr:`Edition.notes`."""

    note_id: str


@dataclass(frozen=True)
class Milestone:
    """A page (``pb``) or column (``cb``) break of an edition."""

    kind: str
    n: str
    edition: str
    # who inferred the break (``@resp``): set where the edition is unsure of its kind
    resp: str = ""


@dataclass(frozen=True)
class Gap:
    """Content a witness has but whose text is not reported."""

    id: str
    desc: tuple[Inline, ...]


@dataclass(frozen=True)
class Reading:
    """One reading of a variant: the lemma (base text) or a witness's reading."""

    id: str
    witnesses: tuple[str, ...]
    source: str
    type: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Variant:
    """An inline place where witnesses differ (parallel segmentation)."""

    id: str
    lemma: Reading
    readings: tuple[Reading, ...]


Inline = Text | Styled | Supplied | Name | Date | Link | NoteRef | Milestone | Gap | Variant

# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph with its own citable id and number."""

    id: str
    n: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    """A division's heading."""

    id: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Division:
    """A ``div``: front matter, preamble, section or colophon."""

    id: str
    type: str
    n: str
    resp: str
    head: Heading | None
    blocks: tuple[Block, ...]
    # the edition's own label for a division without a heading (a ``label`` note)
    label: str = ""


@dataclass(frozen=True)
class DivisionReading:
    """A witness's reading that is a whole division (or nothing)."""

    id: str
    witnesses: tuple[str, ...]
    source: str
    type: str
    divisions: tuple[Division, ...]


@dataclass(frozen=True)
class DivisionVariant:
    """A place between divisions where witnesses differ, such as a deleted section."""

    id: str
    type: str
    lemma: DivisionReading
    readings: tuple[DivisionReading, ...]


@dataclass(frozen=True)
class NoteBlock:
    """A note that stands between divisions rather than inside a sentence."""

    note_id: str


@dataclass(frozen=True)
class GapBlock:
    """A gap standing between a division's heading and its (unknown) content."""

    gap: Gap


Block = Paragraph | Division | DivisionVariant | NoteBlock | GapBlock | Milestone

# ---------------------------------------------------------------- apparatus and lists


@dataclass(frozen=True)
class Note:
    """A note, the print editor's or this edition's, with its printed symbol."""

    id: str
    n: str
    resp: str
    type: str
    source: str
    target: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Entry:
    """An index entry: an organisation, person, place or term."""

    id: str
    kind: str
    label: tuple[Inline, ...]
    gloss: tuple[Inline, ...]
    note: tuple[Inline, ...]
    resp: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """A bibliographic source cited by notes and entries."""

    id: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Witness:
    """A witness of the text, with its siglum and its language (empty for a print edition)."""

    id: str
    siglum: str
    items: tuple[str, ...]
    children: tuple[Inline, ...]
    language: str = ""


@dataclass(frozen=True)
class ManuscriptItem:
    """One item of the archival file: a document and its leaves."""

    id: str
    locus: str
    title: tuple[Inline, ...]
    language: str
    note: tuple[Inline, ...]
    # whose description it is (the note's ``@resp``)
    note_resp: str = ""


@dataclass(frozen=True)
class Manuscript:
    """The archival file that holds the English translation and the Russian original."""

    id: str
    country: str
    settlement: str
    repository: str
    idno: str
    items: tuple[ManuscriptItem, ...]


@dataclass(frozen=True)
class Principle:
    """One part of the editorial declaration, titled by its TEI element."""

    kind: str
    paragraphs: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Change:
    """One entry of the revision history."""

    when: str
    who: str
    children: tuple[Inline, ...]
    # The version that published the change and the anchors whose words it changed.
    n: str = ""
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class CiteLevel:
    """One level of the declared citation structure (section, paragraph)."""

    unit: str
    match: str
    use: str


@dataclass(frozen=True)
class Header:
    """What the pages need from the TEI header."""

    title: str
    subtitle: str
    author: str
    editor: str
    responsibilities: tuple[tuple[str, str, str], ...]
    edition: str
    version: str
    publisher: str
    date: str
    licence_url: str
    licence: tuple[Inline, ...]
    availability: tuple[tuple[Inline, ...], ...]
    manuscript: Manuscript
    witnesses: tuple[Witness, ...]
    project: tuple[tuple[Inline, ...], ...]
    principles: tuple[Principle, ...]
    variant_method: str
    cite_structure: tuple[CiteLevel, ...]
    creation_date: str
    creation: tuple[Inline, ...]
    languages: tuple[tuple[str, str], ...]
    changes: tuple[Change, ...]
    # the projectDesc paragraphs about the document, those that name their @source
    summary: tuple[tuple[Inline, ...], ...] = ()


@dataclass(frozen=True)
class Edition:
    """The whole edition: header, text and everything the text points to."""

    header: Header
    front: tuple[Block, ...]
    body: tuple[Block, ...]
    back: tuple[Block, ...]
    notes: tuple[Note, ...]
    entries: tuple[Entry, ...]
    sources: tuple[Source, ...]
    responsible: dict[str, str] = field(default_factory=dict)
    # the edition's framing notes (standOff/listAnnotation): labels, view names, banners
    annotations: tuple[Note, ...] = ()

    @cached_property
    def _notes_by_id(self) -> dict[str, Note]:
        return {n.id: n for n in self.notes}

    @cached_property
    def _entries_by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def _changes_by_target(self) -> dict[str, tuple[Change, ...]]:
        found: dict[str, list[Change]] = {}
        for change in self.header.changes:
            for target in dict.fromkeys(change.targets):
                found.setdefault(target, []).append(change)
        return {target: tuple(changes) for target, changes in found.items()}

    def changes_of(self, anchor: str) -> tuple[Change, ...]:
        """The change records that name ``anchor``, in the TEI's order.

        Looked up once per paragraph: a dict, so that a long revision history
        is not walked for every paragraph of a long text.
        """
        return self._changes_by_target.get(anchor, ())

    def note(self, note_id: str) -> Note:
        """Look a note up by id (a dict, so long editions stay linear)."""
        return self._notes_by_id[note_id]

    def entry(self, entry_id: str) -> Entry:
        """Look an index entry up by id."""
        return self._entries_by_id[entry_id]

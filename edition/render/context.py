"""What every page needs to know: where each id is published, how units are labelled.

:func:`locate` walks the model once; :class:`Context` carries what it found and
the page being rendered, so every render function is pure: it takes a context
and returns MyST text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from edition import model as m
from edition import parts as reading_parts
from edition.parts import READING as READING

GENERATED_DIR = "edition"
APPARATUS = "apparatus"
NOTES = "notes"
INDICES = "indices"
WITNESSES = "witnesses"
PRINCIPLES = "principles"
REVISIONS = "revisions"
LANDING = "_landing"
ABOUT = "_about"


def plain(inlines: tuple[m.Inline, ...]) -> str:
    """The words of inlines as plain text (notes and popups left out)."""
    out = []
    for node in inlines:
        if isinstance(node, m.Text):
            out.append(node.text)
        elif isinstance(node, m.Variant):
            out.append(plain(node.lemma.children))
        elif isinstance(node, m.Gap):
            out.append(plain(node.desc))
        elif hasattr(node, "children"):
            out.append(plain(node.children))
    return "".join(out)


@dataclass
class Locations:
    """Where each id of the edition is published: page and a citable label."""

    page_of: dict[str, str] = field(default_factory=dict)
    label_of: dict[str, str] = field(default_factory=dict)
    # entry id -> [(location id, label)], in text order
    occurrences: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # variant/note id -> location id of the paragraph or heading that holds it
    container_of: dict[str, str] = field(default_factory=dict)
    # notes anchored inside a sentence (not standing between divisions)
    inline_notes: set[str] = field(default_factory=set)
    # variants (inline and of divisions) in text order
    variants: list[m.Variant | m.DivisionVariant] = field(default_factory=list)
    # the reading pages, by name, in order (one unless the text is long: edition.parts)
    parts: dict[str, reading_parts.Part] = field(default_factory=dict)


def division_label(div: m.Division) -> str:
    """How a division is cited: the TEI's label for it, "§ 3", or its type.

    A division without a heading (the opening paragraph) is labelled by a
    ``label`` note of this edition in the TEI, never by words written here.
    """
    if div.label:
        return div.label
    if div.type == "section" and not div.n and div.head:
        return plain(div.head.children)  # a witness's unnumbered section: by its heading
    if div.n:
        return f"§ {div.n}"
    return div.type.replace("-", " ").capitalize()


def division_sign(div: m.Division) -> str:
    """The division's part of a paragraph number: its ``@n`` in the TEI.

    The preamble's ``@n`` is "Pr", not "P", which is the siglum of the print
    witness, so that no sign means two things.
    """
    return div.n


def paragraph_number(div: m.Division | None, para: m.Paragraph) -> str:
    """A paragraph's number, the same on every page: ``3.2``, ``Pr.1``."""
    if div is None or not para.n:
        return ""
    sign = division_sign(div)
    return f"{sign}.{para.n}" if sign else para.n


def _walk_inlines(
    inlines: tuple[m.Inline, ...],
    where: str,
    label: str,
    loc: Locations,
    edition: m.Edition,
    page: str,
) -> None:
    for node in inlines:
        if isinstance(node, m.Name):
            loc.occurrences.setdefault(node.ref, []).append((where, label))
        if isinstance(node, m.NoteRef):
            loc.inline_notes.add(node.note_id)
            loc.container_of[node.note_id] = where
            loc.page_of[node.note_id] = page
            note = edition.note(node.note_id)
            loc.label_of[node.note_id] = f"note {note.n or 'ed.'} ({label})"
            _walk_inlines(
                note.children, node.note_id, loc.label_of[node.note_id], loc, edition, page
            )
        if isinstance(node, m.Variant):
            loc.variants.append(node)
            loc.container_of[node.id] = where
            loc.page_of[node.id] = page
            loc.label_of[node.id] = f"variant at {label}"
            for reading in (node.lemma, *node.readings):
                if reading.id:
                    loc.page_of[reading.id] = page
                _walk_inlines(reading.children, where, label, loc, edition, page)
        if isinstance(node, m.Gap) and node.id:
            loc.page_of[node.id] = page
            _walk_inlines(node.desc, where, label, loc, edition, page)
        elif hasattr(node, "children") and not isinstance(node, m.Variant):
            _walk_inlines(node.children, where, label, loc, edition, page)


def _walk_blocks(
    blocks: tuple[m.Block, ...],
    div: m.Division | None,
    loc: Locations,
    edition: m.Edition,
    page: str,
) -> None:
    for block in blocks:
        if isinstance(block, m.Division):
            loc.page_of[block.id] = page
            label = division_label(block)
            loc.label_of[block.id] = label
            if block.head:
                loc.page_of[block.head.id] = page
                loc.label_of[block.head.id] = f"{label}, heading"
                _walk_inlines(
                    block.head.children, block.head.id, f"{label}, heading", loc, edition, page
                )
            _walk_blocks(block.blocks, block, loc, edition, page)
        elif isinstance(block, m.Paragraph):
            loc.page_of[block.id] = page
            label = paragraph_number(div, block) or (division_label(div) if div else block.id)
            loc.label_of[block.id] = label
            _walk_inlines(block.children, block.id, label, loc, edition, page)
        elif isinstance(block, m.DivisionVariant):
            loc.variants.append(block)
            loc.page_of[block.id] = page
            # labelled by the heading the witness is reported to give it
            loc.label_of[block.id] = "; ".join(
                plain(d.head.children) for r in block.readings for d in r.divisions if d.head
            )
            for reading in (block.lemma, *block.readings):
                if reading.id:
                    loc.page_of[reading.id] = page
                _walk_blocks(reading.divisions, div, loc, edition, page)
        elif isinstance(block, m.NoteBlock):
            loc.page_of[block.note_id] = page
            loc.label_of[block.note_id] = "note ed."
            note = edition.note(block.note_id)
            loc.container_of[block.note_id] = note.target or block.note_id
            _walk_inlines(note.children, block.note_id, "note ed.", loc, edition, page)
        elif isinstance(block, m.GapBlock):
            loc.page_of[block.gap.id] = page
            _walk_inlines(
                block.gap.desc,
                block.gap.id,
                loc.label_of.get(div.id, "") if div else "",
                loc,
                edition,
                page,
            )


def locate(edition: m.Edition) -> Locations:
    """Walk the text once to learn where every id is and where names occur."""
    loc = Locations()
    loc.parts = {part.name: part for part in reading_parts.parts(edition)}
    for part in loc.parts.values():
        _walk_blocks(part.blocks, None, loc, edition, part.name)
    for entry in edition.entries:
        loc.page_of[entry.id] = INDICES
    for source in edition.sources:
        loc.page_of[source.id] = INDICES
    for wit in edition.header.witnesses:
        loc.page_of[wit.id] = WITNESSES
    return loc


def descendants(node: m.Inline) -> Iterator[m.Inline]:
    """All inline nodes below ``node``."""
    for child in getattr(node, "children", ()):
        yield child
        yield from descendants(child)


@dataclass(frozen=True)
class Context:
    """The edition, where its ids live, and the page being rendered."""

    edition: m.Edition
    loc: Locations
    page: str = READING

    @classmethod
    def of(cls, edition: m.Edition) -> Context:
        """A context for ``edition``, its ids located once."""
        return cls(edition, locate(edition))

    def at(self, page: str) -> Context:
        """The same edition, rendering ``page``."""
        return replace(self, page=page)

    @property
    def reading(self) -> bool:
        """Whether the page being rendered is a reading page (the text, or one part of it)."""
        return self.page in self.loc.parts

    @cached_property
    def notes_on(self) -> dict[str, list[m.Note]]:
        """Notes by the id they comment on (``@target``)."""
        out: dict[str, list[m.Note]] = {}
        for note in self.edition.notes:
            if note.target:
                out.setdefault(note.target, []).append(note)
        return out

    @cached_property
    def _frame(self) -> dict[tuple[str, str], m.Note]:
        return {(n.type, n.target): n for n in self.edition.annotations}

    def frame(self, kind: str, target: str) -> m.Note | None:
        """The edition's framing note of ``kind`` about ``target`` (a label, a banner...).

        The words around the text come from the TEI (standOff/listAnnotation),
        so that each says whose it is and what it rests on; None where the TEI
        has none, and then the page shows nothing in its place.
        """
        return self._frame.get((kind, target))

    def frames(self, kind: str) -> list[m.Note]:
        """All framing notes of ``kind``, in document order (the legend's signs)."""
        return [n for n in self.edition.annotations if n.type == kind]

    @cached_property
    def sigla(self) -> dict[str, str]:
        """Witness id to siglum."""
        return {w.id: w.siglum for w in self.edition.header.witnesses}

    @cached_property
    def russian(self) -> frozenset[str]:
        """Ids of the witnesses whose manuscript item is in Russian."""
        return frozenset(w.id for w in self.edition.header.witnesses if w.language.startswith("ru"))

    @cached_property
    def sources_by_id(self) -> dict[str, m.Source]:
        """Bibliographic sources by id."""
        return {s.id: s for s in self.edition.sources}

"""Which page of the reading text shows each part of the body.

The memo's nine divisions are one reading page, ``memo``, and stay so: its
anchors were published there. A much longer text on one page would make every
edit of one paragraph re-read and re-write the whole text (a 1.9 MB page at a
hundred times the memo's length), and a reader would load all of it to read a
section. So a body of more than :data:`PART_SIZE` top-level divisions is read
in parts of at most that many: the first part is still ``memo``, each later
part is named after its first division's ``xml:id`` (``memo-<id>``), so a
part's name comes from the TEI, never from its position.

Everything that links to a unit (the rendered pages, the citations, the DTS
answers) asks :func:`page_of` where its division is, so the parts are decided
here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from edition import model as m

READING = "memo"
# The most top-level divisions a reading page holds; the memo has nine.
PART_SIZE = 10


@dataclass(frozen=True)
class Part:
    """One reading page: its name and the body's items it shows, in order.

    The first part also shows the front matter, the last the back matter.
    """

    name: str
    items: tuple[m.Block, ...]
    front: tuple[m.Block, ...] = ()
    back: tuple[m.Block, ...] = ()

    @property
    def blocks(self) -> tuple[m.Block, ...]:
        """Everything the page shows, in the text's order."""
        return (*self.front, *self.items, *self.back)

    @property
    def divisions(self) -> tuple[m.Division, ...]:
        """The part's top-level divisions (what its page's contents list)."""
        return tuple(b for b in self.items if isinstance(b, m.Division))


def parts(edition: m.Edition, size: int = PART_SIZE) -> tuple[Part, ...]:
    """The reading pages of ``edition``: one, ``memo``, unless the body has more than ``size``.

    A part starts at its first division, or at the page and column breaks
    just before it, which belong to what follows them; whatever else stands
    between two divisions (a note, a variant of a whole division) stays with
    the division before it.
    """
    groups = list(_groups(edition.body, size))
    last = len(groups) - 1
    return tuple(
        Part(
            READING if i == 0 else f"{READING}-{_first_id(items)}",
            items,
            edition.front if i == 0 else (),
            edition.back if i == last else (),
        )
        for i, items in enumerate(groups)
    )


def _groups(body: tuple[m.Block, ...], size: int) -> Iterator[tuple[m.Block, ...]]:
    if sum(isinstance(b, m.Division) for b in body) <= size:
        yield body
        return
    current: list[m.Block] = []
    count = 0
    for block in body:
        if isinstance(block, m.Division):
            if count == size:
                breaks = len(current)
                while breaks and isinstance(current[breaks - 1], m.Milestone):
                    breaks -= 1
                yield tuple(current[:breaks])
                current, count = current[breaks:], 0
            count += 1
        current.append(block)
    yield tuple(current)


def _first_id(items: tuple[m.Block, ...]) -> str:
    return next(b.id for b in items if isinstance(b, m.Division))


def page_of(edition: m.Edition) -> dict[str, str]:
    """The id of each item of the text, and the name of the reading page that shows it.

    An item is a division, a variant of whole divisions or a note of the
    body, the front matter or the back matter; whatever is inside an item is
    on the item's page.
    """
    return {ident: part.name for part in parts(edition) for b in part.blocks if (ident := _id(b))}


def _id(block: m.Block) -> str:
    if isinstance(block, m.NoteBlock):
        return block.note_id
    if isinstance(block, m.GapBlock):
        return block.gap.id
    return getattr(block, "id", "")

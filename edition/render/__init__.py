"""Model to MyST Markdown: one module per page, pure functions taking a :class:`Context`.

``escape`` makes any TEI text literal in MyST; ``context`` locates every id
once; ``inline`` and ``blocks`` render the text; each page module renders one
page. Classes used on the page are styled by the extension's ``edition.css``:
``ed`` marks what the edition adds to the text (numbers, labels, marks), so
that a reader of the DOM can tell witness text from apparatus.
"""

from __future__ import annotations

from edition import model as m
from edition.render import (
    apparatus,
    indices,
    landing,
    notes,
    principles,
    reading,
    revisions,
    witnesses,
)
from edition.render.context import (
    ABOUT,
    APPARATUS,
    GENERATED_DIR,
    INDICES,
    LANDING,
    NOTES,
    PRINCIPLES,
    READING,
    REVISIONS,
    WITNESSES,
    Context,
    division_label,
    paragraph_number,
    plain,
)
from edition.render.escape import escape

__all__ = [
    "GENERATED_DIR",
    "READING",
    "Context",
    "division_label",
    "escape",
    "paragraph_number",
    "plain",
    "render_pages",
]


def render_pages(edition: m.Edition) -> dict[str, str]:
    """All generated pages, keyed by path relative to ``source/``."""
    ctx = Context.of(edition)
    pages = {
        **{name: reading.reading_page for name in ctx.loc.parts},
        LANDING: landing.landing,
        ABOUT: landing.about,
        APPARATUS: apparatus.apparatus_page,
        NOTES: notes.notes_page,
        INDICES: indices.indices_page,
        WITNESSES: witnesses.witnesses_page,
        PRINCIPLES: principles.principles_page,
        REVISIONS: revisions.revisions_page,
    }
    return {f"{GENERATED_DIR}/{name}.md": page(ctx.at(name)) for name, page in pages.items()}

"""The editorial principles page, from ``encodingDesc``."""

from __future__ import annotations

from edition.render.context import Context
from edition.render.escape import escape, span
from edition.render.inline import inlines, link

PRINCIPLE_TITLES = {
    "normalization": "Normalization",
    "segmentation": "Segmentation and page breaks",
    "interpretation": "Notes, italics and supplied text",
    "correction": "Correction",
    "stdVals": "Russian readings and gaps",
}


def principles_page(ctx: Context) -> str:
    """The editorial declaration, generated from ``encodingDesc``."""
    h = ctx.edition.header
    # The project description is the about page's text (landing.about).
    out = ["# Editorial principles\n"]
    for principle in h.principles:
        out.append(f"## {escape(PRINCIPLE_TITLES.get(principle.kind, principle.kind))}\n")
        out.extend(f"{inlines(ctx, p)}\n" for p in principle.paragraphs)
    out.append("## Languages\n")
    out.extend(
        f"- {span(escape(ident), 'ident')}: {span(escape(text), 'language')}"
        for ident, text in h.languages
    )
    out.append("\n## Licence\n")
    licence = inlines(ctx, h.licence)
    out.append(f"{link(ctx, licence, h.licence_url) if h.licence_url else licence}\n")
    out.extend(f"{inlines(ctx, p)}\n" for p in h.availability)
    out.append("## Date of the memo\n")
    out.append(f"{inlines(ctx, h.creation)}\n")
    return "\n".join(out)

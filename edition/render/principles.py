"""The editorial principles page, from ``encodingDesc``."""

from __future__ import annotations

from edition.render.context import Context
from edition.render.escape import escape
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
    out = ["# Editorial principles\n"]
    out.extend(f"{inlines(ctx, p)}\n" for p in h.project)
    for principle in h.principles:
        out.append(f"## {escape(PRINCIPLE_TITLES.get(principle.kind, principle.kind))}\n")
        out.extend(f"{inlines(ctx, p)}\n" for p in principle.paragraphs)
    out.append("## Variants and citation\n")
    out.append(f"Variants are encoded by {escape(h.variant_method)}, inside the text.\n")
    levels = " and ".join(escape(c.unit) for c in h.cite_structure)
    out.append(f"Citable units: {levels}; each is cited by its identifier in the TEI file.\n")
    out.append("## Languages\n")
    out.extend(f"- {escape(ident)}: {escape(text)}" for ident, text in h.languages)
    out.append("\n## Licence\n")
    licence = inlines(ctx, h.licence)
    out.append(f"{link(ctx, licence, h.licence_url) if h.licence_url else licence}\n")
    out.extend(f"{inlines(ctx, p)}\n" for p in h.availability)
    out.append("## Date of the memo\n")
    out.append(f"{inlines(ctx, h.creation)}\n")
    return "\n".join(out)

"""The witnesses page: the archival file, its items and the witnesses."""

from __future__ import annotations

from edition.render.context import Context
from edition.render.escape import attrs, escape
from edition.render.inline import inlines


def witnesses_page(ctx: Context) -> str:
    """The archival item, its two typescripts, and the witnesses with sigla."""
    h = ctx.edition.header
    ms = h.manuscript
    out = [
        "# Witnesses and sources\n",
        f"{attrs(id=ms.id)}\n## The archival file\n",
        f"{escape(ms.repository)}, {escape(ms.settlement)}, {escape(ms.country)}: "
        f"{escape(ms.idno)}.\n",
    ]
    for item in ms.items:
        title = f"{escape(item.locus)}: {inlines(ctx, item.title)}"
        out.append(f"{attrs('ms-item', id=item.id)}\n### {title}\n")
        out.append(f"{inlines(ctx, item.note)}\n")
    out.append("## Witnesses\n")
    for wit in h.witnesses:
        out.append(f"{attrs('witness', id=wit.id)}\n### {escape(wit.siglum)}\n")
        out.append(f"{inlines(ctx, wit.children)}\n")
    out.append("## Responsibility\n")
    for _, resp, name in h.responsibilities:
        out.append(f"- {escape(resp)}: {escape(name)}")
    out.append("")
    return "\n".join(out)

"""The witnesses page: the archival file, its items and the witnesses."""

from __future__ import annotations

from edition.render.context import Context
from edition.render.escape import attrs, escape, span
from edition.render.inline import inlines
from edition.render.reading import item_resp


def witnesses_page(ctx: Context) -> str:
    """The archival item, its two documents, and the witnesses with sigla.

    Every phrase is a TEI element's text in its own span, so that each can be
    traced to the element (and the source) it comes from.
    """
    h = ctx.edition.header
    ms = h.manuscript
    out = [
        "# Witnesses and sources\n",
        f"{attrs(id=ms.id)}\n## The archival file\n",
        span(escape(ms.repository), "repository")
        + ", "
        + span(escape(ms.settlement), "settlement")
        + ", "
        + span(escape(ms.country), "country")
        + ": "
        + span(escape(ms.idno), "idno")
        + ".\n",
    ]
    for item in ms.items:
        title = f"{span(escape(item.locus), 'locus')}: {span(inlines(ctx, item.title), 'ms-title')}"
        out.append(f"{attrs('ms-item', id=item.id)}\n### {title}\n")
        out.append(f"{item_resp(ctx, item)}{inlines(ctx, item.note)}\n")
    out.append("## Witnesses\n")
    for wit in h.witnesses:
        out.append(f"{attrs('witness', id=wit.id)}\n### {escape(wit.siglum)}\n")
        out.append(f"{inlines(ctx, wit.children)}\n")
    out.append("## Responsibility\n")
    for _, resp, name in h.responsibilities:
        out.append(f"- {span(escape(resp), 'resp')}: {span(escape(name), 'resp-name')}")
    out.append("")
    return "\n".join(out)

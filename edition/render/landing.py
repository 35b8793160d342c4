"""The parts of the landing and about pages drawn from the TEI."""

from __future__ import annotations

from edition import model as m
from edition.render.blocks import unit_label
from edition.render.context import Context
from edition.render.escape import attr_paragraph, attrs, escape, span
from edition.render.inline import inlines


def landing(ctx: Context) -> str:
    """The landing page's title and summary (included by ``index.md``).

    The title is labelled as the print editor's; what follows is the TEI's
    edition statement and the paragraphs of its project description that name
    their sources.
    """
    h = ctx.edition.header
    ms = h.manuscript
    title_head = next(
        (b.head for b in ctx.edition.front if isinstance(b, m.Division) and b.head), None
    )
    label = unit_label(ctx, title_head.id) if title_head else ""
    where = "; ".join(
        span(escape(i.locus), "locus") + " (" + span(inlines(ctx, i.title), "ms-title") + ")"
        for i in ms.items
    )
    out = [
        f"# {escape(h.title)}\n",
        label,
        attr_paragraph(attrs("landing-sub"), span(escape(h.edition), "edition-statement")),
        attr_paragraph(
            attrs("landing-source"),
            span(escape(ms.repository), "repository")
            + ", "
            + span(escape(ms.idno), "idno")
            + "; "
            + where
            + ".",
        ),
    ]
    out.extend(attr_paragraph(attrs("landing-summary"), inlines(ctx, p)) for p in h.summary)
    return "\n".join(out)


def about(ctx: Context) -> str:
    """The about page (included by ``about.md``): its heading and the TEI's project description."""
    paragraphs = (
        attr_paragraph(attrs("project"), inlines(ctx, p)) for p in ctx.edition.header.project
    )
    return "# About this edition\n\n" + "\n".join(paragraphs)

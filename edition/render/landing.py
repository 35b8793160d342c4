"""The part of the landing page drawn from the TEI."""

from __future__ import annotations

from edition.render.context import Context, plain
from edition.render.escape import attrs, escape


def landing(ctx: Context) -> str:
    """The part of the landing page drawn from the TEI (included by ``index.md``)."""
    h = ctx.edition.header
    ms = h.manuscript
    return (
        f"# {escape(h.title)}\n\n"
        f"{attrs('landing-sub')}\n{escape(h.subtitle)}, edited from the 2005 print edition "
        f"by {escape(h.editor)}.\n\n"
        f"{attrs('landing-source')}\n"
        f"{escape(ms.repository)}, {escape(ms.idno)}; "
        + "; ".join(f"{escape(i.locus)} ({escape(plain(i.title))})" for i in ms.items)
        + ".\n"
    )


# ------------------------------------------------------------ other pages

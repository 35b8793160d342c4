"""The revision history page, from ``revisionDesc``."""

from __future__ import annotations

from edition.render.context import Context
from edition.render.escape import escape
from edition.render.inline import inlines


def revisions_page(ctx: Context) -> str:
    """The revision history, generated from ``revisionDesc``."""
    out = ["# Revision history\n"]
    for change in ctx.edition.header.changes:
        who = ctx.edition.responsible.get(change.who, change.who)
        out.append(f"- {escape(change.when)}, {escape(who)}: {inlines(ctx, change.children)}")
    return "\n".join(out) + "\n"

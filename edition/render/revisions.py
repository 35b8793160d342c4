"""The revision history page, from ``revisionDesc``."""

from __future__ import annotations

from edition.render import revised
from edition.render.context import Context
from edition.render.escape import escape, span
from edition.render.inline import inlines


def revisions_page(ctx: Context) -> str:
    """The revision history, generated from ``revisionDesc``."""
    out = ["# Revision history\n"]
    for change in ctx.edition.header.changes:
        who = ctx.edition.responsible.get(change.who, change.who)
        version = span(escape(f"Version {change.n}"), "version") + ", " if change.n else ""
        changed = revised.targets(ctx, change)
        out.append(
            f"- {version}{span(escape(change.when), 'when')}, {span(escape(who), 'who')}: "
            f"{inlines(ctx, change.children)}" + (f" {changed}" if changed else "")
        )
    return "\n".join(out) + "\n"

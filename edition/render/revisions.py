"""The revision history page, from ``revisionDesc``."""

from __future__ import annotations

from edition.render import revised
from edition.render.context import Context
from edition.render.escape import escape
from edition.render.inline import inlines


def revisions_page(ctx: Context) -> str:
    """The revision history, generated from ``revisionDesc``."""
    out = ["# Revision history\n"]
    for change in ctx.edition.header.changes:
        who = ctx.edition.responsible.get(change.who, change.who)
        version = escape(f"Version {change.n}, ") if change.n else ""
        changed = revised.targets(ctx, change)
        out.append(
            f"- {version}{escape(change.when)}, {escape(who)}: {inlines(ctx, change.children)}"
            + (f" {changed}" if changed else "")
        )
    return "\n".join(out) + "\n"

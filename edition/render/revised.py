"""Where the words of a published anchor changed: a notice at the passage, with the old words' link.

A reader who cited version 1.0 and opens the latest page must see that the
passage changed since, and reach the words cited: each ``revisionDesc/change``
that names an anchor (``@target``) under a version (``@n``) puts a notice
after that anchor's paragraph, linking to the same anchor at the previous version's
own address (:func:`edition.publish.paths.versioned_base_url`), which stays
published. The revision history lists the same changes with the same links.
"""

from __future__ import annotations

from edition import model as m
from edition.anchors import version_key
from edition.publish import paths
from edition.render.context import GENERATED_DIR, Context
from edition.render.escape import attr_paragraph, attrs, escape, span, url
from edition.render.inline import inlines, link


def versions(edition: m.Edition) -> list[str]:
    """Every version the TEI names: its own and those of its change records, oldest first."""
    named = {c.n for c in edition.header.changes if c.n} | {edition.header.version}
    return sorted((v for v in named if version_key(v)), key=version_key)


def previous(edition: m.Edition, version: str) -> str:
    """The version before ``version`` (whose words a change replaced), or ``""``."""
    earlier = [v for v in versions(edition) if version_key(v) < version_key(version)]
    return earlier[-1] if earlier else ""


def changes_of(edition: m.Edition, anchor: str) -> list[m.Change]:
    """The change records that name ``anchor``, newest first."""
    found = [c for c in edition.changes_of(anchor) if c.n]
    return sorted(found, key=lambda c: version_key(c.n), reverse=True)


def old_words_url(ctx: Context, anchor: str, version: str) -> str:
    """The address of ``anchor`` as published in ``version``."""
    page = ctx.loc.page_of.get(anchor, "")
    path = f"{GENERATED_DIR}/{page}.html" if page else "index.html"
    return f"{paths.versioned_base_url(version)}{path}#{anchor}"


def notice(ctx: Context, change: m.Change, anchor: str) -> str:
    """The notice after a changed passage: version, date, what changed, the old words' link.

    A paragraph of its own, marked as the edition's, so it is never read as
    part of the memo's text.
    """
    when = " " + span(escape(f"({change.when})"), "when") if change.when else ""
    text = f"*{escape(f'Revised in version {change.n}')}{when}{escape(':')}* "
    text += inlines(ctx, change.children)
    before = previous(ctx.edition, change.n)
    if before:
        label = escape(f"Words of version {before}")
        text += f" [{label}]({url(old_words_url(ctx, anchor, before))})"
    return attr_paragraph(attrs("revised", "ed"), text)


def targets(ctx: Context, change: m.Change) -> str:
    """The anchors a change names, each linked now and as published in the version before."""
    before = previous(ctx.edition, change.n)
    parts = []
    for anchor in change.targets:
        label = escape(ctx.loc.label_of.get(anchor, anchor))
        now = link(ctx, label, anchor)
        if before:
            old = escape(f"words of version {before}")
            now += f" ({span(f'[{old}]({url(old_words_url(ctx, anchor, before))})', 'ed')})"
        parts.append(now)
    label = span(escape("Changed:"), "changed")
    return f"{label} " + ", ".join(parts) + escape(".") if parts else ""


def notices(ctx: Context, anchor: str) -> str:
    """Every notice for ``anchor``, each a block after it, or ``""``."""
    return "".join("\n" + notice(ctx, c, anchor) for c in changes_of(ctx.edition, anchor))

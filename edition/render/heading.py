"""Headings of the reading page: their words alone, their apparatus beside them.

A screen reader announces a heading by its content. Notes and variant readings
rendered inside a heading made the title a 90-word announcement and § 7
"International Prisoners Aid R. † † NOTE BY THE EDITOR…". Here a heading keeps
only its words (and, for the Russian view, the reported reading of a variant,
hidden in the other views); its marks, popups and notes follow it in a
``head-app`` line, each mark named for what it opens. Names in headings are not
links: the index lists the heading's occurrence, and the heading stays one
Tab-free line.
"""

from __future__ import annotations

from edition import model as m
from edition.render.context import Context
from edition.render.escape import SEPARATOR, attrs, escape, span
from edition.render.inline import (
    href,
    inline,
    note_ref,
    unlink_names,
    variant_mark,
    variant_popups,
)


def words(ctx: Context, nodes: tuple[m.Inline, ...]) -> str:
    """A heading's words: names unlinked, variants as lemma plus hidden reading."""
    return unlink_names("".join(word(ctx, node) for node in nodes))


def word(ctx: Context, node: m.Inline) -> str:
    """One inline node of a heading, without its apparatus."""
    if isinstance(node, m.NoteRef):
        return ""
    if isinstance(node, m.Variant):
        lemma = span(words(ctx, node.lemma.children), "lem", "head-lem")
        readings = "".join(
            span(SEPARATOR + words(ctx, r.children), "head-rdg", "ed", "edition-aside")
            for r in node.readings
        )
        return span(lemma + readings, "app", "head-variant", id=node.id)
    return inline(ctx, node)


def apparatus(ctx: Context, nodes: tuple[m.Inline, ...]) -> list[str]:
    """The marks, readings and notes of a heading, in the heading's order."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, m.NoteRef):
            out.append(note_ref(ctx, node))
        elif isinstance(node, m.Variant):
            out.append(variant_apparatus(ctx, node))
        elif hasattr(node, "children"):
            out.extend(apparatus(ctx, node.children))
    return out


def variant_apparatus(ctx: Context, node: m.Variant) -> str:
    """A heading variant's popup and mark, outside the heading (its lemma stays in it)."""
    return span(variant_popups(ctx, node) + variant_mark(ctx, node), "app", "head-variant-app")


def heading(ctx: Context, div: m.Division, label: str) -> tuple[str, str]:
    """(the heading's content, the apparatus line after it, or "")."""
    assert div.head is not None
    mark = ""
    if label:
        mark = f"[{escape(label)}]({href(ctx, div.id)}){attrs('secnum', 'ed')} "
    text = span(words(ctx, div.head.children), "head-text", id=div.head.id)
    parts = apparatus(ctx, div.head.children)
    if not parts:
        return mark + text, ""
    line = f"{attrs('head-app', 'ed')}\n" + SEPARATOR.join(parts) + "\n"
    return mark + text, line

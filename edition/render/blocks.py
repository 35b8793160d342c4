"""Blocks: paragraphs with their numbers, divisions and their headings, variants of divisions."""

from __future__ import annotations

from typing import assert_never

from edition import model as m
from edition.render import revised
from edition.render.context import Context, division_label, paragraph_number
from edition.render.escape import attr_paragraph, attrs, container, escape, span
from edition.render.heading import heading
from edition.render.inline import (
    framed,
    gap,
    inlines,
    link,
    milestone,
    note_resp_label,
    note_sources,
    reading_label,
    unlink_names,
    witness_label,
)


def paragraph(ctx: Context, para: m.Paragraph, div: m.Division | None, *classes: str) -> str:
    """A paragraph with its id and, in the text, its margin number."""
    number = paragraph_number(div, para)
    lead = link(ctx, escape(number), para.id, "parnum", "ed") + " " if number else ""
    content = lead + inlines(ctx, para.children)
    if ctx.reading:
        # a name links to its index entry at its first mention in a paragraph
        # only: at every repetition they made 52 of the page's 113 Tab stops
        content = unlink_names(content, keep_first=True)
    return (
        unit_label(ctx, para.id)
        + attr_paragraph(attrs("tei-p", *classes, id=para.id), content)
        + revised.notices(ctx, para.id)
    )


def unit_label(ctx: Context, target: str) -> str:
    """The edition's label for a unit of the front matter (whose words these are), if any."""
    label = framed(ctx, "label", target)
    return attr_paragraph(attrs("unit-label", "ed"), label) + "\n" if label else ""


def blocks(ctx: Context, items: tuple[m.Block, ...], div: m.Division | None, level: int) -> str:
    """Render a sequence of blocks at a heading level."""
    return "\n".join(block(ctx, b, div, level) for b in items)


def block(ctx: Context, block: m.Block, div: m.Division | None, level: int) -> str:
    """Render one block; mypy checks that every kind of block has its case."""
    match block:
        case m.Paragraph():
            return paragraph(ctx, block, div)
        case m.Division():
            return division(ctx, block, level)
        case m.DivisionVariant():
            return division_variant(ctx, block, div, level)
        case m.NoteBlock():
            return note_block(ctx, ctx.edition.note(block.note_id))
        case m.GapBlock():
            return f"{attrs('gap-block')}\n{gap(ctx, block.gap)}\n"
        case m.Milestone():
            return f"{attrs('milestone-block', 'ed')}\n{milestone(ctx, block)}\n"
        case _:
            assert_never(block)


def note_block(ctx: Context, note: m.Note) -> str:
    """A note standing between divisions, shown as a boxed remark."""
    resp = span(escape(note_resp_label(ctx, note)), "note-resp", "ed")
    return (
        f"{attrs('note-block', 'note-edition', id=note.id)}\n"
        f"{resp} {inlines(ctx, note.children)}{note_sources(ctx, note)}\n"
    )


def heading_text(ctx: Context, div: m.Division) -> str:
    """A division's heading content with its section mark."""
    assert div.head is not None
    mark = span(escape(division_label(div)), "secnum", "ed") + " " if div.n else ""
    return mark + span(inlines(ctx, div.head.children), "head-text", id=div.head.id)


def division(ctx: Context, div: m.Division, level: int, embedded: bool = False) -> str:
    """A division: a section with a heading, or a container where it has none."""
    classes = ("tei-div", f"div-{div.type}")
    if div.head is not None and not embedded:
        body = blocks(ctx, div.blocks, div, level + 1)
        if ctx.reading:
            text, line = heading(ctx, div, division_label(div) if div.n else "")
            head = f"{'#' * level} {text}\n\n{line}"
            return f"{attrs(*classes, id=div.id)}\n{head}\n{body}"
        return f"{attrs(*classes, id=div.id)}\n{'#' * level} {heading_text(ctx, div)}\n\n{body}"
    head = f"{attrs('div-head')}\n{heading_text(ctx, div)}\n\n" if div.head else ""
    inner = head + blocks(ctx, div.blocks, div, level)
    return container(inner, div.id, *classes)


def division_variant(
    ctx: Context, app: m.DivisionVariant, div: m.Division | None, level: int
) -> str:
    """A variant of whole divisions: a notice in the text, the reading beside it."""
    parts = []
    for reading in app.readings:
        # The siglum, what the witness is and the struck heading, all from the TEI; what
        # is known of the section and of its place is the edition's note that follows.
        heads = " ".join(
            span(inlines(ctx, d.head.children), "rdg-head") for d in reading.divisions if d.head
        )
        label = reading_label(ctx, reading)
        notice = span(
            escape(f"{witness_label(ctx, reading)}: ")
            + (label + escape(": ") if label else "")
            + heads,
            "app-notice-text",
        )
        more = link(ctx, escape("Show it"), reading.id, "app-show", "ed")
        parts.append(f"{attrs('app-notice', 'ed')}\n{notice} {more}\n")
        inner = "\n".join(division(ctx, d, level, embedded=True) for d in reading.divisions)
        parts.append(container(inner, reading.id, "rdg", "rdg-division", "rdg-deleted"))
    return container("\n".join(parts), app.id, "app", "app-division")

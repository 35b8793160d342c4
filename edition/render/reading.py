"""The reading page: the whole memo, its witness switch, view banners and legend."""

from __future__ import annotations

import html

from edition import model as m
from edition.render.blocks import block, blocks
from edition.render.context import Context, plain
from edition.render.escape import attrs, container, escape, span
from edition.render.heading import heading
from edition.render.inline import inlines

CHECKED = ' checked="checked"'  # XHTML: the pages of an EPUB must be well-formed XML
WITNESS_VIEWS = (
    ("en", "English typescript (E)"),
    ("ru", "With the Russian original's reported differences (R, reported in English)"),
    ("print", "2005 print edition (P)"),
)


def reading_page(ctx: Context) -> str:
    """The reading text: the whole memo on one page, under a compact header.

    The header is the title (said to be the print editor's, from its
    ``@resp``), the witness switch, the view banners, the signs and the
    document's archival line; the memo's first words follow on the first
    screen. The view banners and the Russian furniture show only in their view.
    """
    ed = ctx.edition
    title_div = next(b for b in ed.front if isinstance(b, m.Division) and b.head)
    out = []
    who = ed.responsible.get(title_div.resp.lstrip("#"), "") if title_div.resp else ""
    if who:
        kicker = escape(f"Title given by the print editor, {who}")
        out.append(f"{attrs('title-resp', 'ed')}\n{kicker}\n")
    assert title_div.head is not None
    text, line = heading(ctx, title_div, "")
    out.append(f"{attrs('tei-div', 'div-title', id=title_div.id)}")
    out.append(f"# {text}\n")
    if line:
        out.append(line)
    out.append(switch(ctx))
    out.append(view_banners(ctx))
    out.append(legend(ctx))
    header = [
        blocks(ctx, title_div.blocks, title_div, 2) if b is title_div else block(ctx, b, None, 2)
        for b in ed.front
    ]
    header.append(russian_furniture(ctx))
    out.append(container("\n".join(header), "", "document-header"))
    out.append(blocks(ctx, ed.body, None, 2))
    if ed.back:
        out.append(container(blocks(ctx, ed.back, None, 2), "", "back-matter"))
    return "\n".join(out) + "\n"


def switch(ctx: Context) -> str:
    """The witness view switch: radio buttons that work without JavaScript."""
    inputs = "".join(
        f'<input type="radio" name="witness-view" id="view-{key}" value="{key}"'
        f'{CHECKED if i == 0 else ""} /><label for="view-{key}">{label}</label>'
        for i, (key, label) in enumerate(WITNESS_VIEWS)
    )
    return (
        '<fieldset class="witness-switch ed"><legend>Show the text as</legend>'
        f"{inputs}</fieldset>\n"
    )


def view_banners(ctx: Context) -> str:
    """Plain labels for the two other witness views, shown only in that view."""
    readings = []
    for variant in ctx.loc.variants:
        for reading in variant.readings:
            if isinstance(reading, m.Reading):
                readings.append(f"“{plain(reading.children)}”")
            else:
                heads = "; ".join(plain(d.head.children) for d in reading.divisions if d.head)
                readings.append(f"the deleted section “{heads}” (struck through)")
    ru = (
        "You are reading the English text with the differences of the Russian original (R) "
        "put in place, as the print editor reports them in English: "
        + ", ".join(readings)
        + ". This is not the Russian wording, which is not available to this edition."
    )
    pr = (
        "You are reading the text as laid out in the 2005 print edition (P): its page and "
        "column breaks, inferred from the transcription, are marked in the text, and its "
        "colophon stands at the end."
    )
    return (
        f"{attrs('view-banner', 'view-ru', 'ed')}\n{escape(ru)}\n\n"
        f"{attrs('view-banner', 'view-print', 'ed')}\n{escape(pr)}\n"
    )


LEGEND = (
    ("1.2", "section 1, paragraph 2 (Pr.1: the preamble); § 1: section 1"),
    ("† ‡", "the print editor's note"),
    ("ed.", "this edition's note"),
    ("R", "the Russian original reads otherwise (as the editor reports it)"),
    ("[ ]", "words supplied by the print editor"),
    ("⟨text not reported⟩", "the source mentions it but does not give it"),
    ("p. 2", "page break of the 2005 print edition (print view)"),
)


def legend(ctx: Context) -> str:
    """The signs used in the reading text: one compact list, always shown.

    A first-time reader meets the signs before the text; the same signs are
    used on every page (the notes and indices number paragraphs as here).
    """
    items = "".join(
        f'<div class="legend-item"><dt>{html.escape(sign)}</dt><dd>{html.escape(text)}</dd></div>'
        for sign, text in LEGEND
    )
    return (
        '<div class="legend ed" role="group" aria-labelledby="legend-title">'
        '<p class="legend-title" id="legend-title">Signs:</p>'
        f"<dl>{items}</dl></div>\n"
    )


def russian_furniture(ctx: Context) -> str:
    """The Russian witness's date and notation, as the header reports them."""
    items = [i for i in ctx.edition.header.manuscript.items if i.language.startswith("ru")]
    lines = [
        f"{attrs('ru-furniture', 'ed')}\n"
        + span(escape(f"Russian original, {i.locus}: "), "label")
        + inlines(ctx, i.note)
        + "\n"
        for i in items
    ]
    return "\n".join(lines)

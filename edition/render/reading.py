"""The reading page: the whole memo, its witness switch, view banners and legend."""

from __future__ import annotations

from edition import model as m
from edition.render.blocks import block, blocks
from edition.render.context import Context, plain
from edition.render.escape import attrs, container, escape, span
from edition.render.inline import inlines

CHECKED = ' checked="checked"'  # XHTML: the pages of an EPUB must be well-formed XML
WITNESS_VIEWS = (
    ("en", "English typescript (E)"),
    ("ru", "With the Russian original's reported differences (R, reported in English)"),
    ("print", "2005 print edition (P)"),
)


def reading_page(ctx: Context) -> str:
    """The reading text: the whole memo on one page."""
    ed = ctx.edition
    title_div, title = next(
        (b, b.head) for b in ed.front if isinstance(b, m.Division) and b.head is not None
    )
    out = ["---", "hide-toc: true", "---", ""]
    out.append(f"{attrs('tei-div', 'div-title', id=title_div.id)}")
    out.append(f"# {span(inlines(ctx, title.children), 'head-text', id=title.id)}\n")
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


def legend(ctx: Context) -> str:
    """The signs used in the reading text, in a collapsible box."""
    signs = (
        ("1.2", "section 1, paragraph 2: the citable number of a paragraph (§ for sections)"),
        ("† ‡", "a note by the print editor, with his printed symbol"),
        ("ed.", "a note by this digital edition"),
        ("R", "the Russian original reads otherwise here: point at, focus or tap the mark"),
        ("[ ]", "words supplied by the print editor"),
        ("struck through", "a section deleted in the Russian original"),
        ("⟨text not reported⟩", "content the source mentions but does not give"),
        ("[p. 2]", "a page break of the 2005 print edition (print edition view)"),
    )
    rows = "\n".join(f"{escape(sign)}\n: {escape(text)}\n" for sign, text in signs)
    return (
        f":::{{dropdown}} Signs used in this edition\n:class-container: legend ed\n\n{rows}\n:::\n"
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

"""The reading page: the whole memo, its witness switch, view banners and legend."""

from __future__ import annotations

import html

from edition import model as m
from edition.citations import citebox
from edition.parts import Part
from edition.render.blocks import block, blocks, unit_label
from edition.render.context import Context, division_label, plain
from edition.render.escape import attrs, container, escape, span
from edition.render.heading import heading
from edition.render.inline import framed, inlines, note_resp_label

CHECKED = ' checked="checked"'  # XHTML: the pages of an EPUB must be well-formed XML


def reading_page(ctx: Context) -> str:
    """The reading text: the whole memo on one page, under a compact header.

    The header is the title (its words alone in the heading; the edition's
    label saying whose it is, and its note, after it), the witness switch,
    the view banners, the signs and the document's front matter; the memo's
    first words follow on the first screen.

    A text long enough to be read in parts (:mod:`edition.parts`) has this
    page for its first part; the others are :func:`later_part`.
    """
    names = list(ctx.loc.parts)
    if ctx.page != names[0]:
        return later_part(ctx)
    part = ctx.loc.parts[ctx.page]
    title_div, title = _title(ctx.edition)
    out = []
    words, apparatus = heading(ctx, title_div, "")
    out.append(f"{attrs('tei-div', 'div-title', id=title_div.id)}")
    out.append(f"# {words}\n")
    out.append(unit_label(ctx, title.id))
    if apparatus:
        out.append(apparatus)
    out.append(switch(ctx))
    out.append(view_banners(ctx))
    out.append(legend(ctx))
    if len(names) > 1:
        out.append(part_links(ctx))
    # The print editor's front matter (the archival line) and the document's own
    # (the security marking) stand apart, each with the edition's label.
    for b in part.front:
        if b is title_div:
            editor = blocks(ctx, title_div.blocks, title_div, 2)
            out.append(container(editor, "", "document-header", "editor-front"))
        elif isinstance(b, m.Division):
            out.append(container(block(ctx, b, None, 2), "", "document-header", "document-front"))
        else:
            out.append(block(ctx, b, None, 2))  # a page break, in document order
    out.append(russian_furniture(ctx))
    out.append(body(ctx))
    out.extend(_ending(ctx))
    if len(names) > 1:
        # the later parts hang below the first in the site's contents (prev/next)
        listed = "\n".join(names[1:])
        out.append(f"```{{toctree}}\n:hidden:\n\n{listed}\n```\n")
    return "\n".join(out) + "\n"


def later_part(ctx: Context) -> str:
    """A later part of a long text: the title's words, the switch and the signs, its divisions.

    The title's marks and notes and the front matter stay on the first part,
    where their anchors are; the heading here is the same words, with the
    edition's label saying whose they are. Its anchor is the part's own
    (``<part>-title``), from the first division's ``xml:id``, and the page's
    title in the browser names the part's divisions.
    """
    _, title = _title(ctx.edition)
    words = plain(title.children)
    here = part_label(ctx.loc.parts[ctx.page])
    out = [
        f"```{{title}} {' '.join(words.split())} {here}\n```\n",
        f"{attrs('part-title', id=f'{ctx.page}-title')}\n# {escape(words)}\n",
        unit_label(ctx, title.id),
        switch(ctx),
        view_banners(ctx),
        legend(ctx),
        part_links(ctx),
        body(ctx),
        *_ending(ctx),
    ]
    return "\n".join(out) + "\n"


def _title(ed: m.Edition) -> tuple[m.Division, m.Heading]:
    return next((b, b.head) for b in ed.front if isinstance(b, m.Division) and b.head is not None)


def _ending(ctx: Context) -> list[str]:
    """What closes a reading page: the back matter (on the last part), the parts, the contents."""
    out = []
    back = ctx.loc.parts[ctx.page].back
    if back:
        out.append(container(blocks(ctx, back, None, 2), "", "back-matter"))
    if len(ctx.loc.parts) > 1:
        out.append(part_links(ctx))
    out.append(contents_list(ctx))
    return out


def part_label(part: Part) -> str:
    """A part by the labels of its first and last divisions (``§ 11 to § 20``)."""
    first, last = part.divisions[0], part.divisions[-1]
    if first is last:
        return division_label(first)
    return f"{division_label(first)} to {division_label(last)}"


def part_links(ctx: Context) -> str:
    """Which divisions this page shows, and the way to the pages before and after it.

    Pages are named by what is on them, as the divisions' labels give it; on
    paper only the first half is printed.
    """
    names = list(ctx.loc.parts)
    i = names.index(ctx.page)
    links = []
    if i > 0:
        before = ctx.loc.parts[names[i - 1]]
        links.append(f"[Previous page: {escape(part_label(before))}]({before.name}.md)")
    if i + 1 < len(names):
        after = ctx.loc.parts[names[i + 1]]
        links.append(f"[Next page: {escape(part_label(after))}]({after.name}.md)")
    here = span(f"This page: {escape(part_label(ctx.loc.parts[ctx.page]))}.", "part-here")
    return f"{attrs('part-links', 'ed')}\n{here} {span(' · '.join(links), 'part-ways')}\n"


def contents_list(ctx: Context) -> str:
    """The contents as a list the extension moves into the page's navigation."""
    items = "\n".join(f"- [{escape(label)}]({href})" for href, label in contents(ctx))
    return f"{attrs('page-contents')}\n{items}\n"


def contents(ctx: Context) -> list[tuple[str, str]]:
    """The page's divisions for its navigation: (``#id``, label), in order.

    Written at the end of the page as a list that the extension takes out of
    the text and gives to the theme; a division without a heading is named by
    the edition's label for it.
    """
    out = []
    for div in ctx.loc.parts[ctx.page].divisions:
        label = division_label(div)
        if div.head is not None:
            words = plain(div.head.children)
            label = f"{label} {words}" if div.n else words
        out.append((f"#{div.id}", label))
    return out


def body(ctx: Context) -> str:
    """The part's sections, each with its cite box under its heading (after an unheaded one)."""
    parts = []
    for item in ctx.loc.parts[ctx.page].items:
        text = block(ctx, item, None, 2)
        if isinstance(item, m.Division):
            box = citebox.directive(item.id, note=True)
            head, _, rest = text.partition("\n\n")
            if rest.startswith("{.head-app"):  # the heading's marks stay with it
                line, _, rest = rest.partition("\n\n")
                head = f"{head}\n\n{line}"
            text = f"{head}\n\n{box}\n{rest}" if item.head else f"{text}\n{box}"
        parts.append(text)
    return "\n".join(parts)


def view_key(witness: m.Witness) -> str:
    """The key of a witness's view (``en``, ``ru``, ``print``), used by the CSS and script."""
    return witness.id.removeprefix("wit-")


def switch(ctx: Context) -> str:
    """The witness view switch: radio buttons that work without JavaScript.

    Each view is named by the edition's ``view-label`` note on its witness,
    with the witness's siglum.
    """
    inputs = []
    for i, wit in enumerate(ctx.edition.header.witnesses):
        note = ctx.frame("view-label", wit.id)
        name = html.escape(plain(note.children)) + " " if note else ""
        key = view_key(wit)
        inputs.append(
            f'<input type="radio" name="witness-view" id="view-{key}" value="{key}"'
            f'{CHECKED if i == 0 else ""} /><label for="view-{key}">{name}'
            f'<span class="siglum">({html.escape(wit.siglum)})</span></label>'
        )
    return (
        '<fieldset class="witness-switch ed"><legend>Show the text as</legend>'
        f"{''.join(inputs)}</fieldset>\n"
    )


# A block the edition's script folds to its summary line where the media query
# holds (unless the reader opened it once), so that the text starts on the first
# screen; without the script it stays open.
PHONE = "(max-width: 47.99em)"
NO_MARGIN = "(max-width: 63.99em)"


def folding(classes: str, summary: str, inner: str, fold: str) -> str:
    """A ``<details>`` open by default around MyST ``inner``, folded by the script at ``fold``.

    ``summary`` is HTML (escaped by the caller).
    """
    return (
        f'<details class="{classes}" open="open" data-fold="{html.escape(fold)}">'
        f'<summary class="fold-title">{summary}</summary>\n\n{inner}\n\n</details>\n'
    )


def view_banners(ctx: Context) -> str:
    """What each other witness view shows: the edition's ``banner`` notes in the TEI.

    Shown only in its view. On a wide screen it stands in the margin beside
    the header (CSS); without one it is folded to one line, as the legend is on a phone.
    """
    out = []
    for wit in ctx.edition.header.witnesses:
        banner = framed(ctx, "banner", wit.id)
        if banner:
            classes = f"view-banner view-{view_key(wit)} ed"
            out.append(folding(classes, html.escape("About this view"), banner, NO_MARGIN))
    return "\n".join(out)


def legend(ctx: Context) -> str:
    """The signs used in the reading text (the TEI's ``sign`` notes), always shown.

    One short run-in paragraph under the switch, open: a first-time reader
    sees every sign before the text.
    """
    signs = [
        span(escape(sign.n), "legend-sign") + " " + span(inlines(ctx, sign.children), "legend-text")
        for sign in ctx.frames("sign")
    ]
    if not signs:
        return ""
    items = " ".join(span(item, "legend-item") for item in signs)
    # open without script; on a phone the script folds it to its summary line
    # (the text then starts on the first screen) unless the reader opened it
    return (
        f'<details class="legend ed" open="open" data-fold="{html.escape(PHONE)}">'
        '<summary class="legend-title">'
        "Signs used in this edition</summary>\n\n"
        f"{attrs('legend-signs')}\n{items}\n\n</details>\n"
    )


def russian_furniture(ctx: Context) -> str:
    """The Russian witness's date and notation, as the header reports them."""
    h = ctx.edition.header
    wit_of = {item: w.id for w in h.witnesses for item in w.items}
    lines = []
    for item in h.manuscript.items:
        if not item.language.startswith("ru"):
            continue
        label_note = ctx.frame("reading-label", wit_of.get(item.id, ""))
        # the label (the TEI's reading-label note) and the leaves, each as the TEI gives it
        label = plain(label_note.children) if label_note else ""
        locus = f'<span class="locus">{html.escape(item.locus)}</span>'
        summary = f'<span class="label">{html.escape(label)}</span>, {locus}' if label else locus
        text = item_resp(ctx, item) + inlines(ctx, item.note)
        # in the margin on a wide screen, folded to its label below that (CSS, script)
        lines.append(folding("ru-furniture ed", summary, f"{attrs('ru-note')}\n{text}", NO_MARGIN))
    return "\n".join(lines)


def item_resp(ctx: Context, item: m.ManuscriptItem) -> str:
    """Whose an archival item's description is, as for any note (empty if unknown)."""
    if not item.note_resp:
        return ""
    note = m.Note(item.id, "", item.note_resp, "", "", "", item.note)
    return span(escape(note_resp_label(ctx, note)), "note-resp") + " "

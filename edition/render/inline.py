"""Inline content: names, notes, variants, milestones and gaps, as MyST spans."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from edition import model as m
from edition.behaviours import TABLE, styles
from edition.render.context import Context, descendants, plain
from edition.render.escape import SEPARATOR, attrs, escape, span, url

STYLES = styles()
SUPPLIED = TABLE["supplied"][0].show


def href(ctx: Context, target: str) -> str:
    """A link destination for an id (``#id`` or ``page.md#id``) or a URL."""
    if target.startswith(("http://", "https://")):
        return url(target)
    page = ctx.loc.page_of.get(target)
    if page is None or page == ctx.page:
        return f"#{target}"
    return f"{page}.md#{target}"


def link(ctx: Context, content: str, target: str, *classes: str) -> str:
    """A Markdown link with optional classes."""
    suffix = attrs(*classes) if classes else ""
    return f"[{content}]({href(ctx, target)}){suffix}"


def inlines(ctx: Context, nodes: tuple[m.Inline, ...], link_to: str = "") -> str:
    """Render inline nodes; ``link_to`` links bare text to an entry (names)."""
    return "".join(inline(ctx, node, link_to) for node in nodes)


def inline(ctx: Context, node: m.Inline, link_to: str = "") -> str:
    """Render one inline node by the renderer its model type has in :data:`INLINE`."""
    return INLINE[type(node)](ctx, node, link_to)


def text(ctx: Context, node: m.Text, link_to: str = "") -> str:
    """Literal text; inside a name with nested names, linked to the outer name's entry."""
    out = escape(node.text)
    return link(ctx, out, link_to, "name-part") if link_to and node.text.strip() else out


def styled(ctx: Context, node: m.Styled, link_to: str = "") -> str:
    """A phrase in a style, with the words its rule in the element table puts around it."""
    show = STYLES[node.style]
    inner = escape(show.before) + inlines(ctx, node.children, link_to) + escape(show.after)
    return span(inner, node.style)


def supplied(ctx: Context, node: m.Supplied, link_to: str = "") -> str:
    """The print editor's insertion, in the brackets the element table gives it."""
    show = SUPPLIED
    inner = escape(show.before) + inlines(ctx, node.children, link_to) + escape(show.after)
    return span(inner, show.css)


def date(ctx: Context, node: m.Date, link_to: str = "") -> str:
    """A date: its words (the normalised value is data, not shown)."""
    return span(inlines(ctx, node.children, link_to), "date")


def ref(ctx: Context, node: m.Link, link_to: str = "") -> str:
    """A link; one with names inside links its bare words and lets the names link."""
    if any(not isinstance(c, m.Text) for c in descendants(node)):
        return span(inlines(ctx, node.children, link_to=node.target), "link")
    return link(ctx, inlines(ctx, node.children), node.target)


def name(ctx: Context, node: m.Name, link_to: str = "") -> str:
    """A tagged name links to its index entry; nested names link to their own."""
    classes = ("name", f"name-{node.kind}")
    if any(not isinstance(c, m.Text) for c in descendants(node)):
        return span(inlines(ctx, node.children, link_to=node.ref), *classes)
    return link(ctx, inlines(ctx, node.children), node.ref, *classes)


def framed(ctx: Context, kind: str, target: str, *classes: str) -> str:
    """The edition's framing note of ``kind`` on ``target``, rendered; "" if the TEI has none."""
    note = ctx.frame(kind, target)
    if note is None:
        return ""
    text = inlines(ctx, note.children)
    return span(text, *classes) if classes else text


def milestone(ctx: Context, node: m.Milestone, link_to: str = "") -> str:
    """A page or column break, shown in the print-edition view.

    A break whose kind the edition inferred (``@resp``) says so.
    """
    if node.kind == "pb":
        return span(escape(f"[p. {node.n}]" if node.n else "[page break]"), "pb", "ed")
    mark = "[column break, inferred]" if node.resp else "[column break]"
    return span(escape(mark), "cb", "ed")


def gap(ctx: Context, node: m.Gap, link_to: str = "") -> str:
    """A gap: a mark and the reported description."""
    mark = span(escape("⟨text not reported⟩"), "gap-mark", "ed")
    desc = inlines(ctx, node.desc)
    return span(f"{mark} {desc}", "gap", id=node.id)


def witness_label(ctx: Context, reading: m.Reading | m.DivisionReading) -> str:
    """Sigla of a reading's witnesses, e.g. ``R``."""
    sigla = {w.id: w.siglum for w in ctx.edition.header.witnesses}
    return " ".join(sigla.get(w, w) for w in reading.witnesses)


def variant(ctx: Context, node: m.Variant, link_to: str = "") -> str:
    """A variant: the lemma in the text, each reading in a popup."""
    lemma = span(inlines(ctx, node.lemma.children), "lem")
    return span(lemma + variant_popups(ctx, node) + variant_mark(ctx, node), "app", id=node.id)


def variant_popups(ctx: Context, node: m.Variant) -> str:
    """A variant's readings, each in a popup labelled with its witness."""
    pops = []
    for reading in node.readings:
        report = (
            f" {span(link(ctx, escape('(source)'), reading.source), 'rdg-source')}"
            if reading.source
            else ""
        )
        label = SEPARATOR + span(
            escape(f"{witness_label(ctx, reading)}: ") + reading_label(ctx, reading),
            "rdg-label",
        )
        text = span(inlines(ctx, reading.children), "rdg-text")
        pops.append(
            span(f"{label} {text}{report}", "rdg", "ed-pop", "edition-aside", id=reading.id)
        )
    return "".join(pops)


def variant_mark(ctx: Context, node: m.Variant) -> str:
    """The mark that opens a variant's reading; its name says what it opens."""
    target = node.readings[0].id if node.readings and node.readings[0].id else node.id
    sigla = " ".join(witness_label(ctx, r) for r in node.readings)
    titles = "; ".join(
        plain(note.children)
        for r in node.readings
        for w in r.witnesses
        if (note := ctx.frame("reading-label", w))
    )
    name = f"{sigla}, the reading of the {titles}" if titles else f"{sigla}, a reading"
    return SEPARATOR + mark_link(sigla, name, target, "app-mark", "ed", "edition-aside")


def mark_link(text: str, name: str, target: str, *classes: str) -> str:
    """A mark on the reading page (a link to an id on it) named for what it opens.

    Raw HTML, because MyST gives a link no ``aria-label`` and a span inside a
    link's text is a link inside a link; the visible mark starts the name
    (WCAG 2.5.3, label in name).
    """
    return (
        f'<a class="{" ".join(classes)}" href="#{html.escape(target, quote=True)}" '
        f'aria-label="{html.escape(name, quote=True)}">{html.escape(text)}</a>'
    )


def reading_label(ctx: Context, reading: m.Reading | m.DivisionReading) -> str:
    """What a reading's witnesses are, from the TEI's ``reading-label`` notes (rendered)."""
    labels = [n for w in reading.witnesses if (n := ctx.frame("reading-label", w))]
    return "; ".join(span(inlines(ctx, n.children), "reading-label") for n in labels)


def link_title(text: str) -> str:
    """A Markdown link title in double quotes, whatever the text holds."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def note_resp_label(ctx: Context, note: m.Note) -> str:
    """Whose note it is, in words."""
    if note.n:
        return f"Note by the editor, {ctx.edition.responsible.get(note.resp, note.resp)}"
    return "Note by this digital edition"


def note_mark(ctx: Context, note: m.Note) -> str:
    """The printed symbol, or ``ed.`` for this edition's notes."""
    return escape(note.n or "ed.")


def note_ref(ctx: Context, node: m.NoteRef, link_to: str = "") -> str:
    """A note marker; on the reading page the note follows as a side note."""
    note = ctx.edition.note(node.note_id)
    who = "note-editor" if note.n else "note-edition"
    if not ctx.reading:
        return link(ctx, note_mark(ctx, note), note.id, "noteref", who)
    sign = note.n or "ed."
    whose = "the print editor's note" if note.n else "this edition's note"
    marker = mark_link(sign, f"{sign}, {whose}", note.id, "noteref", who, "edition-aside")
    # the marker links both ways; the way back is for the pointer (no extra Tab stop)
    back = mark_link(sign, f"{sign}, back to the text", f"noteref-{note.id}", "note-backref", "ed")
    back = back.replace("<a ", '<a tabindex="-1" ', 1)
    resp = span(escape(note_resp_label(ctx, note)), "note-resp", "ed")
    body = f"{back} {resp} {unlinked_names(ctx, note.children)}{note_sources(ctx, note)}"
    return span(
        SEPARATOR + marker, "noteref-wrap", "edition-aside", id=f"noteref-{note.id}"
    ) + span(body, "sidenote", who, "edition-aside", id=note.id)


# A MyST link whose text holds no unescaped bracket: [text](target){attributes}
MYST_LINK = re.compile(r"\[((?:\\.|[^\[\]\\])*)\]\(([^()\s]+)\)\{([^{}]*)\}")


def unlink_names(myst: str, keep_first: bool = False) -> str:
    """Turn name links (classes ``name``, ``name-part``) in rendered MyST into name spans.

    With ``keep_first``, the first link to each entry stays a link. A later
    mention keeps its classes, so it still reads as a name.
    """
    seen: set[str] = set()

    def replace(found: re.Match[str]) -> str:
        content, target, attributes = found.groups()
        if ".name" not in attributes or "#" not in target:
            return found.group(0)
        if keep_first and target not in seen:
            seen.add(target)
            return found.group(0)
        return f"[{content}]{{{attributes}}}"

    return MYST_LINK.sub(replace, myst)


def unlinked_names(ctx: Context, nodes: tuple[m.Inline, ...]) -> str:
    """Inline content with its names as plain name spans (no index links).

    A side note on the reading page stands beside the text: its names would be
    Tab stops between a heading and the text (the title's note alone had
    six). The notes page links them.
    """
    return unlink_names(inlines(ctx, nodes))


def note_sources(ctx: Context, note: m.Note) -> str:
    """For this edition's notes, name what they rest on."""
    if note.n or not note.source:
        return ""
    return " " + span(
        escape("Source: ")
        + link(ctx, escape(ctx.loc.label_of.get(note.source, note.source)), note.source),
        "note-source",
        "ed",
    )


# Each model type of inline content and the function that renders it.
INLINE: dict[type, Callable[[Context, Any, str], str]] = {
    m.Text: text,
    m.Styled: styled,
    m.Supplied: supplied,
    m.Name: name,
    m.Date: date,
    m.Link: ref,
    m.NoteRef: note_ref,
    m.Milestone: milestone,
    m.Gap: gap,
    m.Variant: variant,
}

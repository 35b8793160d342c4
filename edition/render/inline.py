"""Inline content: names, notes, variants, milestones and gaps, as MyST spans."""

from __future__ import annotations

import html

from edition import model as m
from edition.render.context import READING, Context, descendants
from edition.render.escape import SEPARATOR, attrs, escape, span, url


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
    """Render one inline node; the dispatch mirrors :data:`edition.behaviours.INLINE`."""
    if isinstance(node, m.Text):
        text = escape(node.text)
        return link(ctx, text, link_to, "name-part") if link_to and node.text.strip() else text
    if isinstance(node, m.Styled):
        return span(inlines(ctx, node.children, link_to), node.style)
    if isinstance(node, m.Supplied):
        return span("\\[" + inlines(ctx, node.children, link_to) + "\\]", "supplied")
    if isinstance(node, m.Name):
        return name(ctx, node)
    if isinstance(node, m.Date):
        return span(inlines(ctx, node.children, link_to), "date")
    if isinstance(node, m.Link):
        if any(not isinstance(c, m.Text) for c in descendants(node)):
            return span(inlines(ctx, node.children, link_to=node.target), "link")
        return link(ctx, inlines(ctx, node.children), node.target)
    if isinstance(node, m.NoteRef):
        return note_ref(ctx, node)
    if isinstance(node, m.Milestone):
        return milestone(ctx, node)
    if isinstance(node, m.Gap):
        return gap(ctx, node)
    if isinstance(node, m.Variant):
        return variant(ctx, node)
    raise TypeError(f"no renderer for {type(node).__name__}")  # pragma: no cover


def name(ctx: Context, node: m.Name) -> str:
    """A tagged name links to its index entry; nested names link to their own."""
    classes = ("name", f"name-{node.kind}")
    if any(not isinstance(c, m.Text) for c in descendants(node)):
        return span(inlines(ctx, node.children, link_to=node.ref), *classes)
    return link(ctx, inlines(ctx, node.children), node.ref, *classes)


def milestone(ctx: Context, node: m.Milestone) -> str:
    """A page or column break, shown in the print-edition view."""
    if node.kind == "pb":
        # boxed, not bracketed: [ ] are the print editor's supplied words
        # (hidden spaces keep the mark's words apart from the text's in its text content)
        text = escape(f"p. {node.n}" if node.n else "page break")
        return span(SEPARATOR + text + SEPARATOR, "pb", "ed")
    return span(SEPARATOR + escape("column break") + SEPARATOR, "cb", "ed")


def gap(ctx: Context, node: m.Gap) -> str:
    """A gap: a mark and the reported description."""
    mark = span(escape("⟨text not reported⟩"), "gap-mark", "ed")
    desc = inlines(ctx, node.desc)
    return span(f"{mark} {desc}", "gap", id=node.id)


def witness_label(ctx: Context, reading: m.Reading | m.DivisionReading) -> str:
    """Sigla of a reading's witnesses, e.g. ``R``."""
    sigla = {w.id: w.siglum for w in ctx.edition.header.witnesses}
    return " ".join(sigla.get(w, w) for w in reading.witnesses)


def variant(ctx: Context, node: m.Variant) -> str:
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
            escape(
                f"{witness_label(ctx, reading)}: Russian original, as reported by the "
                "editor in English:"
            ),
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
    name = f"{sigla}, the Russian original's reading"
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


def note_resp_label(ctx: Context, note: m.Note) -> str:
    """Whose note it is, in words."""
    if note.n:
        return f"Note by the editor, {ctx.edition.responsible.get(note.resp, note.resp)}"
    return "Note by this digital edition"


def note_mark(ctx: Context, note: m.Note) -> str:
    """The printed symbol, or ``ed.`` for this edition's notes."""
    return escape(note.n or "ed.")


def note_ref(ctx: Context, node: m.NoteRef) -> str:
    """A note marker; on the reading page the note follows as a side note."""
    note = ctx.edition.note(node.note_id)
    who = "note-editor" if note.n else "note-edition"
    if ctx.page != READING:
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


def unlinked_names(ctx: Context, nodes: tuple[m.Inline, ...]) -> str:
    """Inline content with its names as plain name spans (no index links).

    A side note on the reading page stands beside the text: its names would be
    Tab stops between a heading and the text (the title's note alone had
    six). The notes page links them.
    """
    out = []
    for node in nodes:
        if isinstance(node, m.Name):
            out.append(span(unlinked_names(ctx, node.children), "name", f"name-{node.kind}"))
        elif isinstance(node, (m.Styled, m.Date)):
            style = node.style if isinstance(node, m.Styled) else "date"
            out.append(span(unlinked_names(ctx, node.children), style))
        elif isinstance(node, m.Supplied):
            out.append(span("\\[" + unlinked_names(ctx, node.children) + "\\]", "supplied"))
        else:
            out.append(inline(ctx, node))
    return "".join(out)


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

"""The indices page: entries by kind with their sourced notes and occurrences."""

from __future__ import annotations

import re

from edition import model as m
from edition.render.context import Context, plain
from edition.render.escape import attr_paragraph, attrs, escape, span
from edition.render.inline import inlines, link, note_resp_label

KIND_TITLES = {
    "org": "Organizations",
    "person": "Persons",
    "place": "Places",
    "term": "Terms",
}


def indices_page(ctx: Context) -> str:
    """Index entries by kind, each with its sourced note and its occurrences."""
    out = ["# Indices\n"]
    for kind, title in KIND_TITLES.items():
        entries = sorted(
            (e for e in ctx.edition.entries if e.kind == kind),
            key=lambda e: plain(e.label).casefold(),
        )
        if not entries:
            continue
        out.append(f"{attrs(id=f'index-{kind}')}\n## {escape(title)}\n")
        for entry in entries:
            out.append(index_entry(ctx, entry))
    out.append(f"{attrs(id='sources')}\n## Sources of the edition's notes\n")
    for source in ctx.edition.sources:
        out.append(attr_paragraph(attrs("source", id=source.id), inlines(ctx, source.children)))
    return "\n".join(out)


def index_entry(ctx: Context, entry: m.Entry) -> str:
    """One entry: heading, gloss, note with sources, links to every occurrence."""
    label = plain(entry.label)
    occurrences = ctx.loc.occurrences.get(entry.id, [])
    seen: dict[str, tuple[str, int]] = {}
    for where, text in occurrences:
        count = seen.get(where, (text, 0))[1]
        seen[where] = (text, count + 1)
    links = ", ".join(
        link(ctx, escape(text + (f" ({n}×)" if n > 1 else "")), where)
        for where, (text, n) in seen.items()
    )
    sources = "; ".join(link(ctx, escape(short_source(source(ctx, s))), s) for s in entry.sources)
    note = " ".join(p for p in (inlines(ctx, entry.gloss), entry_note(ctx, entry)) if p)
    # No paragraph at all for an entry without gloss and note: an attribute
    # block over a blank line would go to the next paragraph.
    note_block = f"{attrs('entry-note')}\n{note}\n\n" if note.strip() else ""
    index_term = label.replace(";", ",").replace("\n", " ")
    return (
        f":::{{index}} single: {index_term}\n:::\n\n"
        f"{attrs('index-entry', f'entry-{entry.kind}', id=entry.id)}\n"
        f"### {inlines(ctx, entry.label)}\n\n"
        f"{note_block}"
        f"{attrs('entry-sources')}\nSources: {sources}\n\n"
        f"{attrs('entry-occurrences')}\nOccurs in: {links or escape('(no occurrence)')}\n"
    )


def short_source(src: m.Source) -> str:
    """A source named by its words before the first address: author, title, where read.

    Never cut inside a word or an address; the full entry, with its addresses,
    is in the list of sources the link leads to.
    """
    words = []
    for node in src.children:
        if isinstance(node, m.Link):
            break
        words.append(plain((node,)))
    name = re.sub(r",? (?:read )?at$", "", "".join(words).strip().rstrip(" ,.:;("))
    return name or plain(src.children).strip()


def entry_note(ctx: Context, entry: m.Entry) -> str:
    """An entry's note, saying whose it is as the reading page does."""
    if not entry.note:
        return ""
    note = m.Note(entry.id, "", entry.resp, "", "", "", entry.note)
    return span(escape(note_resp_label(ctx, note)), "note-resp") + " " + inlines(ctx, entry.note)


def source(ctx: Context, source_id: str) -> m.Source:
    """A bibliographic source by id."""
    return ctx.sources_by_id[source_id]

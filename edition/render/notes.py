"""The notes page: the print editor's notes and this edition's, grouped."""

from __future__ import annotations

from edition.render.context import Context
from edition.render.escape import attrs, escape, span
from edition.render.inline import inlines, link, note_resp_label, note_sources


def notes_page(ctx: Context) -> str:
    """Every note, grouped by whose it is, each linked to its place."""
    groups = (
        ("The print editor's notes", [n for n in ctx.edition.notes if n.n]),
        ("Notes by this digital edition", [n for n in ctx.edition.notes if not n.n]),
    )
    out = ["# Notes\n"]
    for title, notes in groups:
        if not notes:
            continue
        out.append(f"## {escape(title)}\n")
        for note in notes:
            who = "note-editor" if note.n else "note-edition"
            where = ctx.loc.label_of.get(note.id, "")
            # an inline note is reached at its marker; a block note is its own place
            back = f"noteref-{note.id}" if note.id in ctx.loc.inline_notes else note.id
            out.append(f"{attrs('note-entry-title', who)}")
            out.append(f"{span(escape(where or note.id), 'entry-title', id=note.id)}\n")
            out.append(
                f"{span(escape(note_resp_label(ctx, note)), 'note-resp')} "
                f"{inlines(ctx, note.children)}{note_sources(ctx, note)}\n"
            )
            out.append(f"{link(ctx, escape('In the text'), back, 'to-text')}\n")
    return "\n".join(out)

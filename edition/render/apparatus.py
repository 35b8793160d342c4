"""The critical apparatus page: every variant with its readings and report."""

from __future__ import annotations

from edition import model as m
from edition.render.context import Context, plain
from edition.render.escape import attrs, container, escape, span
from edition.render.inline import (
    framed,
    inlines,
    link,
    note_resp_label,
    reading_label,
    witness_label,
)


def sigla_label(ctx: Context, reading: m.Reading | m.DivisionReading) -> str:
    """How a reading is introduced: its sigla, and what the witness is where the TEI says."""
    wits = escape(witness_label(ctx, reading))
    label = reading_label(ctx, reading)
    return f"{wits} ({label})" if label else wits


def apparatus_page(ctx: Context) -> str:
    """Every variant with its readings, witnesses, report and place in the text."""
    h = ctx.edition.header
    witnesses = "\n".join(
        f"- {link(ctx, escape(w.siglum), w.id)}: {inlines(ctx, w.children)}" for w in h.witnesses
    )
    std = next((p for p in h.principles if p.kind == "stdVals"), None)
    out = ["# Critical apparatus\n", f"{witnesses}\n"]
    if std and std.paragraphs:
        out.append(f"{attrs('intro')}\n{inlines(ctx, std.paragraphs[0])}\n")
    for variant in ctx.loc.variants:
        out.append(apparatus_entry(ctx, variant))
    return "\n".join(out)


def apparatus_entry(ctx: Context, variant: m.Variant | m.DivisionVariant) -> str:
    """One apparatus entry, anchored at the variant's id."""
    where = ctx.loc.label_of.get(ctx.loc.container_of.get(variant.id, variant.id), "")
    if isinstance(variant, m.Variant):
        title = f"{escape(where)}: {span(escape(plain(variant.lemma.children)), 'lemma')}"
        lemma = inlines(ctx, variant.lemma.children)
    else:
        heads = "; ".join(
            plain(d.head.children) for r in variant.readings for d in r.divisions if d.head
        )
        kind = variant.type.replace("-", " ").capitalize()
        title = f"{escape(kind)}: {span(escape(heads), 'rdg-head')}" if kind else escape(heads)
        lemma = framed(ctx, "lemma-label", variant.id, "ed")
    lines = [
        f"{attrs('app-entry-title')}",
        f"{span(title, 'entry-title', id=variant.id)}\n",
        f"- {span(sigla_label(ctx, variant.lemma), 'siglum')}: {lemma}",
    ]
    for reading in variant.readings:
        if isinstance(reading, m.Reading):
            text = inlines(ctx, reading.children)
        else:
            text = " ".join(division_summary(ctx, d) for d in reading.divisions)
        lines.append(f"- {span(sigla_label(ctx, reading), 'siglum')}: {text}")
        if reading.source:
            label = ctx.loc.label_of.get(reading.source, reading.source)
            lines.append(f"- Reported in: {link(ctx, escape(label), reading.source)}")
    for note in ctx.notes_on.get(variant.id, ()):
        lines.append(
            f"- {span(escape(note_resp_label(ctx, note)), 'note-resp')}: "
            f"{inlines(ctx, note.children)} {link(ctx, escape('(note)'), note.id)}"
        )
    lines.append(f"- In the text: {link(ctx, escape(where or 'reading text'), variant.id)}")
    return container("\n".join(lines) + "\n", "", "app-entry")


def division_summary(ctx: Context, div: m.Division) -> str:
    """A division of a reading in one line: struck heading and gap description."""
    head = inlines(ctx, div.head.children) if div.head else ""
    gaps = [b.gap for b in div.blocks if isinstance(b, m.GapBlock)]
    desc = " ".join(inlines(ctx, g.desc) for g in gaps)
    return f"{span(head, 'rdg-head')}: {desc}" if desc else head

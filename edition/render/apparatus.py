"""The critical apparatus page: every variant with its readings and report."""

from __future__ import annotations

from edition import model as m
from edition.render.context import Context, plain
from edition.render.escape import attrs, container, escape, span
from edition.render.inline import inlines, link, note_resp_label, witness_label


def reading_label(ctx: Context, reading: m.Reading | m.DivisionReading) -> str:
    """How a reading is introduced in the apparatus."""
    wits = witness_label(ctx, reading)
    russian = any(w in ctx.russian for w in reading.witnesses)
    return f"{wits} (Russian original, reported by the editor in English)" if russian else wits


def apparatus_page(ctx: Context) -> str:
    """Every variant with its readings, witnesses, report and place in the text."""
    h = ctx.edition.header
    sigla = ", ".join(
        f"{link(ctx, escape(w.siglum), w.id)} {escape(plain(w.children).split(';')[0])}"
        for w in h.witnesses
    )
    out = [
        "# Critical apparatus\n",
        f"{attrs('intro')}\nThe variants are encoded by {escape(h.variant_method)}. "
        f"Witnesses: {sigla}. Readings of the Russian original are the print editor's "
        "reports in English; no Russian text of the memo is available.\n",
    ]
    for variant in ctx.loc.variants:
        out.append(apparatus_entry(ctx, variant))
    return "\n".join(out)


def apparatus_entry(ctx: Context, variant: m.Variant | m.DivisionVariant) -> str:
    """One apparatus entry, anchored at the variant's id."""
    where = ctx.loc.label_of.get(ctx.loc.container_of.get(variant.id, variant.id), "")
    if isinstance(variant, m.Variant):
        title = f"{where}: {plain(variant.lemma.children)}"
        lemma = inlines(ctx, variant.lemma.children)
    else:
        heads = "; ".join(
            plain(d.head.children) for r in variant.readings for d in r.divisions if d.head
        )
        title = f"Deleted section: {heads}"
        lemma = span(escape("(no text: the English witnesses have no such section)"), "ed")
    lines = [
        f"{attrs('app-entry-title')}",
        f"{span(escape(title), 'entry-title', id=variant.id)}\n",
        f"- {span(escape(reading_label(ctx, variant.lemma)), 'siglum')}: {lemma}",
    ]
    for reading in variant.readings:
        if isinstance(reading, m.Reading):
            text = inlines(ctx, reading.children)
        else:
            text = " ".join(division_summary(ctx, d) for d in reading.divisions)
        lines.append(f"- {span(escape(reading_label(ctx, reading)), 'siglum')}: {text}")
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

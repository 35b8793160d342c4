"""The downloads: the TEI file and its schema, the reading text, the citations.

:func:`files` returns them as ``{site path: bytes}``, named after the
edition's identifier (see :func:`edition.publish.identifier`):

``<name>.xml``
    The TEI master file byte for byte, with an ``xml-model`` processing
    instruction naming its schema, which is published beside it.
``<name>.txt``
    The reading text (the base witness), notes after it. Italics are kept as
    ``*word*`` (Markdown's emphasis, which word counters still split); headings
    are the TEI's own, with the section numbers the page shows; a division
    without a heading gets none.
``<name>.bib``, ``<name>.ris``, ``<name>.json``
    The citation as BibTeX, RIS and CSL-JSON, from :mod:`edition.citations`;
    ``sections/<id>.ris`` and ``.bib``: each section's own citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from edition import citations, render
from edition import model as m
from edition.publish import paths
from edition.publish.dts import xml_model_pi
from edition.tei import DEFAULT_SCHEMA, Document

ITALIC_STYLES = ("emph", "italic", "title")
ITALIC_MARK = "*"
XML_SPACE = re.compile(r"[ \t\r\n]+")  # a no-break space is text, not layout


def _norm(text: str) -> str:
    return XML_SPACE.sub(" ", text).strip(" ")


def tei_download(doc: Document) -> tuple[bytes, str]:
    """The TEI file as published, and the file name its ``xml-model`` gives the schema.

    The file's own bytes are kept. If it names no schema by a plain relative
    file name, a processing instruction naming ``edition.rng`` is added after
    the XML declaration (any existing one is kept).
    """
    raw = doc.path.read_bytes()
    for pi in doc.root.itersiblings(preceding=True):
        if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model":
            href = re.search(r'href="([^"]*)"', pi.text or "")
            name = href.group(1) if href else ""
            if name and "/" not in name and ":" not in name:
                return raw, name
    name = DEFAULT_SCHEMA.name
    instruction = etree.tostring(xml_model_pi(name))
    declaration = re.match(rb"<\?xml[^>]*\?>\s*", raw)
    at = declaration.end() if declaration else 0
    return raw[:at] + instruction + b"\n" + raw[at:], name


# ---------------------------------------------------------------- plain text


def _inline(nodes: tuple[m.Inline, ...], edition: m.Edition, notes: list[m.Note]) -> str:
    """The base text of inlines: italics marked, ``[n]`` where each note is anchored."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, m.Text):
            out.append(node.text)
        elif isinstance(node, m.Variant):
            out.append(_inline(node.lemma.children, edition, notes))
        elif isinstance(node, m.NoteRef):
            notes.append(edition.note(node.note_id))
            out.append(f"[{len(notes)}]")
        elif isinstance(node, m.Supplied):
            out.append("[" + _inline(node.children, edition, notes) + "]")
        elif isinstance(node, m.Gap):
            out.append("[text not reported: " + _inline(node.desc, edition, notes) + "]")
        elif isinstance(node, m.Milestone):
            continue
        elif isinstance(node, m.Styled) and node.style in ITALIC_STYLES:
            inner = _inline(node.children, edition, notes)
            core = inner.strip(" ")
            if core:  # spaces stay outside the marks, so "*word*" reads as italics
                lead = inner[: len(inner) - len(inner.lstrip(" "))]
                trail = inner[len(inner.rstrip(" ")) :]
                out.append(f"{lead}{ITALIC_MARK}{core}{ITALIC_MARK}{trail}")
            else:
                out.append(inner)
        else:
            out.append(_inline(node.children, edition, notes))
    return "".join(out)


def _blocks(
    blocks: tuple[m.Block, ...], div: m.Division | None, edition: m.Edition, notes: list[m.Note]
) -> Iterator[str]:
    """The base text of blocks, one paragraph of text per item."""
    from edition.render import division_label, paragraph_number

    for block in blocks:
        if isinstance(block, m.Division):
            if block.head is not None:
                head = _norm(_inline(block.head.children, edition, notes))
                yield f"{division_label(block)} {head}" if block.n else head
            yield from _blocks(block.blocks, block, edition, notes)
        elif isinstance(block, m.Paragraph):
            number = paragraph_number(div, block)
            text = _norm(_inline(block.children, edition, notes))
            yield f"{number} {text}" if number else text
        elif isinstance(block, m.DivisionVariant):
            for division in block.lemma.divisions:
                yield from _blocks((division,), div, edition, notes)
        elif isinstance(block, m.NoteBlock):
            notes.append(edition.note(block.note_id))
            yield f"[{len(notes)}]"
        elif isinstance(block, m.GapBlock):
            yield _inline((block.gap,), edition, notes)


def plain_text(edition: m.Edition, url: str, cites: citations.Citations) -> str:
    """The reading text as plain text: a short title page, the text, then the notes.

    The text is the base witness's (the lemma of every variant); sections and
    paragraphs carry the numbers they have on the page; notes are numbered in
    the order of their anchors and listed after the text.
    """
    h = edition.header
    d = cites.description
    notes: list[m.Note] = []
    parts = [
        *_blocks(edition.front, None, edition, notes),
        *_blocks(edition.body, None, edition, notes),
        *_blocks(edition.back, None, edition, notes),
    ]
    lines = [
        h.title,
        f"{h.subtitle}, version {h.version}. {h.publisher}, {h.date}.",
        url,
        "",
        f"Archive: {d.document.repository}, {d.document.location}.",
    ]
    p = d.print_edition
    editor = f", ed. {p.editor.full}" if p.editor else ""
    lines.append(f"First published: {p.title}{editor} ({p.place}: {p.publisher}, {p.year}).")
    lines.append(f"Licence: {render.plain(h.licence)} {h.licence_url}".rstrip())
    lines += [_norm(render.plain(p)) for p in h.availability]
    lines += ["", "Cite as: " + cites.style("chicago-bibliography").text, "", "=" * 72, ""]
    for text in parts:
        lines += [_norm(text), ""]
    if notes:
        lines += ["=" * 72, "", "Notes", ""]
        for i, note in enumerate(notes, 1):
            who = edition.responsible.get(note.resp, note.resp)
            mark = note.n or "ed."
            text = _norm(_inline(note.children, edition, []))
            lines += [f"[{i}] ({mark}, note by {who}) {text}", ""]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- all downloads


def files(
    doc: Document,
    edition: m.Edition,
    base: str,
    name: str,
    schema_path: Path = DEFAULT_SCHEMA,
    cites: citations.Citations | None = None,
) -> tuple[dict[str, bytes], str]:
    """Every download, by site path, and the file name of the published schema."""
    url = paths.reading_url(base)
    cites = cites or citations.build(doc, edition, base)
    tei_bytes, schema_name = tei_download(doc)
    out = {
        paths.download_path(name, ".xml"): tei_bytes,
        paths.download_path(schema_name, ""): schema_path.read_bytes(),
        paths.download_path(name, ".txt"): plain_text(edition, url, cites).encode("utf-8"),
        paths.download_path(name, ".bib"): cites.bibtex().encode("utf-8"),
        paths.download_path(name, ".ris"): cites.ris().encode("utf-8"),
        paths.download_path(name, ".json"): cites.csl_json(),
        **cites.files(),
    }
    return out, schema_name

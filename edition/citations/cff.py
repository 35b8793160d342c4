"""``CITATION.cff`` from the citation model, so the file cannot drift from the header.

Run ``python -m edition.citations.cff > CITATION.cff`` after changing the
TEI header; a test fails while the committed file differs from what this
module writes. Values are written as JSON strings, which YAML reads as they
are (no quoting rules to get wrong).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from edition.citations import DEFAULT_BASE_URL, Citations, formats

ROOT = Path(__file__).resolve().parent.parent.parent
LICENCES = re.compile(r"creativecommons\.org/licenses/(?P<kind>[a-z-]+)/(?P<version>[\d.]+)")


def spdx(licence_url: str) -> str:
    """The SPDX id of a Creative Commons licence URL ("CC-BY-4.0"), or "" if unknown."""
    found = LICENCES.search(licence_url)
    return f"CC-{found['kind'].upper()}-{found['version']}" if found else ""


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render(cites: Citations, licence_url: str) -> str:
    """The text of ``CITATION.cff``."""
    d = cites.description
    digital, printed, doc = d.digital_edition, d.print_edition, d.document
    item = cites.item()
    licence = spdx(licence_url)
    title = f"{digital.title}: {digital.subtitle}" if digital.subtitle else digital.title
    editor = printed.editor
    notes = f"{formats.archive_line(item)}. {formats.first_publication(item)}. {cites.provenance}"
    lines = [
        "# How to cite this digital edition (Citation File Format 1.2.0).",
        "# Generated from the TEI header's bibliographic description by",
        "# `python -m edition.citations.cff > CITATION.cff`: do not edit by hand.",
        "cff-version: 1.2.0",
        'message: "If you use this digital edition, please cite it as below."',
        "type: dataset",
        f"title: {_q(title)}",
        f"version: {_q(digital.version)}",
        f"date-released: {digital.date}",
        *([f"license: {licence}"] if licence else []),
        f"url: {_q(digital.address or DEFAULT_BASE_URL)}",
        "authors:",
        f"  - name: {_q(digital.responsible or digital.publisher)}",
        "abstract: "
        + _q(
            f"A digital edition of a memo in the {doc.repository}, {doc.shelfmark} "
            f"({doc.translation.label}, {doc.translation.leaves}), from its first publication, "
            f"the {printed.year} print edition"
            + (f" edited by {editor.full}" if editor else "")
            + f" ({printed.place}: {printed.publisher})."
        ),
        "preferred-citation:",
        "  type: book",
        f"  title: {_q(digital.title)}",
        "  authors:",
        *(f"    - name: {_q(a['literal'])}" for a in item["author"] if "literal" in a),
        "  publisher:",
        f"    name: {_q(digital.publisher)}",
        f"  edition: {_q(digital.edition)}",
        f"  date-published: {digital.date}",
        f"  year: {digital.year}",
        f"  url: {_q(cites.url)}",
        f"  notes: {_q(notes)}",
        "references:",
        "  - type: book",
        f"    title: {_q(printed.title)}",
    ]
    if editor is not None:
        lines += [
            "    editors:",
            f"      - family-names: {_q(editor.family)}",
            f"        given-names: {_q(editor.given)}",
        ]
    lines += [
        "    publisher:",
        f"      name: {_q(printed.publisher)}",
        *([f"      city: {_q(printed.place)}"] if printed.place else []),
        f"    year: {printed.year}",
        "  - type: historical-work",
        f"    title: {_q(doc.title)}",
        "    authors:",
        f"      - name: {_q(doc.author)}",
        f"    collection-title: {_q(', '.join(p for p in (doc.collection, doc.shelfmark) if p))}",
        "    location:",
        f"      name: {_q(doc.repository)}",
        *([f"      city: {_q(doc.settlement)}"] if doc.settlement else []),
        f"    notes: {_q(f'{doc.location}. {cites.provenance}')}",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Print the CITATION.cff of the edition's own TEI file (loaded by the pipeline)."""
    from edition import pipeline

    sys.stdout.write(pipeline.citation_file(ROOT / "tei" / "nucleus.xml"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

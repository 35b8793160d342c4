"""The one data file the pipeline writes for the Sphinx side: ``edition/_site.json``.

Sphinx never reads the TEI. What its extension needs beyond the pages (the
``<head>`` tags every page carries, each citation in every style, the cite
boxes, the list of downloads, the schema's name) is worked out once, here,
from the loaded document, and written beside the pages. The extension
reads it (and registers it as a dependency, so that a changed file re-reads
the pages that use it).
"""

from __future__ import annotations

import json
from collections.abc import Set as AbstractSet
from typing import Any

from edition.citations import Citations, citebox, section_file
from edition.publish import paths
from edition.publish.paths import EXTRA_DIR, document_path

SITE_DATA = "edition/_site.json"
# What each kind of download is, for the downloads page.
KINDS = {
    ".xml": "TEI P5 XML master file, the single source of the edition",
    ".rng": "its RELAX NG schema, named in the file's xml-model instruction",
    ".txt": "the reading text as plain text, notes after the text",
    ".bib": "the citation as BibTeX (biblatex)",
    ".ris": "the citation as RIS (Zotero, EndNote, Mendeley)",
    ".json": "the citation as CSL-JSON (Zotero, Pandoc)",
}
DTS_ENTRY = (paths.DTS_ENTRY, "the entry point of the Distributed Text Services API")


def downloads(files: list[str], resource: str) -> list[dict[str, str]]:
    """The edition's downloads in the order a reader wants them: TEI, schema, text, citations."""
    order = list(KINDS)
    main = [
        f
        for f in files
        if f.startswith(paths.DOWNLOADS + "/") and f.count("/") == 1 and f[f.rfind(".") :] in KINDS
    ]
    main.sort(key=lambda f: (order.index(f[f.rfind(".") :]), f))
    out = [{"path": f, "what": KINDS[f[f.rfind(".") :]]} for f in main]
    if DTS_ENTRY[0] in files:
        out.append({"path": DTS_ENTRY[0], "what": DTS_ENTRY[1]})
    return out


def box_files(
    files: AbstractSet[str], resource: str, section_id: str | None
) -> list[tuple[str, str]]:
    """The files a cite box links: the citation's own RIS and BibTeX, and its TEI.

    ``files`` is a set: it is searched once per box (a thousand at 100x).
    """
    if section_id is None:
        wanted = [
            ("RIS", paths.download_path(resource, ".ris")),
            ("BibTeX", paths.download_path(resource, ".bib")),
            ("CSL-JSON", paths.download_path(resource, ".json")),
            ("TEI", paths.download_path(resource, ".xml")),
        ]
    else:
        wanted = [
            ("RIS", section_file(section_id, "ris")),
            ("BibTeX", section_file(section_id, "bib")),
            ("TEI", document_path(resource, section_id)),
        ]
    return [(label, path) for label, path in wanted if path in files]


def build(cites: Citations, files: list[str], resource: str) -> dict[str, Any]:
    """Everything the extension reads, as one JSON-ready dict; ``files`` are the published ones."""
    h = cites.description.digital_edition
    schema = next(
        (
            f.removeprefix(paths.DOWNLOADS + "/")
            for f in files
            if f.startswith(paths.DOWNLOADS + "/") and f.endswith(".rng")
        ),
        "",
    )
    data = cites.site_data()
    published = frozenset(files)
    data.update(
        {
            "resource": resource,
            "extra_dir": EXTRA_DIR,
            "reading_page": paths.reading_page().removesuffix(".html"),
            "schema": schema,
            "tei": paths.download_path(resource, ".xml"),
            "description": f"{h.title}. {h.subtitle}, version {h.version}."
            if h.subtitle
            else f"{h.title}.",
            "downloads": downloads(files, resource),
            "boxes": {
                "": citebox.cite_box(cites, None, box_files(published, resource, None)),
                **{
                    s.id: citebox.cite_box(cites, s.id, box_files(published, resource, s.id))
                    for s in cites.sections
                },
            },
            # the reading page's short boxes: the Chicago note, every style a link away
            "note_boxes": {
                s.id: citebox.note_box(cites, s.id, box_files(published, resource, s.id))
                for s in cites.sections
            },
        }
    )
    return data


def dumps(data: dict[str, Any]) -> str:
    """Stable JSON text, so an unchanged edition rewrites nothing.

    Compact: only the extension reads it, and without indentation Python's
    encoder runs in C (the file holds every citation of every section).
    """
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

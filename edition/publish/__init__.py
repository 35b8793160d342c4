"""Files the site publishes besides its pages: downloads, a static DTS API, robots.txt.

:func:`extra_files` returns them all as ``{site path: bytes}``; where they are
written is the pipeline's business. Every address comes from
:mod:`edition.publish.paths`; the names come from the TEI file's own
identifier (:func:`identifier`), never from its file name, so the published
addresses do not depend on where the file happens to be kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from edition.publish import paths

if TYPE_CHECKING:
    from edition import citations
    from edition import model as m
    from edition.tei import Document

# The pipeline's modules are imported where they are used: the package is
# imported with ``edition.publish.paths`` by conf.py in Sphinx's process,
# which should not load the pipeline (its DTS, downloads, citations, TEI).

IDNO_TYPE = "edition"


def identifier(doc: Document) -> str:
    """The edition's short identifier, which names the DTS resource and the downloads.

    ``publicationStmt/idno[@type="edition"]``, else ``TEI/@xml:id``. A name
    that could not be a path segment, or none at all, is an error.
    """
    from edition.errors import EditionError
    from edition.tei import NS, XML_ID

    idno = doc.root.find(
        f"tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[@type='{IDNO_TYPE}']", NS
    )
    value = (idno.text or "").strip() if idno is not None else doc.root.get(XML_ID, "")
    where = idno if idno is not None else doc.root
    if not value or not all(c.isalnum() or c in "-_." for c in value) or value[0] == ".":
        problem = f'publicationStmt has no <idno type="{IDNO_TYPE}"> naming the edition'
        if value:
            problem = f'the edition identifier "{value}" cannot name a file'
        raise EditionError(
            [
                doc.problem(
                    where,
                    problem,
                    f'add <idno type="{IDNO_TYPE}">short-name</idno> after <publisher> '
                    "(letters, digits, '-', '_', '.'): it names the downloads and the DTS resource",
                )
            ]
        )
    return value


def robots_txt(base: str) -> str:
    """Let every crawler in and tell it where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {paths.sitemap_url(base)}\n"


def extra_files(
    doc: Document,
    edition: m.Edition,
    base: str | None = None,
    schema_path: Path | None = None,
    cites: citations.Citations | None = None,
) -> dict[str, bytes]:
    """Every file to publish at the site root besides the pages: ``{path: bytes}``.

    ``base`` is the site's URL (default :func:`edition.publish.paths.base_url`);
    ``schema_path`` the schema published beside the TEI (default the project's);
    ``cites`` the edition's citations, if the caller has built them already.
    """
    from edition import citations
    from edition.publish import downloads, dts
    from edition.tei import DEFAULT_SCHEMA

    schema_path = schema_path or DEFAULT_SCHEMA
    base = base or paths.base_url()
    name = identifier(doc)
    cites = cites or citations.build(doc, edition, base)
    out, schema_name = downloads.files(doc, edition, base, name, schema_path, cites)
    out[paths.ROBOTS] = robots_txt(base).encode("utf-8")
    out.update(dts.files(doc, edition, base, name, schema_name, cites))
    return out

"""The citation model: CSL-JSON items for the edition and for each of its sections.

CSL-JSON is the model because it is what citation processors (citeproc-py
here, citeproc-js in Zotero, Pandoc) and reference managers read. Every
other form (the styles, BibTeX, RIS, the page's ``<head>`` tags) is made
from these items, so they cannot disagree.

Item types, and why:

* the edition is a ``book``: a published, edited whole with a publisher,
  an edition statement ("digital edition, version 1.0") and an address.
  Zotero imports it as a Book, whose fields include Edition, Archive and
  Loc. in Archive. (``book`` with ``version`` would import as a computer
  program, so the version is given in ``edition``.)
* a section is a ``chapter`` of that book (Zotero: Book Section), titled
  with its heading, at the address of the reading page with the section's
  anchor.

Dates: ``issued`` is this digital edition's date. ``original-date`` (with
``original-publisher`` and its place) is the memo's *first publication*,
the 2005 print edition, which APA prints as "Original work published 2005"
and Chicago as "originally published". The memo's own date (11 July 1923,
the hand-dating of the Russian original) is not a publication date; it is
given in ``note`` as ``Original Date: 1923-07-11``, the line Zotero's Extra
field holds, since Zotero has no field for the date of a document in an
edition. The archive and the leaves are CSL's ``archive``,
``archive-place`` and ``archive_location``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from edition import model as m
from edition import parts
from edition.citations.description import Description
from edition.publish.paths import part_url

Item = dict[str, Any]
ARTICLES = ("A ", "An ", "The ")


@dataclass(frozen=True)
class Section:
    """One citable section: id, printed label ("§ 1") and the title it is cited by.

    ``page`` names the part of a long text that shows it (:mod:`edition.parts`);
    empty for the reading page itself.
    """

    id: str
    label: str
    title: str
    numbered: bool
    page: str = ""


def _plain(inlines: tuple[m.Inline, ...]) -> str:
    """The words of a heading as the page shows them (see :func:`edition.render.plain`)."""
    from edition import render  # late: render imports this package for the cite boxes

    return render.plain(inlines)


def sections(edition: m.Edition) -> tuple[Section, ...]:
    """The citable sections: the body's own divisions, in order.

    A heading's closing full stop gives way to the citation's punctuation.
    A division without a heading (the opening paragraph) is cited by a
    bracketed description, as Chicago cites untitled parts; "Preamble" is
    no heading of the memo's.
    """
    out = []
    page_of = parts.page_of(edition)
    for i, div in enumerate(b for b in edition.body if isinstance(b, m.Division)):
        heading = " ".join(_plain(div.head.children).split()).rstrip(".") if div.head else ""
        paras = sum(isinstance(b, m.Paragraph) for b in div.blocks)
        if heading:
            title = heading
        elif i == 0:
            title = (
                "[Untitled opening paragraph]" if paras == 1 else "[Untitled opening paragraphs]"
            )
        else:
            title = "[Untitled section]"
        page = page_of[div.id]
        label = f"§ {div.n}" if div.n.isdigit() else ""
        # the reading page itself is named by the empty page
        out.append(
            Section(div.id, label, title, bool(heading), "" if page == parts.READING else page)
        )
    return tuple(out)


def citation_key(d: Description, section: Section | None = None) -> str:
    """A stable key: the title's first words, the year, and the section's id."""
    main = d.digital_edition.title.split(":", 1)[0]
    for article in ARTICLES:
        main = main.removeprefix(article)
    slug = re.sub(r"[^a-z0-9]+", "-", main.lower()).strip("-") or "edition"
    key = f"{slug}-{d.digital_edition.year}"
    return f"{key}-{section.id}" if section is not None else key


def _date(iso: str) -> dict[str, list[list[int]]]:
    """CSL's date form: ``{"date-parts": [[2026, 11, 25]]}``."""
    return {"date-parts": [[int(p) for p in iso.split("-") if p.isdigit()]]}


def original_date_line(d: Description) -> str:
    """Zotero's Extra line for the memo's own date: ``Original Date: 1923-07-11``."""
    return f"Original Date: {d.document.date}" if d.document.date else ""


def item(d: Description, url: str, section: Section | None = None) -> Item:
    """The CSL-JSON item of the edition at ``url`` (its reading page), or of one section."""
    if section is None:
        return _item(d, url, None)
    # A section's item is the edition's chapter item with its own four fields: the
    # rest is worked out once per edition (a thousand sections at 100x).
    data = dict(_chapter(d, url))
    data.update(
        {
            "id": citation_key(d, section),
            "title": section.title,
            "section": section.label,
            "URL": f"{part_url(url, section.page)}#{section.id}",
        }
    )
    return {k: v for k, v in data.items() if v not in ("", None, [])}


@functools.lru_cache(maxsize=16)
def _chapter(d: Description, url: str) -> Item:
    """The fields every section's item shares, in the item's order (not to be changed)."""
    return _item(d, url, Section("", "", "", False), keep_empty=True)


def _item(d: Description, url: str, section: Section | None, keep_empty: bool = False) -> Item:
    doc, digital, printed = d.document, d.digital_edition, d.print_edition
    data: Item = {
        "id": citation_key(d, section),
        "type": "chapter" if section is not None else "book",
        "author": [{"literal": doc.author}],
        "title": section.title if section is not None else digital.title,
        "container-title": digital.title if section is not None else "",
        "section": section.label if section is not None else "",
        "edition": digital.edition,
        "publisher": digital.publisher,
        "issued": _date(digital.date),
        "original-date": _date(printed.date) if printed.date else None,
        "original-publisher": printed.publisher,
        "original-publisher-place": printed.place,
        "URL": f"{url}#{section.id}" if section is not None else url,
        "language": d.language,
        "archive": doc.repository,
        "archive-place": doc.settlement,
        "archive_location": doc.location,
        "note": original_date_line(d),
    }
    if keep_empty:
        return data
    return {k: v for k, v in data.items() if v not in ("", None, [])}

"""BibTeX (biblatex), RIS and Zotero's page tags, written from the CSL-JSON items.

Each writer maps the item's variables to the fields its readers know, with
Zotero's import translators (``BibTeX.js``, ``RIS.js``, ``Embedded
Metadata.js``) as the test of what arrives:

* RIS ``TY  - BOOK``/``CHAP`` (``EDBOOK`` would make every ``AU`` an
  editor); ``AU`` without a comma is one corporate name; ``DB`` is the
  archive, ``AN`` the location in it, ``M2`` goes to Extra.
* BibTeX ``@book``/``@inbook``; the corporate author is braced so that it
  is one name. Zotero's BibTeX import has no archive field: the archive is
  in ``addendum``, which biblatex prints. ``origdate`` and
  friends describe the 2005 print edition, the first publication.
* Page tags: Highwire ``citation_*`` and ``z.*``. ``citation_author`` ends
  in a comma, which Zotero reads as a family name alone, so the ECCI stays
  one name.
"""

from __future__ import annotations

from edition.citations.model import Item

BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX = str.maketrans(BIBTEX_SPECIALS)
ZOTERO_TYPES = {"book": "book", "chapter": "bookSection"}
RIS_TYPES = {"book": "BOOK", "chapter": "CHAP"}


def _iso(item: Item, key: str) -> str:
    """A CSL date as ISO text: ``2026-11-25``."""
    parts = item.get(key, {}).get("date-parts", [[]])[0]
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))


def _author(item: Item) -> str:
    """The one (corporate) author's name."""
    return " and ".join(a.get("literal") or f"{a['family']}, {a['given']}" for a in item["author"])


def archive_line(item: Item) -> str:
    """The archive, its place and the location in it, as one line."""
    parts = (item.get("archive", ""), item.get("archive-place", ""))
    where = ", ".join(p for p in parts if p)
    return f"{where}, {item['archive_location']}" if item.get("archive_location") else where


def first_publication(item: Item) -> str:
    """The first publication: "First published Corvallis, OR: 1000 Flowers Publishing, 2005"."""
    year = _iso(item, "original-date")
    if not year:
        return ""
    place = item.get("original-publisher-place", "")
    publisher = item.get("original-publisher", "")
    imprint = ": ".join(p for p in (place, publisher) if p)
    return f"First published {imprint}, {year}" if imprint else f"First published {year}"


def _tex(text: str) -> str:
    """Escape the characters that TeX reads as commands."""
    return text.translate(_TEX)


def bibtex(item: Item, provenance: str) -> str:
    """A biblatex entry: ``@book`` for the edition, ``@inbook`` for a section."""
    chapter = item["type"] == "chapter"
    issued = _iso(item, "issued")
    fields: list[tuple[str, str]] = [
        ("author", "{" + _tex(_author(item)) + "}"),
        ("title", "{" + _tex(item["title"]) + "}"),
    ]
    if chapter:
        fields.append(("booktitle", "{" + _tex(item["container-title"]) + "}"))
    fields += [
        ("edition", _tex(item.get("edition", ""))),
        ("publisher", "{" + _tex(item["publisher"]) + "}"),
        ("date", issued),
        ("year", issued[:4]),
        ("url", item["URL"]),
        ("language", _tex(item.get("language", ""))),
        ("origdate", _iso(item, "original-date")),
        ("origlocation", _tex(item.get("original-publisher-place", ""))),
        (
            "origpublisher",
            "{" + _tex(item["original-publisher"]) + "}" if item.get("original-publisher") else "",
        ),
        ("addendum", _tex(f"{archive_line(item)}. {first_publication(item)}. {provenance}")),
        ("note", _tex(item.get("note", ""))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{'inbook' if chapter else 'book'}{{{item['id']},\n{body}\n}}\n"


def ris(item: Item, provenance: str) -> str:
    """An RIS record, lines ending in CRLF as RIS has it."""
    chapter = item["type"] == "chapter"
    issued = _iso(item, "issued")
    year, month, day = [*issued.split("-"), "", ""][:3]
    lines = [("TY", RIS_TYPES[item["type"]]), ("AU", _author(item)), ("TI", item["title"])]
    if chapter:
        lines.append(("T2", item["container-title"]))
    lines += [
        ("ET", item.get("edition", "")),
        ("PB", item["publisher"]),
        ("PY", year),
        ("DA", f"{year}/{month}/{day}/" if day else year),
        ("UR", item["URL"]),
        ("LA", item.get("language", "")),
        ("DB", item.get("archive", "")),
        ("AN", item.get("archive_location", "")),
        ("M2", item.get("note", "")),
        ("N1", f"{first_publication(item)}. {provenance}".strip()),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value or tag == "ER")


def _zotero_name(name: dict[str, str]) -> str:
    """A name as Zotero splits it: "Family, Given"; a trailing comma keeps an org's name whole."""
    if "literal" in name:
        return f"{name['literal']},"
    return f"{name['family']}, {name.get('given', '')}".rstrip()


def zotero_tags(item: Item) -> list[tuple[str, str]]:
    """``<meta name content>`` pairs as Zotero's Embedded Metadata translator reads them.

    The item type is set by ``z.itemType``; ``citation_inbook_title`` would
    also make a section, but the page is the whole edition. Nothing here
    names an editor: the digital edition has none, and the print editor's
    part is said in the citations' closing sentence.
    """
    issued = _iso(item, "issued")
    tags = [
        ("citation_title", item["title"]),
        *(("citation_author", _zotero_name(a)) for a in item["author"]),
        ("citation_publication_date", issued.replace("-", "/")),
        ("citation_publisher", item["publisher"]),
        ("citation_public_url", item["URL"]),
        ("citation_language", item.get("language", "")),
        ("z.itemType", ZOTERO_TYPES[item["type"]]),
        ("z.edition", item.get("edition", "")),
        ("z.archive", item.get("archive", "")),
        ("z.archiveLocation", item.get("archive_location", "")),
        ("z.extra", item.get("note", "")),
    ]
    return [(k, v) for k, v in tags if v]

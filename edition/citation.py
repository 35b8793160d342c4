"""How to cite the edition: Chicago, MLA, APA, BibTeX, RIS and CSL-JSON, from the model.

Every fact comes from :class:`edition.model.Edition` (the TEI header): the
author, the title, the print editor, the publisher, version and date of this
digital edition, the archival item and its leaves, and the print edition that
the witness list describes. Nothing about the memo is written here, so a
corrected header corrects every citation, page and download at once.

A citation names the whole edition, or one section of it when a
:class:`~edition.model.Division` is given (its number and heading, and the
URL of the reading page with the section's id as fragment).

The site's base URL
-------------------

:func:`base_url` says where the site is published, for canonical links,
citations, the sitemap and the DTS files. It reads, in order:

1. ``EDITION_BASE_URL``, set by whoever publishes elsewhere (GitHub Pages,
   a test server);
2. ``READTHEDOCS_CANONICAL_URL``, which Read the Docs sets in its builds;
3. :data:`DEFAULT_BASE_URL`, the edition's Read the Docs address.

The result always ends with ``/``, so page paths can be appended to it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import partial
from html import escape as html_escape

from edition import model as m

DEFAULT_BASE_URL = "https://nucleus-in-america.readthedocs.io/en/latest/"
# MLA abbreviates the names of months longer than four letters.
MLA_MONTHS = (
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
# "Title, edited ... by NAME (PLACE: PUBLISHER, YEAR)": how the witness list
# describes a printed witness, in the form of a Chicago note.
PRINTED = re.compile(
    r"^(?P<title>[^,(]+?),[^(]*\((?P<place>[^:()]+):\s*(?P<publisher>[^,()]+),\s*(?P<year>\d{4})\)"
)
ARTICLES = ("A ", "An ", "The ")


def base_url() -> str:
    """Where the site is published, ending in ``/`` (see the module docstring)."""
    url = (
        os.environ.get("EDITION_BASE_URL", "").strip()
        or os.environ.get("READTHEDOCS_CANONICAL_URL", "").strip()
        or DEFAULT_BASE_URL
    )
    return url if url.endswith("/") else url + "/"


def versioned_base_url(version: str) -> str:
    """Where one version of the edition stays published; citations name it, never ``latest``.

    Read the Docs (and the default address) builds each version from its git
    tag at ``/<language>/<version>/``; elsewhere (``EDITION_BASE_URL``) the
    build publishes each version at ``<base><version>/``, beside the latest.
    """
    base = base_url()
    if not version:
        return base
    if os.environ.get("EDITION_BASE_URL", "").strip():
        return f"{base}{version}/"
    return re.sub(r"[^/]+/$", f"{version}/", base)


def reading_url(base: str | None = None) -> str:
    """The URL of the reading page, where every section is cited."""
    from edition import render  # imported late: render may cite through this module

    return f"{base or base_url()}{render.GENERATED_DIR}/{render.READING}.html"


def plain(inlines: tuple[m.Inline, ...]) -> str:
    """The words of inlines, as the page shows them (see :func:`edition.render.plain`)."""
    from edition import render

    return render.plain(inlines)


def division_label(division: m.Division) -> str:
    """How the page labels a division: "Preamble", "§ 3" (see :mod:`edition.render`)."""
    from edition import render

    return render.division_label(division)


def sections(edition: m.Edition) -> tuple[m.Division, ...]:
    """The citable sections: the body's own divisions, in order.

    Divisions inside a variant (a section only one witness has) are not part
    of the edited text and have no place in the citation structure.
    """
    return tuple(b for b in edition.body if isinstance(b, m.Division))


# ---------------------------------------------------------------- facts


@dataclass(frozen=True)
class Person:
    """A personal name split for styles that invert it (family name last word)."""

    given: str
    family: str

    @classmethod
    def parse(cls, name: str) -> Person:
        """Split "Given Names Family"; a one-word name is all family name."""
        parts = name.split()
        return cls(" ".join(parts[:-1]), parts[-1] if parts else "")

    @property
    def full(self) -> str:
        """Given names first."""
        return f"{self.given} {self.family}".strip()

    @property
    def inverted(self) -> str:
        """Family name first, as bibliographies sort."""
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def initials(self) -> str:
        """APA's form: initials then family name."""
        initials = " ".join(f"{g[0]}." for g in self.given.split())
        return f"{initials} {self.family}".strip()


@dataclass(frozen=True)
class Printed:
    """The print edition, as the witness list describes it."""

    title: str
    editor: str
    place: str
    publisher: str
    year: str


@dataclass(frozen=True)
class Archival:
    """The archival item that holds the base text."""

    repository: str
    settlement: str
    country: str
    shelfmark: str
    locus: str

    @property
    def reference(self) -> str:
        """Specific to general, as Chicago cites archives: shelfmark, leaves, archive, city."""
        parts = [self.shelfmark, self.locus, self.repository, self.settlement]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Section:
    """One cited section: its id, printed number, label and heading."""

    id: str
    number: str
    label: str
    heading: str

    @property
    def title(self) -> str:
        """The heading, or the label for a section without one (the preamble)."""
        return self.heading or self.label

    @property
    def numbered(self) -> bool:
        """True when the section has a printed number and a heading to go with it."""
        return bool(self.heading) and self.label != self.heading


@dataclass(frozen=True)
class Facts:
    """Everything a citation states, drawn once from the model."""

    author: str
    title: str
    genre: str
    editor: Person
    publisher: str
    version: str
    date: str
    language: str
    licence_url: str
    origin_date: str
    url: str
    page_url: str
    archival: Archival
    printed: Printed | None
    section: Section | None

    @property
    def year(self) -> str:
        """The year this digital edition was published."""
        return self.date[:4]

    @property
    def origin_year(self) -> str:
        """The year the text itself was written."""
        return self.origin_date[:4]

    @property
    def edition_statement(self) -> str:
        """E.g. "Digital edition, version 1.0"."""
        genre = self.genre[:1].upper() + self.genre[1:]
        return f"{genre}, version {self.version}" if self.version else genre


def _strip_end(text: str) -> str:
    """A heading without its closing full stop, for use inside a citation."""
    return text.strip().rstrip(".").strip()


def _genre(subtitle: str) -> str:
    """The kind of publication, mid-sentence: ``A digital edition`` -> ``digital edition``."""
    for article in ARTICLES:
        if subtitle.startswith(article):
            subtitle = subtitle[len(article) :]
            break
    return subtitle[:1].lower() + subtitle[1:]


def printed_edition(edition: m.Edition) -> Printed | None:
    """The print edition: the witness that is no archival item, read from its description."""
    for wit in edition.header.witnesses:
        if wit.items:
            continue
        found = PRINTED.match(plain(wit.children))
        if found:
            return Printed(
                title=found["title"].strip(),
                editor=edition.header.editor,
                place=found["place"].strip(),
                publisher=found["publisher"].strip(),
                year=found["year"],
            )
    return None


def archival_source(edition: m.Edition) -> Archival:
    """The archival item of the base text: the leaves of the first witness that has any."""
    ms = edition.header.manuscript
    items = {item.id: item for item in ms.items}
    base = next((w for w in edition.header.witnesses if w.items), None)
    loci = [items[i].locus for i in (base.items if base else ()) if i in items]
    return Archival(ms.repository, ms.settlement, ms.country, ms.idno, ", ".join(loci))


def section_facts(division: m.Division) -> Section:
    """How a division is cited: number, label (e.g. "§ 1") and heading."""
    heading = _strip_end(plain(division.head.children)) if division.head else ""
    return Section(division.id, division.n, division_label(division), heading)


def facts(edition: m.Edition, url: str, division: m.Division | None = None) -> Facts:
    """Collect what a citation of ``edition`` (or of one section) at ``url`` states.

    ``url`` is the page's URL; for a section the section's id is added as the
    fragment, since every section has a permanent anchor on the page.
    """
    h = edition.header
    page_url = url.split("#", 1)[0]
    return Facts(
        author=h.author,
        title=h.title,
        genre=_genre(h.subtitle) or "edition",
        editor=Person.parse(h.editor),
        publisher=h.publisher,
        version=h.version,
        date=h.date,
        language=h.languages[0][0] if h.languages else "",
        licence_url=h.licence_url,
        origin_date=h.creation_date,
        url=f"{page_url}#{division.id}" if division is not None else url,
        page_url=page_url,
        archival=archival_source(edition),
        printed=printed_edition(edition),
        section=section_facts(division) if division is not None else None,
    )


# ---------------------------------------------------------------- prose styles


def _italic(text: str, html: bool) -> str:
    """Italics, which plain text cannot show and HTML marks with ``<i>``."""
    return f"<i>{html_escape(text)}</i>" if html else text


def _text(text: str, html: bool) -> str:
    """Ordinary text, escaped when the result is HTML."""
    return html_escape(text) if html else text


def _mla_date(iso: str) -> str:
    """MLA's date: ``2026-11-25`` -> ``25 Nov. 2026``."""
    parts = iso.split("-")
    if len(parts) != 3:
        return iso
    return f"{int(parts[2])} {MLA_MONTHS[int(parts[1]) - 1]} {parts[0]}"


def _section_part(s: Section, closing: str) -> str:
    """``§ 1, “Heading,”`` or ``Preamble,``: closing punctuation inside the quotes."""
    if s.numbered:
        return f"{s.label}, “{s.heading}{closing}”"
    return f"{s.title}{closing}"


def chicago_note(
    edition: m.Edition, url: str, division: m.Division | None = None, *, html: bool = False
) -> str:
    """A Chicago notes-bibliography note (17th ed., 14.2), for a footnote."""
    f = facts(edition, url, division)
    t = partial(_text, html=html)
    out = f"{t(f.author)}, {_italic(f.title, html)}, "
    if f.section is not None:
        out += t(_section_part(f.section, ",")) + " "
    out += t(
        f"ed. {f.editor.full}, {f.genre}, version {f.version} ({f.publisher}, {f.year}), {f.url}"
    )
    if f.printed is not None:
        p = f.printed
        out += (
            t("; originally published in ")
            + _italic(p.title, html)
            + t(f", ed. {p.editor} ({p.place}: {p.publisher}, {p.year})")
        )
    out += t(f"; original: {f.archival.reference}.")
    return out


def chicago_bibliography(
    edition: m.Edition, url: str, division: m.Division | None = None, *, html: bool = False
) -> str:
    """A Chicago notes-bibliography bibliography entry (17th ed., 14.2)."""
    f = facts(edition, url, division)
    t = partial(_text, html=html)
    out = f"{t(f.author)}. {_italic(f.title, html)}. "
    if f.section is not None:
        out += t(_section_part(f.section, ".")) + " "
    out += t(f"Edited by {f.editor.full}. {f.edition_statement}. {f.publisher}, {f.year}. {f.url}.")
    if f.printed is not None:
        p = f.printed
        out += (
            t(" Originally published in ")
            + _italic(p.title, html)
            + t(f", edited by {p.editor}. {p.place}: {p.publisher}, {p.year}.")
        )
    out += t(f" Original: {f.archival.reference}.")
    return out


def mla(
    edition: m.Edition, url: str, division: m.Division | None = None, *, html: bool = False
) -> str:
    """An MLA (9th ed.) works-cited entry: the section as the source, the edition as container."""
    f = facts(edition, url, division)
    t = partial(_text, html=html)
    out = t(f"{f.author}. ")
    if f.section is not None:
        out += t(_section_part(f.section, ".")) + " " + _italic(f.title, html) + t(", edited by ")
    else:
        out += _italic(f.title, html) + t(". Edited by ")
    out += t(
        f"{f.editor.full}, {f.genre}, version {f.version}, {f.publisher}, "
        f"{_mla_date(f.date)}, {f.url}."
    )
    if f.printed is not None:
        p = f.printed
        out += t(f" Originally published by {p.publisher}, {p.year}.")
    out += t(f" Original: {f.archival.reference}.")
    return out


def apa(
    edition: m.Edition, url: str, division: m.Division | None = None, *, html: bool = False
) -> str:
    """An APA (7th ed.) reference: a part of an edited work, republished from an original."""
    f = facts(edition, url, division)
    t = partial(_text, html=html)
    genre = f.genre[:1].upper() + f.genre[1:]
    out = t(f"{f.author}. ({f.year}). ")
    if f.section is not None:
        s = f.section
        name = f"{s.label}, {s.heading}" if s.numbered else s.title
        out += (
            t(f"{name}. In {f.editor.initials} (Ed.), ")
            + _italic(f.title, html)
            + t(f" (Version {f.version}) [{genre}]. ")
        )
    else:
        out += _italic(f.title, html) + t(
            f" ({f.editor.initials}, Ed.; Version {f.version}) [{genre}]. "
        )
    out += t(f"{f.publisher}. {f.url} (Original work published {f.origin_year})")
    if f.printed is not None:
        p = f.printed
        out += t(f". Print edition: {p.place}: {p.publisher}, {p.year}")
    out += t(f". Original: {f.archival.reference}.")
    return out


# ---------------------------------------------------------------- reference manager formats


def citation_key(edition: m.Edition, division: m.Division | None = None) -> str:
    """A stable BibTeX key: the title's first words, the year, and the section's id."""
    main = edition.header.title.split(":", 1)[0]
    for article in ARTICLES:
        if main.startswith(article):
            main = main[len(article) :]
            break
    slug = re.sub(r"[^a-z0-9]+", "-", main.lower()).strip("-") or "edition"
    key = f"{slug}-{edition.header.date[:4]}"
    return f"{key}:{division.id}" if division is not None else key


def _bibtex_value(text: str) -> str:
    """Escape the characters that TeX reads as commands."""
    specials = {
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
    return "".join(specials.get(ch, ch) for ch in text)


def _notes(f: Facts) -> str:
    """The print edition and the archival original, in one sentence each."""
    out = []
    if f.printed is not None:
        p = f.printed
        out.append(
            f"Originally published in {p.title}, ed. {p.editor} "
            f"({p.place}: {p.publisher}, {p.year})."
        )
    out.append(f"Original: {f.archival.reference}.")
    return " ".join(out)


def bibtex(edition: m.Edition, url: str, division: m.Division | None = None) -> str:
    """A BibTeX entry (``@book``, or ``@incollection`` for a section).

    Titles and corporate names are braced twice so that BibTeX keeps their
    capitals and does not split them into personal names. Fields that only
    biblatex reads (``date``, ``origdate``, ``origlocation``, ``origpublisher``,
    ``version``) are ignored by BibTeX. The edition statement goes in ``note``:
    BibTeX styles print ``edition`` as an ordinal ("Second edition").
    """
    f = facts(edition, url, division)
    fields: list[tuple[str, str]] = [("author", "{" + _bibtex_value(f.author) + "}")]
    if f.section is not None:
        fields.append(("title", "{" + _bibtex_value(f.section.title) + "}"))
        fields.append(("booktitle", "{" + _bibtex_value(f.title) + "}"))
        if f.section.numbered:
            fields.append(("chapter", _bibtex_value(f.section.number)))
    else:
        fields.append(("title", "{" + _bibtex_value(f.title) + "}"))
    fields += [
        ("editor", _bibtex_value(f.editor.inverted)),
        ("version", _bibtex_value(f.version)),
        ("publisher", "{" + _bibtex_value(f.publisher) + "}"),
        ("year", f.year),
        ("date", f.date),
        ("url", f.url),
        ("origdate", f.origin_date),
    ]
    if f.printed is not None:
        fields += [
            ("origlocation", _bibtex_value(f.printed.place)),
            ("origpublisher", "{" + _bibtex_value(f.printed.publisher) + "}"),
        ]
    note = f"{f.edition_statement}. {_notes(f)}"
    fields += [("language", _bibtex_value(f.language)), ("note", _bibtex_value(note))]
    kind = "incollection" if f.section is not None else "book"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{citation_key(edition, division)},\n{body}\n}}\n"


def ris(edition: m.Edition, url: str, division: m.Division | None = None) -> str:
    """An RIS record (``EDBOOK``, or ``CHAP`` for a section), lines ending in CRLF as RIS has it."""
    f = facts(edition, url, division)
    lines = [("TY", "CHAP" if f.section is not None else "EDBOOK"), ("AU", f.author)]
    if f.section is not None:
        s = f.section
        lines += [("TI", s.title), ("T2", f.title)]
        if s.numbered:
            lines.append(("SE", s.label))
    else:
        lines.append(("TI", f.title))
    year, month, day = [*f.date.split("-"), "", ""][:3]
    lines += [
        ("ED", f.editor.inverted),
        ("ET", f.edition_statement),
        ("PB", f.publisher),
        ("PY", f.year),
        ("DA", f"{year}/{month}/{day}/" if day else f.year),
        ("UR", f.url),
        ("LA", f.language),
        ("N1", _notes(f)),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value or tag == "ER")


def _date_parts(iso: str) -> dict[str, list[list[int]]]:
    """CSL's date form: ``{"date-parts": [[2026, 11, 25]]}``."""
    return {"date-parts": [[int(p) for p in iso.split("-") if p.isdigit()]]}


def csl_json(edition: m.Edition, url: str, division: m.Division | None = None) -> dict:
    """A CSL-JSON item (``book``, or ``chapter`` for a section), as Zotero and Pandoc read it.

    The archival original is given in CSL's archive variables, the print
    edition in its ``original-*`` variables (so ``original-date`` is the print
    edition's year: Chicago styles print it as the first publication's date).
    """
    f = facts(edition, url, division)
    item: dict = {
        "id": citation_key(edition, division),
        "type": "chapter" if f.section is not None else "book",
        "author": [{"literal": f.author}],
        "editor": [{"family": f.editor.family, "given": f.editor.given}],
        "publisher": f.publisher,
        "issued": _date_parts(f.date),
        "original-date": _date_parts(f.printed.year if f.printed else f.origin_date),
        "version": f.version,
        "medium": f.genre,
        "URL": f.url,
        "language": f.language,
        "archive": f.archival.repository,
        "archive_location": ", ".join(p for p in (f.archival.shelfmark, f.archival.locus) if p),
        "archive-place": f.archival.settlement,
        "license": f.licence_url,
        "note": _notes(f),
    }
    if f.section is not None:
        item["title"] = f.section.title
        item["container-title"] = f.title
        if f.section.numbered:
            item["chapter-number"] = f.section.number
            item["section"] = f.section.label
    else:
        item["title"] = f.title
    if f.printed is not None:
        item["original-title"] = f.printed.title
        item["original-publisher"] = f.printed.publisher
        item["original-publisher-place"] = f.printed.place
    return {k: v for k, v in item.items() if v not in ("", [], None)}

"""The MyST of a cite box: one citation, one style at a time, chosen without JavaScript.

A box is a sphinx-design ``dropdown`` (a ``<details>`` element) holding a
``tab-set`` (radio inputs and labels, so switching styles needs no script),
Chicago note first. Each style's text sits in an ``edition-copy`` block
whose label says what it copies ("Copy Chicago note for § 1"); the
edition's script adds the button, and without it the text is still there
to select. Links to the citation's own files close the box.

The reading page puts a short box under each section's heading
(:func:`note_box`): the Chicago note, as Founders Online shows one
citation, with the other styles and formats one click away on the
downloads page, where every section has its full box (:func:`cite_box`,
``id="cite-<section>"``). Six styles in each of nine boxes were half the
reading page's HTML, in the way of its first paint. Both are MyST that the
``edition-cite-box`` directive parses from the site data.
"""

from __future__ import annotations

from collections.abc import Sequence

from edition.citations import SOURCE_FORMATS, STYLE_NAMES, Citations
from edition.citations.model import Section

LANGUAGES = {"bibtex": "bibtex", "ris": "text"}


def _one_line(text: str) -> str:
    """A directive argument: plain text on one line (arguments are not parsed as MyST)."""
    return " ".join(text.split())


# Where every style of a section's citation is: the downloads page's box for it.
ALL_STYLES_PAGE = "downloads"
# Every box's classes. ``no-search`` is Sphinx's: the search index skips the box,
# so a search finds the text and the notes, not the same citation on every page
# (and at 100x the boxes were a third of the words Sphinx indexed).
BOX_CLASSES = ":class-container: section-cite ed no-search"


def anchor(section_id: str) -> str:
    """The id of a section's full cite box on the downloads page."""
    return f"cite-{section_id}"


def directive(section_id: str | None = None, *, note: bool = False) -> str:
    """The MyST that puts a cite box on a page: the extension fills it from the site data.

    The box's own MyST (:func:`cite_box`, or :func:`note_box` with ``note``)
    is written by the pipeline into ``edition/_site.json``; a page names only
    which citation it shows.
    """
    arg = f" {section_id}" if section_id else ""
    option = ":note:\n" if note else ""
    return f"```{{edition-cite-box}}{arg}\n{option}```\n"


def subject(section: Section | None) -> str:
    """What a citation cites, for labels: "§ 1", "the opening paragraph", "the edition"."""
    if section is None:
        return "the edition"
    return section.label or "the " + section.title.strip("[]").lower().removeprefix("untitled ")


def copy_label(name: str, section: Section | None) -> str:
    """The copy button's name: "Copy Chicago note for § 1"."""
    return f"Copy {name} for {subject(section)}"


def _files_line(files: Sequence[tuple[str, str]]) -> list[str]:
    """The box's last line: its own files (a role's text is not MyST: labels as they are)."""
    if not files:
        return []
    links = " · ".join(f"{{edition-file}}`{lbl} <{path}>`" for lbl, path in files)
    return [f"Files: {links}", ""]


def note_box(cites: Citations, section_id: str, files: Sequence[tuple[str, str]] = ()) -> str:
    """The MyST of a section's box on the reading page: the Chicago note, the rest a link away.

    The link goes to the section's full box on the downloads page (every style,
    BibTeX and RIS, each with a copy button); the files are the section's own.
    """
    section = cites.section(section_id)
    name = STYLE_NAMES["chicago-note"]
    others = ", ".join([*list(STYLE_NAMES.values())[1:], *SOURCE_FORMATS.values()])
    out = [
        f"::::{{dropdown}} {_one_line(f'Cite {subject(section)}')}",
        BOX_CLASSES,
        "",
        f":::{{edition-copy}} {_one_line(copy_label(name, section))}",
        cites.style("chicago-note", section_id).myst,
        ":::",
        "",
        f"[Other styles ({others})](/{ALL_STYLES_PAGE}.md#{anchor(section_id)}){{.cite-more}}",
        "",
        *_files_line(files),
        "::::",
        "",
    ]
    return "\n".join(out)


def cite_box(
    cites: Citations,
    section_id: str | None = None,
    files: Sequence[tuple[str, str]] = (),
    *,
    open_: bool = False,
) -> str:
    """The MyST of one cite box; ``files`` are (label, site-relative path) pairs to link."""
    section = cites.section(section_id)
    title = f"Cite {subject(section)}" if section is not None else "Cite the edition"
    out = [f"::::::{{dropdown}} {_one_line(title)}", BOX_CLASSES]
    if open_:
        out.append(":open:")
    out += ["", ":::::{tab-set}", ":class: cite-tabs", ""]
    for key, name in STYLE_NAMES.items():
        out += [
            f"::::{{tab-item}} {name}",
            f":sync: {key}",
            "",
            f":::{{edition-copy}} {_one_line(copy_label(name, section))}",
            cites.style(key, section_id).myst,
            ":::",
            "::::",
        ]
    for key, name in SOURCE_FORMATS.items():
        text = cites.source(key, section_id).replace("\r\n", "\n")
        out += [
            f"::::{{tab-item}} {name}",
            f":sync: {key}",
            "",
            f":::{{edition-copy}} {_one_line(copy_label(name, section))}",
            f"````{LANGUAGES[key]}",
            text.rstrip("\n"),
            "````",
            ":::",
            "::::",
        ]
    out += [":::::", "", *_files_line(files), "::::::", ""]
    return "\n".join(out)

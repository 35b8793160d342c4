"""The MyST of a cite box: one citation, one style at a time, chosen without JavaScript.

A box is a sphinx-design ``dropdown`` (a ``<details>`` element) holding a
``tab-set`` (radio inputs and labels, so switching styles needs no script),
Chicago note first. Each style's text sits in an ``edition-copy`` block
whose label says what it copies ("Copy Chicago note for § 1"); the
edition's script adds the button, and without it the text is still there
to select. Links to the citation's own files close the box.

The reading page's renderer puts :func:`cite_box` under each section's
heading; the downloads page uses the ``edition-cite-box`` directive, which
parses the same MyST.
"""

from __future__ import annotations

from collections.abc import Sequence

from edition.citations import SOURCE_FORMATS, STYLE_NAMES, Citations
from edition.citations.model import Section

LANGUAGES = {"bibtex": "bibtex", "ris": "text"}


def _one_line(text: str) -> str:
    """A directive argument: plain text on one line (arguments are not parsed as MyST)."""
    return " ".join(text.split())


def directive(section_id: str | None = None) -> str:
    """The MyST that puts a cite box on a page: the extension fills it from the site data.

    The box's own MyST (:func:`cite_box`) is written by the pipeline into
    ``edition/_site.json``; a page names only which citation it shows.
    """
    arg = f" {section_id}" if section_id else ""
    return f"```{{edition-cite-box}}{arg}\n```\n"


def subject(section: Section | None) -> str:
    """What a citation cites, for labels: "§ 1", "the opening paragraph", "the edition"."""
    if section is None:
        return "the edition"
    return section.label or "the " + section.title.strip("[]").lower().removeprefix("untitled ")


def copy_label(name: str, section: Section | None) -> str:
    """The copy button's name: "Copy Chicago note for § 1"."""
    return f"Copy {name} for {subject(section)}"


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
    out = [f"::::::{{dropdown}} {_one_line(title)}", ":class-container: section-cite ed"]
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
    out += [":::::", ""]
    if files:
        # A role's text is not MyST: the labels are interface words, written as they are.
        links = " · ".join(f"{{edition-file}}`{lbl} <{path}>`" for lbl, path in files)
        out += [f"Files: {links}", ""]
    out += ["::::::", ""]
    return "\n".join(out)

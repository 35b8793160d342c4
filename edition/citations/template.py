"""Each style rendered once per edition, then filled in for every section.

A section's CSL item differs from every other section's only in its title,
its label ("§ 1"), its id and its URL's anchor (and page, where a long
text is read in parts: :mod:`edition.parts`). citeproc-py spends
about 15 ms on one citation, so rendering four styles for each of a
thousand sections costs a minute. Instead each style renders one *template
item* per label shape, whose varying fields hold sentinels, and each section
is filled into the slots the sentinels mark:

* the **title** holds a probe of five words (:data:`TITLE_PROBE`) whose
  output reveals which of CSL's text cases and ``strip-periods`` the style
  applied to it; the section's title is put through the same citeproc-py
  functions (:func:`_transform`);
* the **id** (in the citation key and the URL's anchor) holds a token of
  lower-case letters, which no transformation of the output may alter
  (ids are lower case too); the **page** of the URL holds another such token,
  filled with the name of the section's page;
* each run of digits in the **label** holds a token of digits, so that the
  label's shape (CSL's ``is-numeric`` test) stays the same.

The overrides and the three output forms (HTML, text, MyST) are worked out
on the template's literal text once (:func:`_compile`, the steps of
:func:`edition.citations.styles.finish` part by part); a section then only
escapes its own values. Where a value's edge could meet the overrides (a
closing quotation mark before a moved comma), its marked text is filled
instead and finished as a direct rendering is.

A section is rendered directly by citeproc-py whenever the template cannot
be trusted: a title that begins or ends with a space or with punctuation
that citeproc-py collapses at a seam ("..", ",,"), a title holding
citeproc-py's ``nocase`` markup, a template whose probe came out in a form
none of the known transformations gives (a style applying two), or a
description that happens to contain a sentinel. ``tests/test_citation.py``
checks the filled citation against a direct rendering for every section of
the memo and a set of awkward titles, in every style.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from dataclasses import dataclass
from functools import cache

from citeproc.model import StrippedPeriods, TextCased
from citeproc.string import SEAM_PUNCTUATION, MixedString, String

from edition.citations import styles
from edition.citations.description import Description
from edition.citations.model import Section, item
from edition.citations.styles import Rendered

# Lower case first, a stop word, a period before a stop word, a capitalised and an
# upper-case word: the 14 combinations of text case and strip-periods all differ on it.
TITLE_PROBE = "qxa of qxb. of Qxc QXD"
ID_TOKEN = "zqsectionzq"
PAGE_TOKEN = "zqpagezq"
DIGIT_TOKENS = tuple(f"8026401937{i}" for i in range(10))
CASES = (None, "lowercase", "uppercase", "capitalize-first", "capitalize-all", "title", "sentence")
_DIGITS = re.compile(r"\d+")
_UNSAFE_EDGE = frozenset(SEAM_PUNCTUATION) | {" "}


class _Transform:
    """citeproc-py's own text-case and strip-periods code, outside a style element."""

    # TextCased.case reads the stop words of title case from its element.
    _stop_words = TextCased._stop_words

    def __init__(self, case: str | None, strip: bool) -> None:
        self._attributes = {"text-case": case, "strip-periods": "true" if strip else "false"}
        self._done: dict[str, str] = {}  # titles already transformed

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._attributes.get(name) or default

    def apply(self, text: str) -> str:
        found = self._done.get(text)
        if found is None:
            # What CiteProcJSON makes of a string without nocase markup, and the order
            # of citeproc-py's Text.markup: strip periods, then the case.
            value = StrippedPeriods.strip_periods(self, MixedString([String(text)]))
            found = self._done[text] = str(TextCased.case(self, value, "en"))
        return found


@cache
def _transforms() -> dict[str, _Transform]:
    """The probe as each transformation prints it -> that transformation."""
    out: dict[str, _Transform] = {}
    for strip in (False, True):
        for case in CASES:
            t = _Transform(case, strip)
            out.setdefault(t.apply(TITLE_PROBE), t)
    return out


# A compiled output form: literal text, or the name of a slot ("" for literal parts).
Form = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Template:
    """A style's marked text for one label shape: literal parts and named slots."""

    parts: tuple[str, ...]  # even indexes literal text, odd indexes slot names
    title: _Transform | None  # how the title is printed (None: it is not)
    # HTML, text and MyST with the overrides applied, or None where only the marked
    # text can be filled (a slot at either end of the citation).
    forms: tuple[Form, Form, Form] | None = None
    # the name of the page a section without one is on (None: no page slot)
    page: str | None = None

    def values(self, section: Section) -> dict[str, str]:
        """What ``section`` puts in each slot, as citeproc-py would print it."""
        digits = _DIGITS.findall(section.label)
        out = {"id": section.id, "page": section.page or self.page or ""}
        if self.title is not None:
            out["title"] = self.title.apply(section.title)
        for i, d in enumerate(digits):
            out[DIGIT_TOKENS[i]] = d
        return out

    def fill(self, section: Section) -> str:
        """The marked text of ``section``'s citation (citeproc-py's, before the overrides)."""
        values = self.values(section)
        return "".join(p if i % 2 == 0 else values[p] for i, p in enumerate(self.parts))

    def render(
        self,
        d: Description,
        section: Section,
        escapes: dict[str, tuple[str, str, str]] | None = None,
    ) -> Rendered:
        """``section``'s citation: the compiled forms filled in where that is exact.

        ``escapes`` keeps each value's three forms between calls (the styles of
        one section share its id and, mostly, its printed title).
        """
        values = self.values(section)
        if self.forms is None or not self._seams_hold(values):
            marked = "".join(p if i % 2 == 0 else values[p] for i, p in enumerate(self.parts))
            return styles.finish(d, marked)
        known = {} if escapes is None else escapes
        forms = {k: known.get(v) or known.setdefault(v, _escaped(v)) for k, v in values.items()}
        html_, text, myst = (
            "".join(lit or forms[slot][i] for lit, slot in form)
            for i, form in enumerate(self.forms)
        )
        return Rendered(html_, text, myst)

    def _seams_hold(self, values: dict[str, str]) -> bool:
        """Whether moving punctuation into quotes finds nothing across a slot's edge.

        ``quotes_inside`` is applied to each part on its own: that equals
        applying it to the whole only if no closing quote ends one part where
        a comma or full stop begins the next. No value holds an italics mark.
        """
        pieces = [p if i % 2 == 0 else values[p] for i, p in enumerate(self.parts)]
        if any(styles.ITALIC_START in v or styles.ITALIC_END in v for v in values.values()):
            return False
        pieces = [p for p in pieces if p]
        return not any(a[-1] in _CLOSING and b[0] in _MOVED for a, b in itertools.pairwise(pieces))


_CLOSING, _MOVED = "”’", ".,"


def _escaped(value: str) -> tuple[str, str, str]:
    """A slot's value as HTML, text and MyST, punctuation moved into its own quotes."""
    from edition import render  # late: render imports this package for the cite boxes

    quoted = styles.quotes_inside(value)
    return html.escape(quoted, quote=False), quoted, render.escape(quoted)


def _compile(d: Description, parts: tuple[str, ...]) -> tuple[Form, Form, Form] | None:
    """The three output forms of ``parts``, with every override applied to the literal text.

    The same steps as :func:`edition.citations.styles.finish`, part by part:
    quotation punctuation, the strip of the ends, the provenance sentence,
    then each italic run as one token. Escaping is character by character,
    so a run escaped in pieces is the run escaped whole.
    """
    from edition import render  # late: render imports this package for the cite boxes

    pieces = [styles.quotes_inside(p) if i % 2 == 0 else p for i, p in enumerate(parts)]
    first, last = pieces[0].lstrip(), pieces[-1].rstrip()
    if not first or not last:
        return None  # the strip would reach into a slot
    pieces[0] = first
    pieces[-1] = last if len(pieces) > 1 else first.rstrip()
    pieces[-1] = styles.with_provenance(d, pieces[-1])
    forms: tuple[list[tuple[str, str]], ...] = ([], [], [])
    run: list[tuple[str, str]] = []  # the current italic run (or plain run)
    italic = False

    def flush() -> None:
        html_, text, myst = forms
        if not any(slot for _, slot in run):
            token = "".join(lit for lit, _ in run)
            text.append((token, ""))
            if italic and token:
                html_.append((f"<i>{html.escape(token, quote=False)}</i>", ""))
                myst.append((f"*{render.escape(token)}*", ""))
            else:
                html_.append((html.escape(token, quote=False), ""))
                myst.append((render.escape(token), ""))
        else:
            html_.append(("<i>" if italic else "", ""))
            myst.append(("*" if italic else "", ""))
            for lit, slot in run:
                text.append((lit, slot))
                html_.append((html.escape(lit, quote=False), slot))
                myst.append((render.escape(lit), slot))
            html_.append(("</i>" if italic else "", ""))
            myst.append(("*" if italic else "", ""))
        run.clear()

    for i, piece in enumerate(pieces):
        if i % 2:
            run.append(("", piece))
            continue
        for token in styles.MARKED.split(piece):
            if token in (styles.ITALIC_START, styles.ITALIC_END):
                flush()
                italic = token == styles.ITALIC_START
            else:
                run.append((token, ""))
    flush()
    return tuple(_merged(f) for f in forms)  # type: ignore[return-value]


def _merged(form: list[tuple[str, str]]) -> Form:
    """Adjacent literal parts joined, empty ones dropped."""
    out: list[tuple[str, str]] = []
    for lit, slot in form:
        if slot:
            out.append(("", slot))
        elif lit:
            if out and not out[-1][1]:
                out[-1] = (out[-1][0] + lit, "")
            else:
                out.append((lit, ""))
    return tuple(out)


def label_shape(label: str) -> str:
    """A label with its digits as sentinels: labels of one shape share a template."""
    runs = iter(DIGIT_TOKENS)
    return _DIGITS.sub(lambda _m: next(runs, "0"), label)


def fillable(section: Section) -> bool:
    """Whether a template renders ``section`` exactly as citeproc-py would (see above)."""
    title = section.title
    return (
        bool(title)
        and title[0] not in _UNSAFE_EDGE
        and title[-1] not in _UNSAFE_EDGE
        and "<span" not in title.lower()
        and len(_DIGITS.findall(section.label)) <= len(DIGIT_TOKENS)
    )


def _sentinels_absent(d: Description, url: str) -> bool:
    """Whether no sentinel can be confused with the description's own words."""
    words = (json.dumps(item(d, url), ensure_ascii=False) + styles.provenance(d)).lower()
    tokens = (TITLE_PROBE.split()[0], ID_TOKEN, PAGE_TOKEN, *DIGIT_TOKENS)
    return not any(t in words for t in tokens)


def make(d: Description, url: str, key: str, shape: str) -> Template | None:
    """The template of style ``key`` for labels of ``shape``, or None if it cannot be trusted."""
    if not _sentinels_absent(d, url):
        return None
    # The page slot holds the name of a part's page; the reading page's own name
    # fills it for a section on the reading page (an address of another form has none).
    paged = url.endswith(".html")
    probe = Section(ID_TOKEN, shape, TITLE_PROBE, True, PAGE_TOKEN if paged else "")
    marked = styles.marked(item(d, url, probe), key)
    lowered = marked.lower()
    found = [(text, t) for text, t in _transforms().items() if text in marked]
    if len(found) > 1:
        return None
    title: _Transform | None = None
    slots = [ID_TOKEN, PAGE_TOKEN, *DIGIT_TOKENS]
    if found:
        text, title = found[0]
        # The probe printed once, and nowhere else in another form.
        if marked.count(text) != 1 or lowered.count(TITLE_PROBE.split()[0]) != 1:
            return None
        slots.insert(0, text)
    elif TITLE_PROBE.split()[0] in lowered:
        return None
    # Every trace of the id and page is the token itself (a case change would show
    # as another form).
    if any(lowered.count(t) != marked.count(t) for t in (ID_TOKEN, PAGE_TOKEN)):
        return None
    names = {ID_TOKEN: "id", PAGE_TOKEN: "page", **{t: t for t in DIGIT_TOKENS}}
    if found:
        names[found[0][0]] = "title"
    pieces = re.split("(" + "|".join(re.escape(s) for s in slots) + ")", marked)
    parts = tuple(p if i % 2 == 0 else names[p] for i, p in enumerate(pieces))
    return Template(parts, title, _compile(d, parts), _stem(url) if paged else None)


def _stem(url: str) -> str:
    """The name of the page at ``url`` (``memo`` for ``…/edition/memo.html``)."""
    return url.rsplit("/", 1)[-1].removesuffix(".html")


class Renderer:
    """Every style of every section at one address, one citeproc-py rendering per template."""

    def __init__(self, d: Description, url: str) -> None:
        self.description = d
        self.url = url
        self._templates: dict[tuple[str, str], Template | None] = {}
        self._escapes: dict[str, tuple[str, str, str]] = {}

    def template(self, key: str, shape: str) -> Template | None:
        """The template of ``key`` for ``shape``, made on first use."""
        k = (key, shape)
        if k not in self._templates:
            self._templates[k] = make(self.description, self.url, key, shape)
        return self._templates[k]

    def render(self, key: str, section: Section) -> Rendered:
        """``section``'s citation in style ``key``, the same as a direct rendering."""
        d = self.description
        template = self.template(key, label_shape(section.label)) if fillable(section) else None
        if template is None or (section.page and template.page is None):
            return styles.render_style(d, item(d, self.url, section), key)
        return template.render(d, section, self._escapes)

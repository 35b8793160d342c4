"""Model to MyST Markdown: pure functions, one :func:`escape` for all text.

Every run of text from the TEI goes through :func:`escape`, which
backslash-escapes all ASCII punctuation, so no TEI text can become Markdown
or MyST syntax. Structure is expressed only with attribute spans
(``[text]{.class #id}``), attribute blocks (``{#id .class}``) and links, which
the local Sphinx extension dresses into the final HTML.

Classes used on the page (see ``source/_static/edition.css``):
``ed`` marks what the edition adds to the text (numbers, labels, marks), so
that a reader of the DOM can tell witness text from apparatus.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass, field

from edition import model as m

PUNCTUATION = frozenset(string.punctuation)
# XHTML forms of raw HTML: the pages of an EPUB must be well-formed XML.
CHECKED = ' checked="checked"'
GENERATED_DIR = "edition"
READING = "memo"
APPARATUS = "apparatus"
NOTES = "notes"
INDICES = "indices"
WITNESSES = "witnesses"
PRINCIPLES = "principles"
REVISIONS = "revisions"
LANDING = "_landing"
KIND_TITLES = {
    "org": "Organizations",
    "person": "Persons",
    "place": "Places",
    "term": "Terms",
}
WITNESS_VIEWS = (
    ("en", "English typescript (E)"),
    ("ru", "With the Russian original's reported differences (R, reported in English)"),
    ("print", "2005 print edition (P)"),
)
PRINCIPLE_TITLES = {
    "normalization": "Normalization",
    "segmentation": "Segmentation and page breaks",
    "interpretation": "Notes, italics and supplied text",
    "correction": "Correction",
    "stdVals": "Russian readings and gaps",
}


# One translation table for escape(): punctuation escaped, controls and
# non-ASCII white space (all of it lies below U+3001) written as references.
ESCAPES: dict[int, str] = {ord(ch): "\\" + ch for ch in string.punctuation}
ESCAPES.update({c: f"&#{c};" for c in range(32)})
ESCAPES.update({ord(ch): " " for ch in "\t\n\r"})
ESCAPES[ord("§")] = "&#167;"
ESCAPES.update({c: f"&#{c};" for c in range(0xA0, 0x3001) if chr(c).isspace()})


def escape(text: str) -> str:
    """Make ``text`` literal in MyST: escape ASCII punctuation, encode controls and spaces.

    Line ends and tabs become spaces. Other white space (U+00A0, U+2009, U+3000,
    U+2028...) is written as a character reference, which Markdown neither
    trims at the ends of a paragraph nor reads as a line end. U+007F and the
    C1 controls pass unchanged: a reference to them decodes to U+FFFD.
    """
    return text.translate(ESCAPES)


def attr_paragraph(attributes: str, content: str) -> str:
    """An attribute block and its paragraph; an empty one keeps its ids and classes.

    An attribute block over a blank line would go to the next block instead.
    """
    return f"{attributes}\n{content if content.strip() else span('', 'empty')}\n"


def url(target: str) -> str:
    """A link destination that Markdown cannot misread."""
    safe = "".join(
        ch if ch.isascii() and ch not in " <>()\\" else f"%{ord(ch):02X}" for ch in target
    )
    return f"<{safe}>"


def attrs(*classes: str, id: str = "") -> str:
    """An attribute block or span suffix: ``{#id .a .b}``."""
    parts = ([f"#{id}"] if id else []) + [f".{c}" for c in classes if c]
    return "{" + " ".join(parts) + "}"


def span(content: str, *classes: str, id: str = "") -> str:
    """An attribute span around already-rendered content."""
    return f"[{content}]{attrs(*classes, id=id)}"


# A space that separates a mark from the word before it for search and copying,
# without showing (marks are superscripts set tight against the word).
SEPARATOR = "[&#32;]{.visually-hidden}"


def plain(inlines: tuple[m.Inline, ...]) -> str:
    """The words of inlines as plain text (notes and popups left out)."""
    out = []
    for node in inlines:
        if isinstance(node, m.Text):
            out.append(node.text)
        elif isinstance(node, m.Variant):
            out.append(plain(node.lemma.children))
        elif isinstance(node, m.Gap):
            out.append(plain(node.desc))
        elif hasattr(node, "children"):
            out.append(plain(node.children))
    return "".join(out)


@dataclass
class Locations:
    """Where each id of the edition is published: page and a citable label."""

    page_of: dict[str, str] = field(default_factory=dict)
    label_of: dict[str, str] = field(default_factory=dict)
    # entry id -> [(location id, label)], in text order
    occurrences: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # variant/note id -> location id of the paragraph or heading that holds it
    container_of: dict[str, str] = field(default_factory=dict)
    # notes anchored inside a sentence (not standing between divisions)
    inline_notes: set[str] = field(default_factory=set)
    # variants (inline and of divisions) in text order
    variants: list[m.Variant | m.DivisionVariant] = field(default_factory=list)


def division_label(div: m.Division) -> str:
    """How a division is cited: "Preamble", "§ 3", or its type."""
    if div.type == "preamble":
        return "Preamble"
    if div.n:
        return f"§ {div.n}"
    return div.type.replace("-", " ").capitalize()


def paragraph_number(div: m.Division | None, para: m.Paragraph) -> str:
    """The margin number of a paragraph, e.g. ``3.2`` or ``P.1``."""
    if div is None or not para.n:
        return ""
    return f"{div.n}.{para.n}" if div.n else para.n


def _walk_inlines(
    inlines: tuple[m.Inline, ...], where: str, label: str, loc: Locations, edition: m.Edition
) -> None:
    for node in inlines:
        if isinstance(node, m.Name):
            loc.occurrences.setdefault(node.ref, []).append((where, label))
        if isinstance(node, m.NoteRef):
            loc.inline_notes.add(node.note_id)
            loc.container_of[node.note_id] = where
            loc.page_of[node.note_id] = READING
            note = edition.note(node.note_id)
            loc.label_of[node.note_id] = f"note {note.n or 'ed.'} ({label})"
            _walk_inlines(note.children, node.note_id, loc.label_of[node.note_id], loc, edition)
        if isinstance(node, m.Variant):
            loc.variants.append(node)
            loc.container_of[node.id] = where
            loc.page_of[node.id] = READING
            loc.label_of[node.id] = f"variant at {label}"
            for reading in (node.lemma, *node.readings):
                if reading.id:
                    loc.page_of[reading.id] = READING
                _walk_inlines(reading.children, where, label, loc, edition)
        if isinstance(node, m.Gap) and node.id:
            loc.page_of[node.id] = READING
            _walk_inlines(node.desc, where, label, loc, edition)
        elif hasattr(node, "children") and not isinstance(node, m.Variant):
            _walk_inlines(node.children, where, label, loc, edition)


def _walk_blocks(
    blocks: tuple[m.Block, ...], div: m.Division | None, loc: Locations, edition: m.Edition
) -> None:
    for block in blocks:
        if isinstance(block, m.Division):
            loc.page_of[block.id] = READING
            label = division_label(block)
            loc.label_of[block.id] = label
            if block.head:
                loc.page_of[block.head.id] = READING
                loc.label_of[block.head.id] = f"{label}, heading"
                _walk_inlines(block.head.children, block.head.id, f"{label}, heading", loc, edition)
            _walk_blocks(block.blocks, block, loc, edition)
        elif isinstance(block, m.Paragraph):
            loc.page_of[block.id] = READING
            label = (
                f"{division_label(div)} ¶ {block.n}"
                if div and block.n
                else (division_label(div) if div else block.id)
            )
            loc.label_of[block.id] = label
            _walk_inlines(block.children, block.id, label, loc, edition)
        elif isinstance(block, m.DivisionVariant):
            loc.variants.append(block)
            loc.page_of[block.id] = READING
            loc.label_of[block.id] = "deleted section (Russian original)"
            for reading in (block.lemma, *block.readings):
                if reading.id:
                    loc.page_of[reading.id] = READING
                _walk_blocks(reading.divisions, div, loc, edition)
        elif isinstance(block, m.NoteBlock):
            loc.page_of[block.note_id] = READING
            loc.label_of[block.note_id] = "note ed."
            note = edition.note(block.note_id)
            loc.container_of[block.note_id] = note.target or block.note_id
            _walk_inlines(note.children, block.note_id, "note ed.", loc, edition)
        elif isinstance(block, m.GapBlock):
            loc.page_of[block.gap.id] = READING
            _walk_inlines(
                block.gap.desc,
                block.gap.id,
                loc.label_of.get(div.id, "") if div else "",
                loc,
                edition,
            )


def locate(edition: m.Edition) -> Locations:
    """Walk the text once to learn where every id is and where names occur."""
    loc = Locations()
    for part in (edition.front, edition.body, edition.back):
        _walk_blocks(part, None, loc, edition)
    for entry in edition.entries:
        loc.page_of[entry.id] = INDICES
    for source in edition.sources:
        loc.page_of[source.id] = INDICES
    for wit in edition.header.witnesses:
        loc.page_of[wit.id] = WITNESSES
    return loc


class Renderer:
    """Renders the model into the MyST pages of the edition."""

    def __init__(self, edition: m.Edition) -> None:
        self.edition = edition
        self.loc = locate(edition)
        self.page = READING
        self.notes_on: dict[str, list[m.Note]] = {}
        for note in edition.notes:
            if note.target:
                self.notes_on.setdefault(note.target, []).append(note)

    # ------------------------------------------------------------ links

    def href(self, target: str) -> str:
        """A link destination for an id (``#id`` or ``page.md#id``) or a URL."""
        if target.startswith(("http://", "https://")):
            return url(target)
        page = self.loc.page_of.get(target)
        if page is None or page == self.page:
            return f"#{target}"
        return f"{page}.md#{target}"

    def link(self, content: str, target: str, *classes: str) -> str:
        """A Markdown link with optional classes."""
        suffix = attrs(*classes) if classes else ""
        return f"[{content}]({self.href(target)}){suffix}"

    # ------------------------------------------------------------ inline

    def inlines(self, nodes: tuple[m.Inline, ...], link_to: str = "") -> str:
        """Render inline nodes; ``link_to`` links bare text to an entry (names)."""
        return "".join(self.inline(node, link_to) for node in nodes)

    def inline(self, node: m.Inline, link_to: str = "") -> str:
        """Render one inline node; the dispatch mirrors :data:`edition.behaviours.INLINE`."""
        if isinstance(node, m.Text):
            text = escape(node.text)
            return self.link(text, link_to, "name-part") if link_to and node.text.strip() else text
        if isinstance(node, m.Styled):
            return span(self.inlines(node.children, link_to), node.style)
        if isinstance(node, m.Supplied):
            return span("\\[" + self.inlines(node.children, link_to) + "\\]", "supplied")
        if isinstance(node, m.Name):
            return self.name(node)
        if isinstance(node, m.Date):
            return span(self.inlines(node.children, link_to), "date")
        if isinstance(node, m.Link):
            if any(not isinstance(c, m.Text) for c in _descendants(node)):
                return span(self.inlines(node.children, link_to=node.target), "link")
            return self.link(self.inlines(node.children), node.target)
        if isinstance(node, m.NoteRef):
            return self.note_ref(node)
        if isinstance(node, m.Milestone):
            return self.milestone(node)
        if isinstance(node, m.Gap):
            return self.gap(node)
        if isinstance(node, m.Variant):
            return self.variant(node)
        raise TypeError(f"no renderer for {type(node).__name__}")  # pragma: no cover

    def name(self, node: m.Name) -> str:
        """A tagged name links to its index entry; nested names link to their own."""
        classes = ("name", f"name-{node.kind}")
        if any(not isinstance(c, m.Text) for c in _descendants(node)):
            return span(self.inlines(node.children, link_to=node.ref), *classes)
        return self.link(self.inlines(node.children), node.ref, *classes)

    def milestone(self, node: m.Milestone) -> str:
        """A page or column break, shown in the print-edition view."""
        if node.kind == "pb":
            return span(escape(f"[p. {node.n}]" if node.n else "[page break]"), "pb", "ed")
        return span(escape("[column break]"), "cb", "ed")

    def gap(self, node: m.Gap) -> str:
        """A gap: a mark and the reported description."""
        mark = span(escape("⟨text not reported⟩"), "gap-mark", "ed")
        desc = self.inlines(node.desc)
        return span(f"{mark} {desc}", "gap", id=node.id)

    def witness_label(self, reading: m.Reading | m.DivisionReading) -> str:
        """Sigla of a reading's witnesses, e.g. ``R``."""
        sigla = {w.id: w.siglum for w in self.edition.header.witnesses}
        return " ".join(sigla.get(w, w) for w in reading.witnesses)

    def variant(self, node: m.Variant) -> str:
        """A variant: the lemma in the text, each reading in a popup."""
        lemma = span(self.inlines(node.lemma.children), "lem")
        pops = []
        for reading in node.readings:
            report = (
                f" {span(self.link(escape('(source)'), reading.source), 'rdg-source')}"
                if reading.source
                else ""
            )
            label = SEPARATOR + span(
                escape(
                    f"{self.witness_label(reading)}: Russian original, as reported by the "
                    "editor in English:"
                ),
                "rdg-label",
            )
            text = span(self.inlines(reading.children), "rdg-text")
            pops.append(
                span(f"{label} {text}{report}", "rdg", "ed-pop", "edition-aside", id=reading.id)
            )
        target = node.readings[0].id if node.readings and node.readings[0].id else node.id
        sigla = " ".join(self.witness_label(r) for r in node.readings)
        mark = SEPARATOR + (
            f'[{escape(sigla)}]({self.href(target)} "Reading of the Russian original ({sigla})")'
            f"{attrs('app-mark', 'ed', 'edition-aside')}"
        )
        return span(lemma + "".join(pops) + mark, "app", id=node.id)

    def note_resp_label(self, note: m.Note) -> str:
        """Whose note it is, in words."""
        if note.n:
            return f"Note by the editor, {self.edition.responsible.get(note.resp, note.resp)}"
        return "Note by this digital edition"

    def note_mark(self, note: m.Note) -> str:
        """The printed symbol, or ``ed.`` for this edition's notes."""
        return escape(note.n or "ed.")

    def note_ref(self, node: m.NoteRef) -> str:
        """A note marker; on the reading page the note follows as a side note."""
        note = self.edition.note(node.note_id)
        who = "note-editor" if note.n else "note-edition"
        if self.page != READING:
            return self.link(self.note_mark(note), note.id, "noteref", who)
        marker = self.link(self.note_mark(note), note.id, "noteref", who, "edition-aside")
        back = self.link(self.note_mark(note), f"noteref-{note.id}", "note-backref", "ed")
        resp = span(escape(self.note_resp_label(note)), "note-resp", "ed")
        body = f"{back} {resp} {self.inlines(note.children)}{self.note_sources(note)}"
        return span(
            SEPARATOR + marker, "noteref-wrap", "edition-aside", id=f"noteref-{note.id}"
        ) + span(body, "sidenote", who, "edition-aside", id=note.id)

    def note_sources(self, note: m.Note) -> str:
        """For this edition's notes, name what they rest on."""
        if note.n or not note.source:
            return ""
        return " " + span(
            escape("Source: ")
            + self.link(escape(self.loc.label_of.get(note.source, note.source)), note.source),
            "note-source",
            "ed",
        )

    # ------------------------------------------------------------ blocks

    def paragraph(self, para: m.Paragraph, div: m.Division | None, *classes: str) -> str:
        """A paragraph with its id and, in the text, its margin number."""
        number = paragraph_number(div, para)
        lead = self.link(escape(number), para.id, "parnum", "ed") + " " if number else ""
        content = lead + self.inlines(para.children)
        return attr_paragraph(attrs("tei-p", *classes, id=para.id), content)

    def blocks(self, blocks: tuple[m.Block, ...], div: m.Division | None, level: int) -> str:
        """Render a sequence of blocks at a heading level."""
        return "\n".join(self.block(b, div, level) for b in blocks)

    def block(self, block: m.Block, div: m.Division | None, level: int) -> str:
        """Render one block."""
        if isinstance(block, m.Paragraph):
            return self.paragraph(block, div)
        if isinstance(block, m.Division):
            return self.division(block, level)
        if isinstance(block, m.DivisionVariant):
            return self.division_variant(block, div, level)
        if isinstance(block, m.NoteBlock):
            return self.note_block(self.edition.note(block.note_id))
        if isinstance(block, m.GapBlock):
            return f"{attrs('gap-block')}\n{self.gap(block.gap)}\n"
        if isinstance(block, m.Milestone):
            return f"{attrs('milestone-block', 'ed')}\n{self.milestone(block)}\n"
        raise TypeError(f"no renderer for {type(block).__name__}")  # pragma: no cover

    def note_block(self, note: m.Note) -> str:
        """A note standing between divisions, shown as a boxed remark."""
        resp = span(escape(self.note_resp_label(note)), "note-resp", "ed")
        return (
            f"{attrs('note-block', 'note-edition', id=note.id)}\n"
            f"{resp} {self.inlines(note.children)}{self.note_sources(note)}\n"
        )

    def heading_text(self, div: m.Division) -> str:
        """A division's heading content with its section mark."""
        assert div.head is not None
        mark = span(escape(division_label(div)), "secnum", "ed") + " " if div.n else ""
        return mark + span(self.inlines(div.head.children), "head-text", id=div.head.id)

    def division(self, div: m.Division, level: int, embedded: bool = False) -> str:
        """A division: a section with a heading, or a container where it has none."""
        classes = ("tei-div", f"div-{div.type}")
        if div.head is not None and not embedded:
            body = self.blocks(div.blocks, div, level + 1)
            return f"{attrs(*classes, id=div.id)}\n{'#' * level} {self.heading_text(div)}\n\n{body}"
        head = f"{attrs('div-head')}\n{self.heading_text(div)}\n\n" if div.head else ""
        inner = head + self.blocks(div.blocks, div, level)
        return self.container(inner, div.id, *classes)

    @staticmethod
    def container(inner: str, id: str, *classes: str) -> str:
        """A block container; the fence grows with nesting so any depth parses."""
        depth = inner.count("\n:::") + 3
        fence = ":" * max(3, depth + 1)
        name = f":name: {id}\n" if id else ""
        return f"{fence}{{container}} {' '.join(classes)}\n{name}\n{inner}\n{fence}\n"

    def division_variant(self, app: m.DivisionVariant, div: m.Division | None, level: int) -> str:
        """A variant of whole divisions: a notice in the text, the reading beside it."""
        parts = []
        for reading in app.readings:
            heads = "; ".join(plain(d.head.children) for d in reading.divisions if d.head)
            notice = span(
                escape(
                    f"{self.witness_label(reading)}: the Russian original has a deleted section "
                    f"here, headed “{heads}” (reported by the editor in English; its text is "
                    "not reported)."
                ),
                "app-notice-text",
            )
            more = self.link(escape("Show it"), reading.id, "app-show", "ed")
            parts.append(f"{attrs('app-notice', 'ed')}\n{notice} {more}\n")
            inner = "\n".join(self.division(d, level, embedded=True) for d in reading.divisions)
            parts.append(self.container(inner, reading.id, "rdg", "rdg-division", "rdg-deleted"))
        return self.container("\n".join(parts), app.id, "app", "app-division")

    # ------------------------------------------------------------ pages

    def reading_page(self) -> str:
        """The reading text: the whole memo on one page."""
        self.page = READING
        ed = self.edition
        title_div = next(b for b in ed.front if isinstance(b, m.Division) and b.head)
        out = ["---", "hide-toc: true", "---", ""]
        out.append(f"{attrs('tei-div', 'div-title', id=title_div.id)}")
        out.append(
            f"# {span(self.inlines(title_div.head.children), 'head-text', id=title_div.head.id)}\n"
        )
        out.append(self.switch())
        out.append(self.view_banners())
        out.append(self.legend())
        header = [
            self.blocks(title_div.blocks, title_div, 2)
            if b is title_div
            else self.block(b, None, 2)
            for b in ed.front
        ]
        header.append(self.russian_furniture())
        out.append(self.container("\n".join(header), "", "document-header"))
        out.append(self.blocks(ed.body, None, 2))
        if ed.back:
            out.append(self.container(self.blocks(ed.back, None, 2), "", "back-matter"))
        return "\n".join(out) + "\n"

    def switch(self) -> str:
        """The witness view switch: radio buttons that work without JavaScript."""
        inputs = "".join(
            f'<input type="radio" name="witness-view" id="view-{key}" value="{key}"'
            f'{CHECKED if i == 0 else ""} /><label for="view-{key}">{label}</label>'
            for i, (key, label) in enumerate(WITNESS_VIEWS)
        )
        return (
            '<fieldset class="witness-switch ed"><legend>Show the text as</legend>'
            f"{inputs}</fieldset>\n"
        )

    def view_banners(self) -> str:
        """Plain labels for the two other witness views, shown only in that view."""
        readings = []
        for variant in self.loc.variants:
            for reading in variant.readings:
                if isinstance(reading, m.Reading):
                    readings.append(f"“{plain(reading.children)}”")
                else:
                    heads = "; ".join(plain(d.head.children) for d in reading.divisions if d.head)
                    readings.append(f"the deleted section “{heads}” (struck through)")
        ru = (
            "You are reading the English text with the differences of the Russian original (R) "
            "put in place, as the print editor reports them in English: "
            + ", ".join(readings)
            + ". This is not the Russian wording, which is not available to this edition."
        )
        pr = (
            "You are reading the text as laid out in the 2005 print edition (P): its page and "
            "column breaks, inferred from the transcription, are marked in the text, and its "
            "colophon stands at the end."
        )
        return (
            f"{attrs('view-banner', 'view-ru', 'ed')}\n{escape(ru)}\n\n"
            f"{attrs('view-banner', 'view-print', 'ed')}\n{escape(pr)}\n"
        )

    def legend(self) -> str:
        """The signs used in the reading text, in a collapsible box."""
        signs = (
            ("1.2", "section 1, paragraph 2: the citable number of a paragraph (§ for sections)"),
            ("† ‡", "a note by the print editor, with his printed symbol"),
            ("ed.", "a note by this digital edition"),
            ("R", "the Russian original reads otherwise here: point at, focus or tap the mark"),
            ("[ ]", "words supplied by the print editor"),
            ("struck through", "a section deleted in the Russian original"),
            ("⟨text not reported⟩", "content the source mentions but does not give"),
            ("[p. 2]", "a page break of the 2005 print edition (print edition view)"),
        )
        rows = "\n".join(f"{escape(sign)}\n: {escape(text)}\n" for sign, text in signs)
        return (
            ":::{dropdown} Signs used in this edition\n:class-container: legend ed\n\n"
            f"{rows}\n:::\n"
        )

    def russian_furniture(self) -> str:
        """The Russian witness's date and notation, as the header reports them."""
        items = [i for i in self.edition.header.manuscript.items if i.language.startswith("ru")]
        lines = [
            f"{attrs('ru-furniture', 'ed')}\n"
            + span(escape(f"Russian original, {i.locus}: "), "label")
            + self.inlines(i.note)
            + "\n"
            for i in items
        ]
        return "\n".join(lines)

    def landing(self) -> str:
        """The part of the landing page drawn from the TEI (included by ``index.md``)."""
        self.page = "index"
        h = self.edition.header
        ms = h.manuscript
        return (
            f"# {escape(h.title)}\n\n"
            f"{attrs('landing-sub')}\n{escape(h.subtitle)}, edited from the 2005 print edition "
            f"by {escape(h.editor)}.\n\n"
            f"{attrs('landing-source')}\n"
            f"{escape(ms.repository)}, {escape(ms.idno)}; "
            + "; ".join(f"{escape(i.locus)} ({escape(plain(i.title))})" for i in ms.items)
            + ".\n"
        )

    # ------------------------------------------------------------ other pages

    def reading_label(self, reading: m.Reading | m.DivisionReading) -> str:
        """How a reading is introduced in the apparatus."""
        wits = self.witness_label(reading)
        russian = any(w in self.russian for w in reading.witnesses)
        return f"{wits} (Russian original, reported by the editor in English)" if russian else wits

    @property
    def russian(self) -> set[str]:
        """Ids of the witnesses whose manuscript item is in Russian."""
        russian_items = {
            i.id for i in self.edition.header.manuscript.items if i.language.startswith("ru")
        }
        return {w.id for w in self.edition.header.witnesses if set(w.items) & russian_items}

    def apparatus_page(self) -> str:
        """Every variant with its readings, witnesses, report and place in the text."""
        self.page = APPARATUS
        h = self.edition.header
        sigla = ", ".join(
            f"{self.link(escape(w.siglum), w.id)} {escape(plain(w.children).split(';')[0])}"
            for w in h.witnesses
        )
        out = [
            "# Critical apparatus\n",
            f"{attrs('intro')}\nThe variants are encoded by {escape(h.variant_method)}. "
            f"Witnesses: {sigla}. Readings of the Russian original are the print editor's "
            "reports in English; no Russian text of the memo is available.\n",
        ]
        for variant in self.loc.variants:
            out.append(self.apparatus_entry(variant))
        return "\n".join(out)

    def apparatus_entry(self, variant: m.Variant | m.DivisionVariant) -> str:
        """One apparatus entry, anchored at the variant's id."""
        where = self.loc.label_of.get(self.loc.container_of.get(variant.id, variant.id), "")
        if isinstance(variant, m.Variant):
            title = f"{where}: {plain(variant.lemma.children)}"
            lemma = self.inlines(variant.lemma.children)
        else:
            heads = "; ".join(
                plain(d.head.children) for r in variant.readings for d in r.divisions if d.head
            )
            title = f"Deleted section: {heads}"
            lemma = span(escape("(no text: the English witnesses have no such section)"), "ed")
        lines = [
            f"{attrs('app-entry-title')}",
            f"{span(escape(title), 'entry-title', id=variant.id)}\n",
            f"- {span(escape(self.reading_label(variant.lemma)), 'siglum')}: {lemma}",
        ]
        for reading in variant.readings:
            if isinstance(reading, m.Reading):
                text = self.inlines(reading.children)
            else:
                text = " ".join(self.division_summary(d) for d in reading.divisions)
            lines.append(f"- {span(escape(self.reading_label(reading)), 'siglum')}: {text}")
            if reading.source:
                label = self.loc.label_of.get(reading.source, reading.source)
                lines.append(f"- Reported in: {self.link(escape(label), reading.source)}")
        for note in self.notes_on.get(variant.id, ()):
            lines.append(
                f"- {span(escape(self.note_resp_label(note)), 'note-resp')}: "
                f"{self.inlines(note.children)} {self.link(escape('(note)'), note.id)}"
            )
        lines.append(f"- In the text: {self.link(escape(where or 'reading text'), variant.id)}")
        return self.container("\n".join(lines) + "\n", "", "app-entry")

    def division_summary(self, div: m.Division) -> str:
        """A division of a reading in one line: struck heading and gap description."""
        head = self.inlines(div.head.children) if div.head else ""
        gaps = [b.gap for b in div.blocks if isinstance(b, m.GapBlock)]
        desc = " ".join(self.inlines(g.desc) for g in gaps)
        return f"{span(head, 'rdg-head')}: {desc}" if desc else head

    def notes_page(self) -> str:
        """Every note, grouped by whose it is, each linked to its place."""
        self.page = NOTES
        groups = (
            ("The print editor's notes", [n for n in self.edition.notes if n.n]),
            ("Notes by this digital edition", [n for n in self.edition.notes if not n.n]),
        )
        out = ["# Notes\n"]
        for title, notes in groups:
            if not notes:
                continue
            out.append(f"## {escape(title)}\n")
            for note in notes:
                who = "note-editor" if note.n else "note-edition"
                where = self.loc.label_of.get(note.id, "")
                # an inline note is reached at its marker; a block note is its own place
                back = f"noteref-{note.id}" if note.id in self.loc.inline_notes else note.id
                out.append(f"{attrs('note-entry-title', who)}")
                out.append(f"{span(escape(where or note.id), 'entry-title', id=note.id)}\n")
                out.append(
                    f"{span(escape(self.note_resp_label(note)), 'note-resp')} "
                    f"{self.inlines(note.children)}{self.note_sources(note)}\n"
                )
                out.append(f"{self.link(escape('In the text'), back, 'to-text')}\n")
        return "\n".join(out)

    def indices_page(self) -> str:
        """Index entries by kind, each with its sourced note and its occurrences."""
        self.page = INDICES
        out = ["# Indices\n"]
        for kind, title in KIND_TITLES.items():
            entries = sorted(
                (e for e in self.edition.entries if e.kind == kind),
                key=lambda e: plain(e.label).casefold(),
            )
            if not entries:
                continue
            out.append(f"{attrs(id=f'index-{kind}')}\n## {escape(title)}\n")
            for entry in entries:
                out.append(self.index_entry(entry))
        out.append(f"{attrs(id='sources')}\n## Sources of the edition's notes\n")
        for source in self.edition.sources:
            out.append(attr_paragraph(attrs("source", id=source.id), self.inlines(source.children)))
        return "\n".join(out)

    def index_entry(self, entry: m.Entry) -> str:
        """One entry: heading, gloss, note with sources, links to every occurrence."""
        label = plain(entry.label)
        occurrences = self.loc.occurrences.get(entry.id, [])
        seen: dict[str, tuple[str, int]] = {}
        for where, text in occurrences:
            count = seen.get(where, (text, 0))[1]
            seen[where] = (text, count + 1)
        links = ", ".join(
            self.link(escape(text + (f" ({n}×)" if n > 1 else "")), where)
            for where, (text, n) in seen.items()
        )
        sources = "; ".join(
            self.link(escape(plain(self.source(s).children)[:80].rstrip(" ,.")), s)
            for s in entry.sources
        )
        note = " ".join(p for p in (self.inlines(entry.gloss), self.inlines(entry.note)) if p)
        # No paragraph at all for an entry without gloss and note: an attribute
        # block over a blank line would go to the next paragraph.
        note_block = f"{attrs('entry-note')}\n{note}\n\n" if note.strip() else ""
        index_term = label.replace(";", ",").replace("\n", " ")
        return (
            f":::{{index}} single: {index_term}\n:::\n\n"
            f"{attrs('index-entry', f'entry-{entry.kind}', id=entry.id)}\n"
            f"### {self.inlines(entry.label)}\n\n"
            f"{note_block}"
            f"{attrs('entry-sources')}\nSources: {sources}\n\n"
            f"{attrs('entry-occurrences')}\nOccurs in: {links or escape('(no occurrence)')}\n"
        )

    def source(self, source_id: str) -> m.Source:
        """A bibliographic source by id."""
        return next(s for s in self.edition.sources if s.id == source_id)

    def witnesses_page(self) -> str:
        """The archival item, its two typescripts, and the witnesses with sigla."""
        self.page = WITNESSES
        h = self.edition.header
        ms = h.manuscript
        out = [
            "# Witnesses and sources\n",
            f"{attrs(id=ms.id)}\n## The archival file\n",
            f"{escape(ms.repository)}, {escape(ms.settlement)}, {escape(ms.country)}: "
            f"{escape(ms.idno)}.\n",
        ]
        for item in ms.items:
            title = f"{escape(item.locus)}: {self.inlines(item.title)}"
            out.append(f"{attrs('ms-item', id=item.id)}\n### {title}\n")
            out.append(f"{self.inlines(item.note)}\n")
        out.append("## Witnesses\n")
        for wit in h.witnesses:
            out.append(f"{attrs('witness', id=wit.id)}\n### {escape(wit.siglum)}\n")
            out.append(f"{self.inlines(wit.children)}\n")
        out.append("## Responsibility\n")
        for _, resp, name in h.responsibilities:
            out.append(f"- {escape(resp)}: {escape(name)}")
        out.append("")
        return "\n".join(out)

    def principles_page(self) -> str:
        """The editorial declaration, generated from ``encodingDesc``."""
        self.page = PRINCIPLES
        h = self.edition.header
        out = ["# Editorial principles\n"]
        out.extend(f"{self.inlines(p)}\n" for p in h.project)
        for principle in h.principles:
            out.append(f"## {escape(PRINCIPLE_TITLES.get(principle.kind, principle.kind))}\n")
            out.extend(f"{self.inlines(p)}\n" for p in principle.paragraphs)
        out.append("## Variants and citation\n")
        out.append(f"Variants are encoded by {escape(h.variant_method)}, inside the text.\n")
        levels = " and ".join(escape(c.unit) for c in h.cite_structure)
        out.append(f"Citable units: {levels}; each is cited by its identifier in the TEI file.\n")
        out.append("## Languages\n")
        out.extend(f"- {escape(ident)}: {escape(text)}" for ident, text in h.languages)
        out.append("\n## Licence\n")
        licence = self.inlines(h.licence)
        out.append(f"{self.link(licence, h.licence_url) if h.licence_url else licence}\n")
        out.extend(f"{self.inlines(p)}\n" for p in h.availability)
        out.append("## Date of the memo\n")
        out.append(f"{self.inlines(h.creation)}\n")
        return "\n".join(out)

    def revisions_page(self) -> str:
        """The revision history, generated from ``revisionDesc``."""
        self.page = REVISIONS
        out = ["# Revision history\n"]
        for change in self.edition.header.changes:
            who = self.edition.responsible.get(change.who, change.who)
            out.append(f"- {escape(change.when)}, {escape(who)}: {self.inlines(change.children)}")
        return "\n".join(out) + "\n"


def _descendants(node: m.Inline) -> Iterator[m.Inline]:
    """All inline nodes below ``node``."""
    for child in getattr(node, "children", ()):
        yield child
        yield from _descendants(child)


def render_pages(edition: m.Edition) -> dict[str, str]:
    """All generated pages, keyed by path relative to ``source/``."""
    r = Renderer(edition)
    pages = {
        f"{GENERATED_DIR}/{READING}.md": r.reading_page(),
        f"{GENERATED_DIR}/{LANDING}.md": r.landing(),
        f"{GENERATED_DIR}/{APPARATUS}.md": r.apparatus_page(),
        f"{GENERATED_DIR}/{NOTES}.md": r.notes_page(),
        f"{GENERATED_DIR}/{INDICES}.md": r.indices_page(),
        f"{GENERATED_DIR}/{WITNESSES}.md": r.witnesses_page(),
        f"{GENERATED_DIR}/{PRINCIPLES}.md": r.principles_page(),
        f"{GENERATED_DIR}/{REVISIONS}.md": r.revisions_page(),
    }
    return pages

"""TEI to model, through the element table in :mod:`edition.behaviours`.

Mixed content is read by one iterator that yields an element's text, each
child and each child's tail in order, so no word between elements is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TypeVar

from lxml import etree

from edition import model as m
from edition.behaviours import ENTRY_KINDS, TABLE, Kind, Rule, Where, rule_for
from edition.errors import EditionError
from edition.tei import NS, XML_ID, Document, local, witness_languages

# The edition's framing notes: labels, names of the witness views, banners, signs.
ANNOTATIONS = "tei:standOff/tei:listAnnotation/tei:note"
# XML white space only: U+00A0, U+2009 and the like are text, not layout.
XML_SPACE = " \t\r\n"
SPACE = re.compile(r"[ \t\r\n]+")
R = TypeVar("R", m.Reading, m.DivisionReading)
# The attributes each element's rules test (most test none): the reader looks up
# one rule per element, thousands of times, so it passes only these.
TESTED: dict[str, tuple[str, ...]] = {
    name: tuple(dict.fromkeys(r.attribute[0] for r in rules if r.attribute is not None))
    for name, rules in TABLE.items()
}


def _ids(value: str | None) -> tuple[str, ...]:
    """Turn ``"#a #b"`` into ``("a", "b")``; URLs pass unchanged."""
    return tuple(t[1:] if t.startswith("#") else t for t in (value or "").split())


def _one(value: str | None) -> str:
    """The first pointer of an attribute, without its ``#``."""
    ids = _ids(value)
    return ids[0] if ids else ""


def _norm(text: str | None) -> str:
    """Collapse white space; the layout's line ends carry no meaning."""
    return SPACE.sub(" ", text or "")


def text_of(el: etree._Element) -> str:
    """All the words under ``el`` as one string, XML white space collapsed and trimmed.

    The one way header fields and labels are read as text; running text goes
    through :meth:`Reader.inlines`, which keeps its structure.
    """
    return _norm("".join(el.itertext())).strip(XML_SPACE)


def _mixed(el: etree._Element) -> Iterator[str | etree._Element]:
    """Yield text, children and tails of ``el`` in document order."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            yield child
        if child.tail:
            yield child.tail


def _strip(inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
    """Drop white space at the very start and end of a block."""
    items = list(inlines)
    while items and isinstance(items[0], m.Text) and not items[0].text.strip(XML_SPACE):
        items.pop(0)
    while items and isinstance(items[-1], m.Text) and not items[-1].text.strip(XML_SPACE):
        items.pop()
    if items and isinstance(items[0], m.Text):
        items[0] = m.Text(items[0].text.lstrip(XML_SPACE))
    if items and isinstance(items[-1], m.Text):
        items[-1] = m.Text(items[-1].text.rstrip(XML_SPACE))
    return tuple(items)


class Reader:
    """Reads one validated TEI document into an :class:`~edition.model.Edition`."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.notes: list[m.Note] = []
        # the rule for (element name, where, values of the attributes it tests)
        self._rules: dict[tuple[str, Where, tuple[str, ...]], Rule] = {}
        # the edition's labels for divisions, by the id they label
        self.labels = {
            _one(n.get("target")): _norm("".join(n.itertext())).strip(XML_SPACE)
            for n in doc.root.iterfind(ANNOTATIONS, NS)
            if n.get("type") == "label"
        }

    # ------------------------------------------------------------ errors

    def rule(self, el: etree._Element, where: Where, context: str = "") -> Rule:
        """The table's rule for ``el`` met ``where``; the fallback is a located error."""
        name = local(el)
        tested = TESTED.get(name, ())
        key = (name, where, tuple(el.get(a, "") for a in tested) if tested else ())
        rule = self._rules.get(key)
        if rule is None:
            attributes = {a: v for a in tested if (v := el.get(a)) is not None}
            rule = self._rules[key] = rule_for(name, where, attributes)
        if rule.kind is Kind.UNHANDLED:
            raise self._unhandled(el, context or where.value)
        return rule

    def _unhandled(self, el: etree._Element, where: str) -> EditionError:
        return EditionError(
            [
                self.doc.problem(
                    el,
                    f"the renderer has no rule for <{local(el)}> {where}",
                    "add a rule in edition/behaviours.py or use an element the edition handles",
                )
            ]
        )

    # ------------------------------------------------------------ inline

    def inlines(self, el: etree._Element) -> tuple[m.Inline, ...]:
        """Read the mixed content of ``el`` (not ``el`` itself).

        :func:`_mixed`'s order, written out: this runs for every element of
        the text. Runs of text (a tail after a comment) join into one node.
        """
        out: list[m.Inline] = []
        pending = _norm(el.text) if el.text else ""  # text not yet made a node
        for child in el:
            if isinstance(child.tag, str):
                if pending:
                    out.append(m.Text(pending))
                    pending = ""
                out.append(self.inline(child))
            tail = child.tail
            if tail:
                pending += _norm(tail)
        if pending:
            out.append(m.Text(pending))
        return tuple(out)

    def block_inlines(self, el: etree._Element) -> tuple[m.Inline, ...]:
        """Read the content of a block, trimmed at both ends."""
        return _strip(list(self.inlines(el)))

    def inline(self, el: etree._Element) -> m.Inline:
        """Turn one inline element into a model node through its rule."""
        rule = self.rule(el, Where.INLINE)
        return INLINE_HANDLERS[rule.kind](self, el, rule)

    def _inline_styled(self, el: etree._Element, rule: Rule) -> m.Inline:
        return m.Styled(rule.show.css, self.inlines(el))

    def _inline_supplied(self, el: etree._Element, rule: Rule) -> m.Inline:
        return m.Supplied(_one(el.get("resp")), self.inlines(el))

    def _inline_name(self, el: etree._Element, rule: Rule) -> m.Inline:
        children = self.inlines(el)
        if rule.wrap is not None:
            children = (m.Styled(rule.wrap.css, children),)
        return m.Name(rule.arg, _one(el.get("ref")), children)

    def _inline_date(self, el: etree._Element, rule: Rule) -> m.Inline:
        return m.Date(el.get("when", ""), self.inlines(el))

    def _inline_link(self, el: etree._Element, rule: Rule) -> m.Inline:
        return m.Link(_one(el.get("target")), self.inlines(el))

    def _inline_note(self, el: etree._Element, rule: Rule) -> m.Inline:
        self.notes.append(self.note(el))
        return m.NoteRef(el.get(XML_ID, ""))

    def _inline_milestone(self, el: etree._Element, rule: Rule) -> m.Inline:
        return m.Milestone(rule.arg, el.get("n", ""), _one(el.get("edRef")), _one(el.get("resp")))

    def _gap(self, el: etree._Element) -> m.Gap:
        desc: tuple[m.Inline, ...] = ()
        for child in el:
            if isinstance(child.tag, str) and self.rule(child, Where.GAP).kind is Kind.DESCRIPTION:
                desc = self.block_inlines(child)
        return m.Gap(el.get(XML_ID, ""), desc)

    def _reading(self, el: etree._Element) -> m.Reading:
        return m.Reading(
            el.get(XML_ID, ""),
            _ids(el.get("wit")),
            _one(el.get("source")),
            el.get("type", ""),
            self.inlines(el),
        )

    def _inline_variant(self, el: etree._Element, rule: Rule) -> m.Inline:
        lemma, readings = self._split_app(el, self._reading)
        return m.Variant(el.get(XML_ID, ""), lemma, readings)

    def _split_app(
        self, el: etree._Element, read: Callable[[etree._Element], R]
    ) -> tuple[R, tuple[R, ...]]:
        """The lemma and the readings of an ``app``, each read by ``read``."""
        lemma: R | None = None
        readings: list[R] = []
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if self.rule(child, Where.VARIANT).kind is Kind.LEMMA:
                lemma = read(child)
            else:
                readings.append(read(child))
        if lemma is None:  # the schema requires a lem
            raise self._unhandled(el, "without a <lem>")
        return lemma, tuple(readings)

    def note(self, el: etree._Element) -> m.Note:
        """Read a note's attributes and content."""
        return m.Note(
            id=el.get(XML_ID, ""),
            n=el.get("n", ""),
            resp=_one(el.get("resp")),
            type=el.get("type", ""),
            source=_one(el.get("source")),
            target=_one(el.get("target")),
            children=self.block_inlines(el),
        )

    # ------------------------------------------------------------ blocks

    def blocks(self, parent: etree._Element) -> tuple[m.Block, ...]:
        """Read the block children of a ``front``, ``body``, ``back``, ``div`` or ``rdg``."""
        out: list[m.Block] = []
        for item in _mixed(parent):
            if isinstance(item, str):
                if item.strip(XML_SPACE):
                    raise EditionError(
                        [
                            self.doc.problem(
                                parent,
                                f"text {item.strip(XML_SPACE)[:40]!r} stands directly in "
                                f"<{local(parent)}>, outside any paragraph",
                                "put the text inside a <p> or a <head>",
                            )
                        ]
                    )
                continue
            out.append(self.block(item, f"between the blocks of <{local(parent)}>"))
        return tuple(out)

    def block(self, el: etree._Element, context: str) -> m.Block:
        """Turn one block element into a model node through its rule."""
        rule = self.rule(el, Where.BLOCK, context)
        if rule.kind is Kind.HEADING:  # only as a division's first child
            raise self._unhandled(el, context)
        return BLOCK_HANDLERS[rule.kind](self, el, rule)

    def division(self, el: etree._Element) -> m.Division:
        """Read a ``div`` with its optional heading."""
        head_el = el.find("tei:head", NS)
        head = (
            m.Heading(head_el.get(XML_ID, ""), self.block_inlines(head_el))
            if head_el is not None
            else None
        )
        blocks: list[m.Block] = []
        for item in _mixed(el):
            if isinstance(item, str) or item is head_el:
                if isinstance(item, str) and item.strip(XML_SPACE):
                    raise EditionError(
                        [
                            self.doc.problem(
                                el,
                                f"text {item.strip(XML_SPACE)[:40]!r} stands directly in <div>",
                                "put the text inside a <p> or a <head>",
                            )
                        ]
                    )
                continue
            blocks.append(self.block(item, "inside <div>"))
        return m.Division(
            id=el.get(XML_ID, ""),
            type=el.get("type", ""),
            n=el.get("n", ""),
            resp=_one(el.get("resp")),
            head=head,
            blocks=tuple(blocks),
            label=self.labels.get(el.get(XML_ID, ""), ""),
        )

    def _block_division(self, el: etree._Element, rule: Rule) -> m.Block:
        return self.division(el)

    def _block_paragraph(self, el: etree._Element, rule: Rule) -> m.Block:
        return m.Paragraph(el.get(XML_ID, ""), el.get("n", ""), self.block_inlines(el))

    def _block_note_block(self, el: etree._Element, rule: Rule) -> m.Block:
        self.notes.append(self.note(el))
        return m.NoteBlock(el.get(XML_ID, ""))

    def _block_gap_block(self, el: etree._Element, rule: Rule) -> m.Block:
        return m.GapBlock(self._gap(el))

    def _block_milestone_block(self, el: etree._Element, rule: Rule) -> m.Block:
        milestone = self._inline_milestone(el, rule)
        assert isinstance(milestone, m.Milestone)
        return milestone

    def _division_reading(self, el: etree._Element) -> m.DivisionReading:
        divisions = []
        for item in self.blocks(el):
            if not isinstance(item, m.Division):
                raise self._unhandled(el, "holding anything but whole <div>s in a division variant")
            divisions.append(item)
        return m.DivisionReading(
            el.get(XML_ID, ""),
            _ids(el.get("wit")),
            _one(el.get("source")),
            el.get("type", ""),
            tuple(divisions),
        )

    def _block_division_variant(self, el: etree._Element, rule: Rule) -> m.Block:
        lemma, readings = self._split_app(el, self._division_reading)
        return m.DivisionVariant(el.get(XML_ID, ""), el.get("type", ""), lemma, readings)

    # ------------------------------------------------------------ header and lists

    def _need(self, parent: etree._Element, xpath: str) -> etree._Element:
        """The element at ``xpath`` under ``parent``, which the pages cannot do without."""
        found = parent.find(xpath, NS)
        if found is None:
            name = xpath.rsplit(":", 1)[-1]
            raise EditionError(
                [
                    self.doc.problem(
                        parent,
                        f"<{local(parent)}> has no <{name}>, which the pages are made from",
                        f"add <{name}> to <{local(parent)}>",
                    )
                ]
            )
        return found

    def _text(self, xpath: str, context: etree._Element | None = None) -> str:
        el = (context if context is not None else self.doc.root).find(xpath, NS)
        return text_of(el) if el is not None else ""

    def _attr(self, xpath: str, name: str, context: etree._Element) -> str:
        el = context.find(xpath, NS)
        return el.get(name, "") if el is not None else ""

    def _paras(self, parent: etree._Element | None) -> tuple[tuple[m.Inline, ...], ...]:
        if parent is None:
            return ()
        return tuple(self.block_inlines(p) for p in parent.iterfind("tei:p", NS))

    def header(self) -> m.Header:
        """Read what the pages need from ``teiHeader``."""
        root = self.doc.root
        h = self._need(root, "tei:teiHeader")
        fd = self._need(h, "tei:fileDesc")
        ts = self._need(fd, "tei:titleStmt")
        ms_el = self._need(self._need(fd, "tei:sourceDesc"), "tei:msDesc")
        ident = self._need(ms_el, "tei:msIdentifier")
        items = tuple(
            m.ManuscriptItem(
                id=item.get(XML_ID, ""),
                locus=self._text("tei:locus", item),
                title=self.block_inlines(self._need(item, "tei:title")),
                language=self._need(item, "tei:textLang").get("mainLang", ""),
                note=self.block_inlines(self._need(item, "tei:note")),
                note_resp=_one(self._need(item, "tei:note").get("resp")),
            )
            for item in ms_el.iterfind("tei:msContents/tei:msItem", NS)
        )
        languages = witness_languages(self.doc)
        witnesses = tuple(
            m.Witness(
                w.get(XML_ID, ""),
                w.get("n", ""),
                tuple(_one(p.get("target")) for p in w.iterfind("tei:ptr", NS)),
                self._witness_text(w),
                languages.get(w.get(XML_ID, ""), ""),
            )
            for w in fd.iterfind("tei:sourceDesc/tei:listWit/tei:witness", NS)
        )
        ed = self._need(h, "tei:encodingDesc")
        decl = ed.find("tei:editorialDecl", NS)
        principles = tuple(
            m.Principle(local(part), self._paras(part))
            for part in (decl if decl is not None else [])
            if isinstance(part.tag, str)
        )
        cite = []
        level = ed.find("tei:refsDecl/tei:citeStructure", NS)
        while level is not None:
            cite.append(
                m.CiteLevel(level.get("unit", ""), level.get("match", ""), level.get("use", ""))
            )
            level = level.find("tei:citeStructure", NS)
        publication = self._need(fd, "tei:publicationStmt")
        avail = self._need(publication, "tei:availability")
        licence = avail.find("tei:licence", NS)
        creation = h.find("tei:profileDesc/tei:creation", NS)
        creation_date = creation.find("tei:date", NS) if creation is not None else None
        edition_el = fd.find("tei:editionStmt/tei:edition", NS)
        return m.Header(
            title=self._text("tei:title[@type='main']", ts),
            subtitle=self._text("tei:title[@type='sub']", ts),
            author=self._text("tei:author", ts),
            editor=self._text("tei:editor", ts),
            responsibilities=tuple(
                (
                    r.get(XML_ID, ""),
                    self._text("tei:resp", r),
                    self.responsible()[r.get(XML_ID, "")],
                )
                for r in ts.iterfind("tei:respStmt", NS)
            ),
            edition=text_of(edition_el) if edition_el is not None else "",
            version=edition_el.get("n", "") if edition_el is not None else "",
            publisher=self._text("tei:publicationStmt/tei:publisher", fd),
            date=self._need(publication, "tei:date").get("when", ""),
            licence_url=licence.get("target", "") if licence is not None else "",
            licence=self.block_inlines(licence) if licence is not None else (),
            availability=self._paras(avail),
            manuscript=m.Manuscript(
                id=ms_el.get(XML_ID, ""),
                country=self._text("tei:country", ident),
                settlement=self._text("tei:settlement", ident),
                repository=self._text("tei:repository", ident),
                idno=self._text("tei:idno", ident),
                items=items,
            ),
            witnesses=witnesses,
            project=self._paras(ed.find("tei:projectDesc", NS)),
            principles=principles,
            variant_method=self._attr("tei:variantEncoding", "method", ed),
            cite_structure=tuple(cite),
            creation_date=creation_date.get("when", "") if creation_date is not None else "",
            creation=self.block_inlines(creation) if creation is not None else (),
            languages=tuple(
                (lang.get("ident", ""), text_of(lang))
                for lang in h.iterfind("tei:profileDesc/tei:langUsage/tei:language", NS)
            ),
            changes=tuple(
                m.Change(
                    c.get("when", ""),
                    _one(c.get("who")),
                    self.block_inlines(c),
                    c.get("n", ""),
                    _ids(c.get("target")),
                )
                for c in h.iterfind("tei:revisionDesc/tei:change", NS)
            ),
            summary=tuple(
                self.block_inlines(p)
                for p in h.iterfind("tei:encodingDesc/tei:projectDesc/tei:p[@source]", NS)
            ),
        )

    def _witness_text(self, w: etree._Element) -> tuple[m.Inline, ...]:
        """A witness description without its pointer to the manuscript item."""
        out: list[m.Inline] = []
        for item in _mixed(w):
            if isinstance(item, str):
                out.append(m.Text(_norm(item)))
            elif rule_for(local(item), Where.WITNESS, {}).kind is not Kind.WITNESS_ITEM:
                out.append(self.inline(item))
        return _strip(out)

    def entries(self) -> tuple[m.Entry, ...]:
        """Read the index entries kept in ``standOff``."""
        kinds = {k.entry: (k.key, f"tei:{k.name}") for k in ENTRY_KINDS}
        out = []
        for el in self.doc.root.iterfind("tei:standOff//*", NS):
            if local(el) not in kinds or el.get(XML_ID) is None:
                continue
            kind, label_path = kinds[local(el)]
            note = el.find("tei:note", NS)
            gloss = el.find("tei:gloss", NS)
            out.append(
                m.Entry(
                    id=el.get(XML_ID, ""),
                    kind=kind,
                    label=self.block_inlines(self._need(el, label_path)),
                    gloss=self.block_inlines(gloss) if gloss is not None else (),
                    note=self.block_inlines(note) if note is not None else (),
                    resp=_one(note.get("resp")) if note is not None else "",
                    sources=_ids(note.get("source")) if note is not None else (),
                )
            )
        return tuple(out)

    def sources(self) -> tuple[m.Source, ...]:
        """Read the bibliography of the edition's own notes."""
        return tuple(
            m.Source(b.get(XML_ID, ""), self.block_inlines(b))
            for b in self.doc.root.iterfind("tei:standOff/tei:listBibl/tei:bibl", NS)
        )

    def responsible(self) -> dict[str, str]:
        """Map ids used in @resp to a display name."""
        out = {}
        for r in self.doc.root.iterfind(".//tei:titleStmt/tei:respStmt", NS):
            name = self._need(r, "tei:resp").getnext()
            out[r.get(XML_ID, "")] = text_of(name) if name is not None else ""
        for p in self.doc.root.iterfind(".//tei:listPerson/tei:person", NS):
            out[p.get(XML_ID, "")] = self._text("tei:persName", p)
        return out

    def edition(self) -> m.Edition:
        """Read the whole file."""
        text = self._need(self.doc.root, "tei:text")
        front = self._need(text, "tei:front")
        if front.find("tei:div/tei:head", NS) is None:
            raise EditionError(
                [
                    self.doc.problem(
                        front,
                        "<front> has no <div> with a <head>: the reading page has no title",
                        "give a <div> of <front> a <head> with the title",
                    )
                ]
            )
        parts = {}
        for name in ("front", "body", "back"):
            el = text.find(f"tei:{name}", NS)
            parts[name] = self.blocks(el) if el is not None else ()
        return m.Edition(
            header=self.header(),
            front=parts["front"],
            body=parts["body"],
            back=parts["back"],
            notes=tuple(self.notes),
            entries=self.entries(),
            sources=self.sources(),
            responsible=self.responsible(),
            annotations=tuple(self.note(n) for n in self.doc.root.iterfind(ANNOTATIONS, NS)),
        )


InlineHandler = Callable[[Reader, etree._Element, Rule], m.Inline]
BlockHandler = Callable[[Reader, etree._Element, Rule], m.Block]
# Each kind the table names, and the reader method that makes its node.
INLINE_HANDLERS: dict[Kind, InlineHandler] = {
    Kind.STYLED: Reader._inline_styled,
    Kind.SUPPLIED: Reader._inline_supplied,
    Kind.NAME: Reader._inline_name,
    Kind.DATE: Reader._inline_date,
    Kind.LINK: Reader._inline_link,
    Kind.NOTE: Reader._inline_note,
    Kind.MILESTONE: Reader._inline_milestone,
    Kind.VARIANT: Reader._inline_variant,
}
BLOCK_HANDLERS: dict[Kind, BlockHandler] = {
    Kind.DIVISION: Reader._block_division,
    Kind.PARAGRAPH: Reader._block_paragraph,
    Kind.NOTE_BLOCK: Reader._block_note_block,
    Kind.GAP_BLOCK: Reader._block_gap_block,
    Kind.MILESTONE_BLOCK: Reader._block_milestone_block,
    Kind.DIVISION_VARIANT: Reader._block_division_variant,
}


def read(doc: Document) -> m.Edition:
    """Build the model of a loaded TEI document."""
    return Reader(doc).edition()

"""Every piece of text the site shows can be traced to the TEI, or is an interface word.

The edition may say nothing about a witness, the document or its history that
the TEI does not hold with its source (``@source``) or as this edition's own
note (``@resp="#digital-edition"``). This test walks the built pages, takes
every run of text in each page's article (and every ``title`` attribute), and
looks for it in the text of such TEI elements, or in the memo itself
(``<text>``). What is found nowhere must be one of a short, fixed list of
interface words, or a locator built from the TEI's own numbers and labels
("§ 3 ¶ 2", "note † (Title, heading)"). Anything else fails, with the page
and the words.

It maps text back to the TEI by its words, not by markers the renderer sets,
so it also catches a sentence written in a template or a stylesheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString
from conftest import TEI_FILE
from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
# Whose notes count as "this edition's"; the print editor's words are in <text>.
EDITION = "#digital-edition"

# The interface words: what the site says about itself, never about the memo.
INTERFACE = frozenset(
    {
        "About this edition",
        "About this view",
        "Changed:",
        "Critical apparatus",
        "Correction",
        "Date of the memo",
        "Editorial principles",
        "In the text",
        "In the text:",
        "Indices",
        "Languages",
        "Link to this heading",
        "Licence",
        "Normalization",
        "Note by this digital edition",
        "Notes",
        "Notes by this digital edition",
        "Notes, italics and supplied text",
        "Occurs in:",
        "Organizations",
        "Persons",
        "Places",
        "Read the edition",
        "Reported in:",
        "Responsibility",
        "Revision history",
        "Russian readings and gaps",
        "Segmentation and page breaks",
        "Show it",
        "Show the text as",
        "Signs used in this edition",
        "Source:",
        "Sources of the edition's notes",
        "Sources:",
        "Terms",
        "The archival file",
        "The memo",
        "The print editor's notes",
        "Witnesses",
        "Witnesses and sources",
        "(no occurrence)",
        "(note)",
        "(source)",
        "[page break]",
        "reading text",
    }
)
# Locators are made of the TEI's numbers and labels joined by these words.
# A version is named by the TEI's own numbers (edition/@n, change/@n).
LOCATOR_PARTS = re.compile(
    r"note (?:[†‡]|ed\.)|variant at|, heading|¶ \w+|§ \w+|\(\d+×\)|\[p\. \d+\]|\b\w+\.\d+\b"
    r"|(?:(?:Revised in|[Ww]ords of) )?[Vv]ersion \d+(?:\.\d+)+"
)
# markup names on the principles page are shown as "<cb>" and "@source"
PUNCTUATION = " \t\n,.;:()[]{}<>@\"'“”‘’—–-•·¶×/"
# Pages Sphinx makes of its own (search, general index, not-found page), and
# the citation boxes and download list, whose words the citation tests check.
SKIPPED_PAGES = {"search.html", "genindex.html", "404.html", "downloads.html"}
SKIPPED_CLASSES = {"section-cite", "headerlink", "visually-hidden"}


def norm(text: str) -> str:
    """White space collapsed, as the reader and the browser do."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Provenance:
    """What the TEI lets the site say: traceable texts, labels and agents' names."""

    corpus: str
    labels: frozenset[str]
    names: frozenset[str]
    # the TEI's identifiers, which the revision history names as the anchors it changed
    ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, root: etree._Element) -> Provenance:
        """Collect the text of every TEI element that carries its source or this edition's resp."""
        texts = []
        for el in root.iter(f"{{{TEI_NS}}}*"):
            resp = (el.get("resp") or "").split() + (el.get("who") or "").split()
            local = etree.QName(el).localname
            if el.get("source") or EDITION in resp or local == "text":
                texts.append(norm("".join(el.itertext())))
            if local == "note" and el.get("type") == "sign" and EDITION in resp:
                texts.append(norm(el.get("n", "")))  # the signs of the legend
            if local == "language":
                texts.append(el.get("ident", ""))  # language tags named on the principles page
        # labels of units: the edition's label notes, division types and @n
        label_notes = [
            n
            for n in root.iterfind(".//t:listAnnotation/t:note[@type='label']", NS)
            if EDITION in (n.get("resp") or "").split()
        ]
        labels = {norm("".join(n.itertext())) for n in label_notes}
        labelled = {n.get("target", "")[1:] for n in label_notes}
        # a unit the edition has not labelled is named by its TEI type ("Title", "Colophon")
        for tag in ("div", "app"):
            for el in root.iterfind(f".//t:text//t:{tag}[@type]", NS):
                if el.get(XML_ID) not in labelled:
                    labels.add(el.get("type", "").replace("-", " ").capitalize())
        names = {
            norm("".join(p.itertext()))
            for p in root.iterfind(".//t:standOff/t:listPerson/t:person/t:persName", NS)
        }
        ids = frozenset(el.get(XML_ID, "") for el in root.iter() if el.get(XML_ID))
        return cls("\x00".join(texts), frozenset(labels), frozenset(names), ids)

    def traces(self, text: str) -> bool:
        """Whether ``text`` (one run of a page) is the TEI's, an interface word or a locator."""
        text = norm(text)
        core = text.strip(PUNCTUATION)
        if not core or not any(ch.isalpha() for ch in core):
            return True
        if text in INTERFACE or core in INTERFACE or core in self.corpus or core in self.ids:
            return True
        if core.startswith("Note by the editor, ") and core[20:] in self.names:
            return True
        rest = LOCATOR_PARTS.sub(" ", text).strip(PUNCTUATION)
        return not rest or norm(rest) in self.labels or norm(rest) in self.corpus


def runs(html: str) -> list[str]:
    """Every run of text in a page's article, and every ``title`` attribute in it."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup.find("main") or soup
    out = []
    for node in article.descendants:
        if isinstance(node, PreformattedString):  # comments, doctypes
            continue
        if any(set(p.get("class") or ()) & SKIPPED_CLASSES for p in node.parents):
            continue
        if isinstance(node, NavigableString):
            if node.parent is None or node.parent.name not in {"script", "style"}:
                out.append(str(node))
        elif isinstance(node, Tag) and node.get("title"):
            out.append(str(node["title"]))
    return [r for r in out if r.strip()]


def untraced(html: str, provenance: Provenance) -> list[str]:
    """The runs of a page that cannot be traced to the TEI."""
    return [r for r in runs(html) if not provenance.traces(r)]


def pages(site: Path) -> list[Path]:
    """The built pages the edition writes, without Sphinx's own."""
    return sorted(
        p
        for p in site.rglob("*.html")
        if p.name not in SKIPPED_PAGES and not p.relative_to(site).parts[0].startswith("_")
    )


@pytest.fixture(scope="module")
def provenance() -> Provenance:
    return Provenance.of(etree.parse(str(TEI_FILE)).getroot())


def test_every_text_on_the_site_is_traced_to_the_tei(site: Path, provenance: Provenance):
    built = pages(site)
    assert len(built) >= 9  # landing, about and the seven generated edition pages
    problems = {
        str(p.relative_to(site)): found
        for p in built
        if (found := untraced(p.read_text(encoding="utf-8"), provenance))
    }
    assert not problems, problems


def test_the_walk_sees_the_frame(site: Path):
    # the words around the text really are collected: labels, banners, legend, sources
    words = " ".join(runs((site / "edition" / "memo.html").read_text(encoding="utf-8")))
    assert "Title given by the print editor" in words
    assert "You are reading the text as laid out in the 2005 print edition" in words
    assert "Signs used in this edition" in words
    index = " ".join(runs((site / "edition" / "indices.html").read_text(encoding="utf-8")))
    assert "Sources:" in index and "Note by this digital edition" in index


def test_a_sentence_written_by_code_fails(site: Path, provenance: Provenance):
    # what a template or renderer might add: a claim about the document with no source
    page = (site / "edition" / "witnesses.html").read_text(encoding="utf-8")
    claim = "The typescript was sent to America in July 1923."
    forged = page.replace("<h2", f"<p>{claim}</p><h2", 1)
    assert claim in forged
    assert untraced(page, provenance) == []
    assert untraced(forged, provenance) == [claim]


def test_a_witness_description_without_its_source_fails(site: Path):
    # the same page fails once the TEI no longer says what the description rests on
    root = etree.parse(str(TEI_FILE)).getroot()
    witness = root.find(f".//t:listWit/t:witness[@{XML_ID}='wit-en']", NS)
    assert witness is not None and witness.get("source")
    del witness.attrib["source"]
    page = (site / "edition" / "witnesses.html").read_text(encoding="utf-8")
    found = untraced(page, Provenance.of(root))
    assert any(r.startswith("English translation, RGASPI") for r in found), found


def test_an_unsourced_note_fails(site: Path):
    # an index note that is no longer this edition's (nor its list's) is not traceable
    root = etree.parse(str(TEI_FILE)).getroot()
    places = root.find(".//t:standOff/t:listPlace", NS)
    note = root.find(f".//t:place[@{XML_ID}='place-moscow']/t:note", NS)
    assert places is not None and note is not None
    for el in (places, note):
        for name in ("resp", "source"):
            el.attrib.pop(name, None)
    page = (site / "edition" / "indices.html").read_text(encoding="utf-8")
    found = untraced(page, Provenance.of(root))
    assert any("Founding Congress opened there" in r for r in found), found


def test_locators_need_the_teis_labels(provenance: Provenance):
    assert provenance.traces("note † (Title, heading)")
    assert provenance.traces("Opening paragraph ¶ 1")
    assert provenance.traces("§ 8, heading (2×)")
    assert not provenance.traces("Preamble ¶ 1")  # the memo has no preamble heading
    assert not provenance.traces("note † (Appendix, heading)")


def test_every_page_with_a_note_says_whose(site: Path):
    for name in ("indices.html", "witnesses.html", "notes.html", "memo.html"):
        soup = BeautifulSoup((site / "edition" / name).read_text(encoding="utf-8"), "html.parser")
        assert soup.select(".note-resp"), name
    soup = BeautifulSoup(
        (site / "edition" / "indices.html").read_text(encoding="utf-8"), "html.parser"
    )
    for entry in soup.select(".entry-note"):
        assert entry.select_one(".note-resp"), entry.get_text()[:60]


def test_index_sources_are_not_cut_into_false_addresses(site: Path):
    soup = BeautifulSoup(
        (site / "edition" / "indices.html").read_text(encoding="utf-8"), "html.parser"
    )
    links = soup.select(".entry-sources a")
    assert links
    for a in links:
        text = a.get_text()
        assert "http" not in text and "/wiki/" not in text, text


def test_footer_claims_no_copyright_for_the_print_edition(site: Path):
    footer = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = norm(footer.select_one("footer").get_text())
    assert "Free reproduction permitted" in text
    assert "2005 Tim Davenport" not in text

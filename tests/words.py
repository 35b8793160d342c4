"""Word sequences for fidelity checks: from the transcription, the TEI and HTML.

Words are compared, not characters, because the transcription, the TEI and the
page legitimately differ in white space, quotes around markup and the
editor's brackets (encoded as <supplied>). Case and word order must match.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree, html

TEI = "{http://www.tei-c.org/ns/1.0}"
WORD = re.compile(r"\w+(?:['’.\-]\w+)*")
FOOTNOTE = re.compile(r"^(\^\{[†‡]-\}|[†‡]-)\s*")
COLOPHON_START = "Edited with footnotes by"
# Elements of the page that are the edition's apparatus, not witness text.
APPARATUS_CLASSES = (
    "ed",
    "ed-pop",
    "sidenote",
    "edition-aside",
    "headerlink",
    "rdg-division",
    "note-block",
    "witness-switch",
    "legend",
)


def words(text: str) -> list[str]:
    """The words of ``text`` in order."""
    return WORD.findall(text)


def transcription_parts(text: str) -> tuple[list[str], list[list[str]], list[str]]:
    """Split the transcription into memo words, each footnote's words, colophon words."""
    memo: list[str] = []
    notes: list[list[str]] = []
    colophon: list[str] = []
    for line in text.splitlines():
        line = line.replace("*", "")
        if FOOTNOTE.match(line):
            notes.append(words(FOOTNOTE.sub("", line)))
        elif line.startswith(COLOPHON_START):
            colophon = words(line)
        else:
            memo.extend(words(re.sub(r"[†‡]", " ", line)))
    return memo, notes, colophon


def _text_without(el: etree._Element, skip: tuple[str, ...]) -> str:
    """Text of ``el`` leaving out the named descendants (but keeping their tails)."""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and etree.QName(child).localname not in skip:
                walk(child)
            if child.tail:
                out.append(child.tail)

    walk(el)
    return "".join(out)


def tei_parts(path: Path) -> tuple[list[str], list[list[str]], list[str]]:
    """Memo words (front and body, no notes or Russian readings), editor's notes, colophon."""
    root = etree.parse(str(path)).getroot()
    text = root.find(f"{TEI}text")
    memo: list[str] = []
    for part in ("front", "body"):
        el = text.find(f"{TEI}{part}")
        memo.extend(words(_text_without(el, ("note", "rdg"))))
    notes = [words(_text_without(n, ())) for n in text.iter(f"{TEI}note") if n.get("n")]
    back = text.find(f"{TEI}back")
    colophon = words(_text_without(back, ("note",))) if back is not None else []
    return memo, notes, colophon


def page_words(path: Path) -> list[str]:
    """Words of a built page's article, apparatus removed."""
    doc = html.parse(str(path)).getroot()
    article = doc.find(".//article")
    for el in list(article.iter()):
        classes = (el.get("class") or "").split()
        if any(c in APPARATUS_CLASSES for c in classes) or el.tag in ("fieldset", "details"):
            el.drop_tree()
    return words(article.text_content())


def first_difference(a: list[str], b: list[str]) -> str:
    """Describe where two word sequences first differ."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"word {i}: {x!r} != {y!r}; context {a[max(0, i - 5) : i + 5]} / {b[max(0, i - 5) : i + 5]}"
    return f"lengths differ: {len(a)} != {len(b)}; tail {a[len(b) :][:10]} / {b[len(a) :][:10]}"

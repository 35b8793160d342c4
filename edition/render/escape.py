"""MyST syntax from text: one :func:`escape` for all TEI text, and the attribute helpers.

Every run of text from the TEI goes through :func:`escape`, which
backslash-escapes all ASCII punctuation, so no TEI text can become Markdown
or MyST syntax. Structure is expressed only with attribute spans
(``[text]{.class #id}``), attribute blocks (``{#id .class}``) and links, which
the local Sphinx extension dresses into the final HTML.
"""

from __future__ import annotations

import re
import string

# One translation table for escape(): punctuation escaped, controls and
# non-ASCII white space (all of it lies below U+3001) written as references.
ESCAPES: dict[int, str] = {ord(ch): "\\" + ch for ch in string.punctuation}
ESCAPES.update({c: f"&#{c};" for c in range(32)})
ESCAPES.update({ord(ch): " " for ch in "\t\n\r"})
ESCAPES[ord("§")] = "&#167;"
ESCAPES.update({c: f"&#{c};" for c in range(0xA0, 0x3001) if chr(c).isspace()})
# The characters of the table as one regular expression: most text has few of them,
# and a search in C that stops only at those is faster than str.translate with a dict.
_ESCAPED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(ESCAPES)) + "]")

# A space that separates a mark from the word before it for search and copying,
# without showing (marks are superscripts set tight against the word).
SEPARATOR = "[&#32;]{.visually-hidden}"


def escape(text: str) -> str:
    """Make ``text`` literal in MyST: escape ASCII punctuation, encode controls and spaces.

    Line ends and tabs become spaces. Other white space (U+00A0, U+2009, U+3000,
    U+2028...) is written as a character reference, which Markdown neither
    trims at the ends of a paragraph nor reads as a line end. U+007F and the
    C1 controls pass unchanged: a reference to them decodes to U+FFFD.
    """
    return _ESCAPED.sub(_replace, text)


def _replace(found: re.Match[str]) -> str:
    return ESCAPES[ord(found.group())]


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


def container(inner: str, id: str, *classes: str) -> str:
    """A block container; the fence grows with nesting so any depth parses."""
    depth = inner.count("\n:::") + 3
    fence = ":" * max(3, depth + 1)
    name = f":name: {id}\n" if id else ""
    return f"{fence}{{container}} {' '.join(classes)}\n{name}\n{inner}\n{fence}\n"

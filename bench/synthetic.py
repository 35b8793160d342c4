"""Synthetic TEI files for the benchmark: the memo's body copied many times.

:func:`multiply` copies every child of ``<body>`` (the divisions, the variants of
whole divisions and the notes between them) ``factor`` times. Each copy gets
fresh identifiers (``-c2``, ``-c3``, ... appended, which keeps the id pattern of
:data:`edition.tei.ID_PATTERN`), and every pointer inside a copy that points into
the copied material is rewritten to point into the same copy; pointers to the
header, the standOff lists or the front matter are left as they are. Numbered
sections are renumbered so that each copy continues the numbering. The result
is valid against the project schema and passes the rule checks of
:mod:`edition.tei`.

Usage from the command line: ``python -m bench.synthetic FILE FACTOR > OUT``.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from lxml import etree

from edition.tei import ID_PATTERN, NS, POINTER_ATTRIBUTES, XML_ID, local


def _suffixed(ident: str, n: int) -> str:
    """The id of the ``n``-th copy of the element with id ``ident``."""
    new = f"{ident}-c{n}"
    if not ID_PATTERN.match(new):  # pragma: no cover - ID_PATTERN is closed under this
        raise ValueError(f"cannot derive a valid id from {ident!r}")
    return new


def _rewrite_pointers(el: etree._Element, mapping: dict[str, str]) -> None:
    """Point every ``#id`` of ``el`` that names a copied element to its copy."""
    for attr in POINTER_ATTRIBUTES:
        value = el.get(attr)
        if value is None:
            continue
        tokens = value.split()
        new = [
            f"#{mapping[t[1:]]}" if t.startswith("#") and t[1:] in mapping else t for t in tokens
        ]
        if new != tokens:
            el.set(attr, " ".join(new))


def _section_numbers(children: list[etree._Element]) -> int:
    """The highest numeric ``@n`` of the body's divisions (0 when none is numeric)."""
    numbers = [
        int(el.get("n", ""))
        for el in children
        if isinstance(el.tag, str) and local(el) == "div" and el.get("n", "").isdigit()
    ]
    return max(numbers, default=0)


def multiply(tei_path: Path | str, factor: int) -> bytes:
    """Return the TEI file ``tei_path`` with its body's content ``factor`` times over.

    The first copy is the original, with its ids; copy ``k`` (2 to ``factor``)
    has every id of the body suffixed with ``-ck``. Raises :class:`ValueError`
    if ``factor`` is below 1, if the body is empty, or if a derived id would
    clash with an id already in the file.
    """
    if factor < 1:
        raise ValueError(f"factor must be at least 1, not {factor}")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    tree = etree.parse(str(tei_path), parser)
    body = tree.getroot().find("tei:text/tei:body", NS)
    if body is None:
        raise ValueError(f"{tei_path} has no <body>")
    originals = list(body)
    elements = [el for el in originals if isinstance(el.tag, str)]
    if not elements:
        raise ValueError(f"the <body> of {tei_path} is empty")
    copied_ids = [i for top in elements for el in top.iter() if (i := el.get(XML_ID)) is not None]
    existing = {i for el in tree.getroot().iter() if (i := el.get(XML_ID)) is not None}
    step = _section_numbers(elements)
    separator = body.text if body.text and not body.text.strip() else "\n"
    last_tail = originals[-1].tail
    originals[-1].tail = separator
    for n in range(2, factor + 1):
        mapping = {ident: _suffixed(ident, n) for ident in copied_ids}
        clashes = existing.intersection(mapping.values())
        if clashes:
            raise ValueError(f"derived ids already used in {tei_path}: {sorted(clashes)[:5]}")
        existing.update(mapping.values())
        for original in originals:
            dup = copy.deepcopy(original)
            dup.tail = separator
            for el in dup.iter():
                if not isinstance(el.tag, str):
                    continue
                ident = el.get(XML_ID)
                if ident is not None:
                    el.set(XML_ID, mapping[ident])
                _rewrite_pointers(el, mapping)
            if step and local(dup) == "div" and dup.get("n", "").isdigit():
                dup.set("n", str(int(dup.get("n", "0")) + (n - 1) * step))
            body.append(dup)
    body[-1].tail = last_tail
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def main(argv: list[str] | None = None) -> int:
    """Write ``multiply(FILE, FACTOR)`` to standard output."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not args[1].isdigit():
        print("usage: python -m bench.synthetic FILE FACTOR > OUT", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(multiply(Path(args[0]), int(args[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())

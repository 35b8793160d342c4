"""The TEI files the bench measures: a snapshot of the memo and synthetic editions of it.

The 10x and 100x files come from :func:`bench.synthetic.multiply`. The
one-paragraph edit (figure 4) is made on the bytes of a file, so that
nothing but that paragraph's words changes.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from bench import synthetic
from edition import tei

FACTORS = (1, 10, 100)
EDIT_WORD = "Edited"


class InputError(RuntimeError):
    """A TEI file the bench cannot use."""


@dataclass
class Inputs:
    """The TEI files measured, with what the figures need to know about them."""

    files: dict[int, Path]
    sections: dict[int, int]
    last_paragraph: str
    # The paragraph of the 100x file whose words figure 4 changes.
    edit_paragraph: str


def body_paragraph_ids(path: Path) -> list[str]:
    """The ``xml:id`` of every ``<p>`` in ``<body>`` that has one, in order."""
    root = etree.parse(str(path)).getroot()
    found = (p.get(tei.XML_ID) for p in root.iterfind("tei:text/tei:body//tei:p", tei.NS))
    return [i for i in found if i]


def count_sections(path: Path) -> int:
    """Divisions in the body (deleted sections inside a variant included)."""
    root = etree.parse(str(path)).getroot()
    return len(root.findall("tei:text/tei:body//tei:div", tei.NS))


def edit_paragraph(data: bytes, xml_id: str, word: str = EDIT_WORD) -> bytes:
    """The TEI file's bytes with ``word`` put first in the paragraph ``xml_id``.

    Only that paragraph's text changes: the word goes right after its start
    tag, and every other byte of the file stays as it was.
    """
    mark = f'xml:id="{xml_id}"'.encode()
    at = data.find(mark)
    if at < 0 or data.find(mark, at + 1) >= 0:
        raise InputError(f"no single element with xml:id {xml_id!r}")
    start = data.rfind(b"<", 0, at)
    if re.match(rb"<p\s", data[start : start + 3]) is None:
        raise InputError(f"xml:id {xml_id!r} is not on a <p>")
    end = data.find(b">", at)
    if data[end - 1 : end] == b"/":
        raise InputError(f"<p xml:id={xml_id!r}> is empty")
    return data[: end + 1] + word.encode() + b" " + data[end + 1 :]


def prepare_inputs(master: Path, work: Path) -> Inputs:
    """Snapshot the memo (others may be editing it) and write the synthetic files."""
    files = {1: work / "memo.xml"}
    shutil.copyfile(master, files[1])
    for factor in FACTORS[1:]:
        files[factor] = work / f"memo-{factor}x.xml"
        files[factor].write_bytes(synthetic.multiply(files[1], factor))
    for path in files.values():
        tei.load(path)  # a file the pipeline rejects would make every figure meaningless
    last = body_paragraph_ids(files[1])
    big = body_paragraph_ids(files[FACTORS[-1]])
    if not last or not big:
        raise InputError(f"{master}: no <p> with an xml:id in <body>")
    return Inputs(
        files=files,
        sections={f: count_sections(p) for f, p in files.items()},
        last_paragraph=last[-1],
        edit_paragraph=big[len(big) // 2],
    )

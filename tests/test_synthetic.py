"""The synthetic TEI files of the benchmark are editions the pipeline accepts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from bench.synthetic import multiply
from edition import tei

ROOT = Path(__file__).resolve().parent.parent
TEI_FILE = ROOT / "tei" / "nucleus.xml"
BODY_DIVS = "tei:text/tei:body//tei:div"


@pytest.fixture(scope="module")
def tripled(tmp_path_factory: pytest.TempPathFactory) -> tei.Document:
    """The memo with its body three times over, loaded like the master file."""
    path = tmp_path_factory.mktemp("synthetic") / "memo-3x.xml"
    path.write_bytes(multiply(TEI_FILE, 3))
    return tei.load(path)


def test_tripled_file_loads_and_has_three_times_the_sections(tripled: tei.Document) -> None:
    original = tei.load(TEI_FILE)
    assert len(tripled.root.findall(BODY_DIVS, tei.NS)) == 3 * len(
        original.root.findall(BODY_DIVS, tei.NS)
    )
    body = tripled.root.find("tei:text/tei:body", tei.NS)
    original_body = original.root.find("tei:text/tei:body", tei.NS)
    assert len(body) == 3 * len(original_body)


def test_all_ids_are_unique_and_well_formed(tripled: tei.Document) -> None:
    ids = Counter(el.get(tei.XML_ID) for el in tripled.root.iter() if el.get(tei.XML_ID))
    assert [i for i, n in ids.items() if n > 1] == []
    assert all(tei.ID_PATTERN.match(i) for i in ids)


def test_pointers_stay_inside_their_copy(tripled: tei.Document) -> None:
    original_body = tei.load(TEI_FILE).root.find("tei:text/tei:body", tei.NS)
    body_ids = {el.get(tei.XML_ID) for el in original_body.iter() if el.get(tei.XML_ID)}
    checked = 0
    for top in tripled.root.find("tei:text/tei:body", tei.NS):
        ident = top.get(tei.XML_ID)
        suffix = "" if ident in body_ids else "-c" + ident.rsplit("-c", 1)[1]
        for el in top.iter():
            for attr in tei.POINTER_ATTRIBUTES:
                for token in (el.get(attr) or "").split():
                    target = token[1:]
                    base = target.removesuffix(suffix) if suffix else target
                    if token.startswith("#") and base in body_ids:
                        assert target == base + suffix, f"{ident}: {attr}={token}"
                        checked += 1
    assert checked >= 3 * 2  # the placement note's @target and the readings' @source
    note = tripled.by_id()["note-leading-organs-placement-c3"]
    assert note.get("target") == "#app-leading-organs-c3"
    assert note.get("source") == "#note-title"  # the front matter is not copied


def test_copies_continue_the_section_numbers(tripled: tei.Document) -> None:
    numbers = [
        int(div.get("n"))
        for div in tripled.root.findall("tei:text/tei:body/tei:div[@type='section']", tei.NS)
    ]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)


def test_factor_one_is_the_memo_itself() -> None:
    parser = etree.XMLParser(remove_blank_text=False)
    assert etree.tostring(etree.fromstring(multiply(TEI_FILE, 1), parser)) == etree.tostring(
        etree.parse(str(TEI_FILE), parser).getroot()
    )


def test_factor_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        multiply(TEI_FILE, 0)

"""The TEI master file: fidelity to the transcription and the rules RELAX NG cannot state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TEI_FILE, case_file
from lxml import etree
from words import first_difference, tei_parts, transcription_parts

from edition import tei
from edition.errors import EditionError

NS = {"t": tei.TEI_NS}
SECTION_IDS = [
    "preamble",
    "factory-nuclei",
    "leading-committees",
    "trade-unions",
    "language-sections",
    "legal-facilities",
    "press",
    "prisoners-aid",
    "secret-organization",
]


def rule_problems(doc: tei.Document) -> list:
    """Problems found by the Python checks alone (required attributes, rules)."""
    problems = tei._required_problems(doc)
    try:
        tei.check_rules(doc)
    except EditionError as exc:
        problems += exc.problems
    return problems


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first occurrence of ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_master_file_loads_clean():
    doc = tei.load(TEI_FILE)
    assert doc.root.tag == f"{{{tei.TEI_NS}}}TEI"


def test_memo_words_match_the_transcription_in_order(transcription):
    memo, _notes, colophon = transcription_parts(transcription)
    t_memo, _t_notes, t_colophon = tei_parts(TEI_FILE)
    assert len(memo) > 1400
    assert t_memo == memo, first_difference(t_memo, memo)
    assert t_colophon == colophon


def test_editor_footnotes_are_word_for_word(transcription):
    _, notes, _ = transcription_parts(transcription)
    _, t_notes, _ = tei_parts(TEI_FILE)
    assert len(notes) == 3
    assert t_notes == notes


def test_editor_notes_keep_their_printed_symbols():
    root = etree.parse(str(TEI_FILE)).getroot()
    notes = root.findall(".//t:text//t:note[@n]", NS)
    assert [n.get("n") for n in notes] == ["†", "†", "‡"]
    assert {n.get("resp") for n in notes} == {"#pers-davenport"}


def test_text_has_a_preamble_and_eight_sections_with_ids():
    root = etree.parse(str(TEI_FILE)).getroot()
    divs = root.findall("./t:text/t:body/t:div", NS)
    assert [d.get(tei.XML_ID) for d in divs] == SECTION_IDS
    assert all(d.find("t:head", NS) is not None for d in divs[1:])
    for div in divs:
        for p in div.findall("t:p", NS):
            assert tei.ID_PATTERN.match(p.get(tei.XML_ID))


def test_three_layout_breaks_are_recorded_inside_paragraphs():
    root = etree.parse(str(TEI_FILE)).getroot()
    breaks = root.findall(".//t:body//t:p/t:pb", NS) + root.findall(".//t:body//t:p/t:cb", NS)
    assert len(breaks) == 3
    assert all(b.get("edRef") == "#wit-print" for b in breaks)


def test_russian_readings_are_english_and_sourced():
    doc = tei.load(TEI_FILE)
    russian = tei.russian_witnesses(doc)
    assert russian == {"wit-ru"}
    readings = [r for r in doc.root.iterfind(".//t:rdg", NS) if r.get("wit") == "#wit-ru"]
    assert len(readings) == 3
    for rdg in readings:
        assert rdg.get("source")
        assert not tei.CYRILLIC.search("".join(rdg.itertext()))
        langs = {el.get(tei.XML_LANG) for el in rdg.iter() if el.get(tei.XML_LANG)}
        assert not any(lang.startswith("ru") for lang in langs)


def test_no_cyrillic_anywhere_in_readings_of_the_russian_witness():
    # the whole file may cite Russian words only in transliteration
    text = TEI_FILE.read_text(encoding="utf-8")
    assert not tei.CYRILLIC.search(text)


def test_deleted_section_is_a_russian_reading_with_an_empty_lemma():
    root = etree.parse(str(TEI_FILE)).getroot()
    app = root.find(".//t:app[@xml:id='app-leading-organs']", {**NS, "xml": tei.XML_NS})
    lem = app.find("t:lem", NS)
    assert len(lem) == 0 and not (lem.text or "").strip()
    gap = app.find(".//t:gap", NS)
    assert gap.get("reason") == "unreported"
    assert "partstazh" in "".join(gap.itertext())
    placement = root.find(".//t:note[@target='#app-leading-organs']", NS)
    assert placement.get("resp") == "#digital-edition"


def test_every_entry_note_cites_a_source():
    root = etree.parse(str(TEI_FILE)).getroot()
    entries = [
        e
        for e in root.iterfind("t:standOff//*", NS)
        if etree.QName(e).localname in ("org", "person", "place", "item")
    ]
    assert len(entries) >= 15
    for entry in entries:
        note = entry.find("t:note", NS)
        assert note is not None and note.get("source"), entry.get(tei.XML_ID)
        assert note.get("resp") == "#digital-edition"


CASE = (
    '<div type="section" xml:id="s" n="1"><head xml:id="s-head"><app xml:id="app-h">'
    '<lem wit="#wit-en">Aid</lem><rdg xml:id="rdg-h" wit="#wit-ru" source="#n-h">Red Aid</rdg>'
    '</app>.<note xml:id="n-h" n="*" place="foot" resp="#pers-ed">R reads "Red Aid."</note></head>\n'
    '<p xml:id="s-p1" n="1">In <placeName ref="#place-a">Town A</placeName>,'
    ' <orgName ref="#org-a">Committee A</orgName>.</p>\n'
    '<p xml:id="s-p2" n="2">Second.</p></div>'
)


@pytest.mark.parametrize(
    ("old", "new", "message", "needle"),
    [
        (
            '<orgName ref="#org-a">Committee A</orgName>.',
            '<orgName ref="#org-nowhere">Committee A</orgName>.',
            r"points to #org-nowhere, which no element has as its xml:id",
            'ref="#org-nowhere"',
        ),
        ('xml:id="s-p2"', 'xml:id="S_p2"', r"is not a safe anchor", 'xml:id="S_p2"'),
        (">Red Aid</rdg>", ">Красная помощь</rdg>", r"contains Cyrillic text", "Красная"),
        (
            '<placeName ref="#place-a">',
            '<placeName ref="#org-a">',
            r"points to a <org>, not to a <place>",
            '<placeName ref="#org-a">',
        ),
        (
            'source="#n-h">Red Aid',
            'source="#n-h" xml:lang="ru">Red Aid',
            r'tagged xml:lang="ru"',
            'xml:lang="ru">',
        ),
        ('<p xml:id="s-p2" n="2">', '<p n="2">', r"<p> has no @xml:id", '<p n="2">Second'),
    ],
)
def test_rule_failures_name_the_element_and_its_line(tmp_path, old, new, message, needle):
    assert old in CASE
    path = case_file(CASE.replace(old, new, 1), tmp_path / "case.xml")
    line = line_of(path, needle)
    text = "\n".join(str(p) for p in rule_problems(tei.parse(path)))
    assert re.search(message, text), text
    assert re.search(rf"^{re.escape(str(path))}:{line}:\d+: .*; .+", text, re.M), text
    # the full loader (schema first, then rules) stops at the same line
    with pytest.raises(EditionError) as caught:
        tei.load(path)
    assert re.search(rf"^{re.escape(str(path))}:{line}:\d+: ", str(caught.value), re.M)


def test_duplicate_id_is_reported_with_its_position(tmp_path):
    path = case_file(CASE.replace('xml:id="s-p2"', 'xml:id="s-p1"'), tmp_path / "case.xml")
    with pytest.raises(EditionError) as caught:
        tei.parse(path)
    problem = caught.value.problems[0]
    assert "duplicate xml:id" in problem.what
    assert problem.line == line_of(path, 'xml:id="s-p1" n="2"')


def test_a_description_whose_version_disagrees_with_the_edition_statement_is_refused(tmp_path):
    """The version is set in editionStmt; a copy in the bibliographic description must agree."""
    text = TEI_FILE.read_text(encoding="utf-8")
    copy = '<edition n="1.1">digital edition, version 1.1</edition>'
    assert copy in text
    path = tmp_path / "versions.xml"
    path.write_text(text.replace(copy, copy.replace('n="1.1"', 'n="9.9"')), encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        tei.load(path)
    (problem,) = caught.value.problems
    assert "disagrees with editionStmt's version 1.1" in problem.what
    assert problem.line == line_of(path, 'n="9.9"')

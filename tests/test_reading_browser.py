"""The reading page (edition/memo.html) in a real headless Chromium.

What a reader does with the page is checked against the TEI master file, so
nothing here is a hard-coded list of ids or words:

* a link to any section, paragraph, note or variant lands on it;
* a variant's reading is hidden, then shown on hover and on keyboard focus;
* the witness switch (pure CSS) puts the Russian readings, the deleted
  section and the print edition's page breaks in place;
* without JavaScript the page still holds every word of the memo and of its
  notes, in order, and a note marker still opens its note;
* at 390 px nothing overflows and notes open inline; at 1280 px the notes
  stand in a right margin that fits in the window;
* in print, notes and readings are part of the page.

Screenshots of the page (1280 px, 390 px, the Russian view) are written to
``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import io
import itertools
import re
import subprocess
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, TEI_FILE, require_program
from lxml import etree
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = pytest.mark.browser

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
READING = "edition/memo.html"
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 5000

# TEI elements that start a block: their text is separated from its neighbours.
TEI_BLOCKS = {f"{TEI}{name}" for name in ("p", "head", "div", "desc", "note", "item")}
# What the edition adds to the witness text: stripped before words are compared.
APPARATUS = ".ed, .ed-pop, .edition-aside, .headerlink"
# Labels this edition puts inside a note around the note's own words.
NOTE_FURNITURE = ".ed, .note-backref, .note-resp, .note-source"


# --------------------------------------------------------------------------
# The TEI file: ids and words
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text() -> etree._Element:
    """The ``<text>`` element of the master TEI file."""
    tree = etree.parse(str(TEI_FILE))
    found = tree.getroot().find(f"{TEI}text")
    assert found is not None, "the TEI file has no <text>"
    return found


def ids(root: etree._Element, xpath: str) -> list[str]:
    """The xml:ids of the elements that ``xpath`` selects, in document order."""
    return [el.get(XML_ID) for el in root.xpath(xpath, namespaces=NS) if el.get(XML_ID)]


def tei_ids(text: etree._Element) -> dict[str, list[str]]:
    """Every citable id of the memo by kind, read from the TEI file."""
    kinds = {
        "section": ids(text, ".//t:div"),
        "paragraph": ids(text, ".//t:p"),
        "note": ids(text, ".//t:note"),
        "variant": ids(text, ".//t:app"),
        "reading": ids(text, ".//t:rdg | .//t:rdg//t:*[@xml:id]"),
    }
    for kind, found in kinds.items():
        assert found, f"the TEI file has no {kind} with an xml:id"
    return kinds


def sample(values: list[str]) -> list[str]:
    """First, middle and last item (without repeats), in order."""
    picked = [values[0], values[len(values) // 2], values[-1]]
    return list(dict.fromkeys(picked))


def tei_chars(el: etree._Element, skip: frozenset[str]) -> Iterator[str]:
    """The text inside ``el`` in document order, leaving out ``skip`` elements.

    An element's tail belongs to its parent, so it is kept even when the
    element itself is skipped. Block elements are set off with spaces, as a
    browser sets off block boxes.
    """
    block = el.tag in TEI_BLOCKS
    if block:
        yield " "
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag not in skip:
            yield from tei_chars(child, skip)
        if child.tail:
            yield child.tail
    if block:
        yield " "


def words(text: str) -> list[str]:
    """Words of a text for comparison: runs of letters and digits.

    Punctuation and white space both separate words, so "struggle,[column
    break]" is three words on the page as "struggle, that" is two in the TEI.
    """
    return re.findall(r"\w+", text)


def memo_words(text: etree._Element) -> list[str]:
    """The English witness: all of ``<text>`` except notes and variant readings."""
    return words("".join(tei_chars(text, frozenset({f"{TEI}note", f"{TEI}rdg"}))))


def note_words(note: etree._Element) -> list[str]:
    """All words of a note, including nested markup."""
    return words("".join(tei_chars(note, frozenset())))


def first_mismatch(expected: list[str], found: list[str]) -> str:
    """Describe where two word sequences first differ, with context; "" if equal."""
    for i, (want, got) in enumerate(zip(expected, found, strict=False)):
        if want != got:
            return (
                f"word {i}: expected {want!r}, page has {got!r}\n"
                f"  TEI : ... {' '.join(expected[max(0, i - 8) : i + 8])} ...\n"
                f"  page: ... {' '.join(found[max(0, i - 8) : i + 8])} ..."
            )
    if len(expected) != len(found):
        n = min(len(expected), len(found))
        longer, name = (expected, "TEI") if len(expected) > n else (found, "page")
        return f"after word {n} only the {name} goes on: {' '.join(longer[n : n + 16])} ..."
    return ""


def missing_in_order(expected: list[str], found: list[str]) -> str:
    """Check that ``expected`` occurs in ``found`` in order (gaps allowed); "" if so."""
    pos = 0
    for i, want in enumerate(expected):
        try:
            pos = found.index(want, pos) + 1
        except ValueError:
            return (
                f"word {i} {want!r} is not in the page after word {pos}\n"
                f"  TEI : ... {' '.join(expected[max(0, i - 8) : i + 8])} ...\n"
                f"  page: ... {' '.join(found[max(0, pos - 8) : pos + 8])} ..."
            )
    return ""


# --------------------------------------------------------------------------
# Browser helpers
# --------------------------------------------------------------------------


@pytest.fixture
def new_page(browser: Browser, site_url: str) -> Iterator[Callable[..., Page]]:
    """Open the reading page in a fresh context; contexts are closed afterwards.

    Call with Playwright context options (``viewport``, ``java_script_enabled``,
    ``has_touch``...) and an optional ``fragment``. Pages ask for reduced
    motion unless told otherwise, so that a jump to a fragment is not a
    second-long smooth scroll (the end is the same; edition.css honours it).
    """
    contexts: list[BrowserContext] = []

    def open_page(fragment: str = "", **options: Any) -> Page:
        context = browser.new_context(
            **{"viewport": DESKTOP, "reduced_motion": "reduce", **options}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{site_url}/{READING}{'#' + fragment if fragment else ''}")
        return page

    yield open_page
    for context in contexts:
        context.close()


# Where an element is, and whether a reader can see it there: on screen and
# not covered by something else (Furo's sticky header on phones).
WHERE = """id => {
  const el = document.getElementById(id);
  if (!el) return {error: "no element with this id"};
  const box = el.getClientRects()[0];
  if (!box) return {error: "not rendered (display: none?)"};
  const x = Math.min(Math.max(box.left + 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  return {
    top: Math.round(box.top), bottom: Math.round(box.bottom), height: innerHeight,
    onScreen: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
    covered: !(hit && (el.contains(hit) || hit.contains(el))),
    coveredBy: hit ? hit.outerHTML.slice(0, 80) : null,
  };
}"""

# The text of an element, from a copy of it: block boxes are set apart, the
# elements matching `strip` (and those with an id in `drop`) are removed, and
# those matching `apart` are set apart from the words around them.
TEXT_OF = """([selector, strip, drop, apart]) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const copy = el.cloneNode(true);
  if (strip) copy.querySelectorAll(strip).forEach(e => e.remove());
  for (const id of drop) copy.querySelectorAll(`[id="${id}"]`).forEach(e => e.remove());
  const blocks = "p,div,section,article,main,h1,h2,h3,h4,h5,h6,dl,dt,dd,li,ul,ol,fieldset,legend,"
    + "details,summary,table,tr,td,th,br" + (apart ? "," + apart : "");
  copy.querySelectorAll(blocks).forEach(e => { e.before(" "); e.after(" "); });
  return copy.textContent;
}"""


def settle(page: Page, limit: int = 60, still: int = 3) -> None:
    """Wait until the page has loaded and stops scrolling (a fragment is scrolled to smoothly).

    The position must stay the same over ``still`` samples 50 ms apart: on a
    busy machine two samples can both come before Chromium starts to scroll.
    """
    page.wait_for_load_state("load")
    last, same = None, 0
    for _ in range(limit):
        now = page.evaluate("[scrollX, scrollY]")
        same = same + 1 if now == last else 0
        if same >= still - 1:
            return
        last = now
        page.wait_for_timeout(50)


def inline_variants(text: etree._Element) -> list[tuple[str, str, str, str]]:
    """``(app id, rdg id, lemma words, reading words)`` of each word-level variant."""
    found = []
    for app in text.iterfind(f".//{TEI}app"):
        lem, rdg = app.find(f"{TEI}lem"), app.find(f"{TEI}rdg")
        if lem is None or rdg is None or rdg.find(f"{TEI}div") is not None:
            continue
        found.append(
            (app.get(XML_ID), rdg.get(XML_ID), " ".join(note_words(lem)), " ".join(note_words(rdg)))
        )
    assert found, "the TEI file has no word-level variant"
    return found


# --------------------------------------------------------------------------
# 1. Links to every citable unit land on it
# --------------------------------------------------------------------------


def test_a_fragment_link_lands_with_and_without_smooth_scrolling(new_page, text):
    target = tei_ids(text)["note"][-1]  # far down the page
    for motion, behaviour in (("no-preference", "smooth"), ("reduce", "auto")):
        page = new_page(fragment=target, reduced_motion=motion)
        scrolling = page.evaluate("getComputedStyle(document.documentElement).scrollBehavior")
        assert scrolling == behaviour, f"scroll-behavior with reduced motion {motion!r}"
        settle(page)
        where = page.evaluate(WHERE, target)
        assert where.get("onScreen") and not where.get("covered"), f"#{target}: {where}"


def test_the_page_runs_without_script_errors(browser, site_url):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.on(
            "response",
            lambda r: (
                errors.append(f"{r.status}: {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico")  # none is published
                else None
            ),
        )
        page.goto(f"{site_url}/{READING}")
        for selector in ("a.noteref", "a.app-mark", "label[for=view-ru]", "label[for=view-print]"):
            page.locator(selector).first.tap()
        page.reload()
        assert not errors, "\n".join(errors)
    finally:
        context.close()


def test_every_tei_id_is_an_element_id(new_page, text):
    page = new_page()
    expected = [i for found in tei_ids(text).values() for i in found]
    missing = page.evaluate("ids => ids.filter(id => !document.getElementById(id))", expected)
    assert not missing, f"TEI ids with no element on the reading page: {missing}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
@pytest.mark.parametrize("kind", ["section", "paragraph", "note", "variant", "reading"])
def test_fragment_link_scrolls_to_its_target(new_page, site_url, text, kind, viewport):
    page = new_page(viewport=viewport)
    problems = []
    for target in sample(tei_ids(text)[kind]):
        page.goto("about:blank")  # a fresh load each time, not an in-page jump
        page.goto(f"{site_url}/{READING}#{target}")
        settle(page)
        where = page.evaluate(WHERE, target)
        if where.get("error") or not where["onScreen"] or where["covered"]:
            problems.append(f"#{target}: {where}")
    assert not problems, f"{kind} links that do not show their target:\n" + "\n".join(problems)


# --------------------------------------------------------------------------
# 2. Variant readings: hidden, then shown on hover and on keyboard focus
# --------------------------------------------------------------------------

# Focus the last element that Tab reaches before `selector`, so that the
# next presses of Tab walk into it as a keyboard user's would.
FOCUS_BEFORE = """selector => {
  const target = document.querySelector(selector);
  const focusable = [...document.querySelectorAll(
      "a[href], button, input, select, textarea, summary, [tabindex]")]
    .filter(e => e.tabIndex >= 0 && e.getClientRects().length && !target.contains(e)
            && (target.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING));
  const before = focusable[focusable.length - 1];
  before.focus();
  return document.activeElement === before;
}"""
ACTIVE = """() => {
  const e = document.activeElement;
  return e ? `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} ${e.textContent.trim().slice(0, 30)}` : "";
}"""


def tab_to(page: Page, selector: str, limit: int = 15) -> None:
    """Press Tab until the element ``selector`` has the keyboard focus."""
    assert page.evaluate(FOCUS_BEFORE, selector), "could not focus the element before " + selector
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        visited.append(page.evaluate(ACTIVE))
    pytest.fail(f"Tab never reached {selector}; focus went to: {visited}")


def within_window(page: Page, selector: str) -> str:
    """Describe the box of an element that sticks out of the window ("" if none)."""
    box = page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return [r.left, r.right, innerWidth]; }",
        selector,
    )
    return "" if box[0] >= 0 and box[1] <= box[2] else f"left, right, window = {box}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_variant_reading_shows_on_hover_and_on_focus(new_page, text, viewport):
    """In the text a reading shows over its word's line; a heading's, by its mark after it."""
    page = new_page(viewport=viewport)
    expected = {rdg: (app, reading) for app, rdg, _, reading in inline_variants(text)}
    on_page = page.eval_on_selector_all(".rdg.ed-pop", "els => els.map(e => e.id)")
    assert sorted(on_page) == sorted(expected), "readings with a popup on the page vs in the TEI"
    for rdg_id in on_page:
        app_id, reading = expected[rdg_id]
        popup = f'[id="{rdg_id}"]'
        mark = f'a.app-mark[href="#{rdg_id}"]'
        in_text = page.locator(f'[id="{app_id}"] {popup}').count() == 1
        expect(page.locator(popup)).to_be_hidden()

        page.locator(f'[id="{app_id}"] .lem' if in_text else mark).hover()
        expect(page.locator(popup)).to_be_visible()
        expect(page.locator(f"{popup} .rdg-label")).to_have_text(
            re.compile(r"\beditor\b.*\bin English\b", re.IGNORECASE)
        )
        assert words(page.locator(f"{popup} .rdg-text").inner_text()) == reading.split()
        assert not within_window(page, popup), f"#{rdg_id} sticks out of the window"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.mouse.move(1, viewport["height"] - 1)
        expect(page.locator(popup)).to_be_hidden()

        tab_to(page, mark)
        expect(page.locator(popup)).to_be_visible()
        expect(page.locator(mark)).to_have_attribute("aria-controls", rdg_id)
        page.keyboard.press("Tab")  # focus leaves the variant: the reading closes
        expect(page.locator(popup)).to_be_hidden()


# --------------------------------------------------------------------------
# 3. The witness switch
# --------------------------------------------------------------------------


def test_witness_switch_puts_russian_readings_and_page_breaks_in_place(new_page, text):
    page = new_page()
    variants = inline_variants(text)
    divisions = [
        (rdg.get(XML_ID), [h.get(XML_ID) for h in rdg.iterfind(f".//{TEI}head")])
        for rdg in text.iterfind(f".//{TEI}rdg")
        if rdg.find(f"{TEI}div") is not None
    ]
    breaks = {
        "pb": len(text.findall(f".//{TEI}pb")),
        "cb": len(text.findall(f".//{TEI}cb")),
    }
    assert divisions and breaks["pb"], "the TEI file has no deleted section or no page break"

    # English typescript (the default): lemmas, no deleted section, no page breaks
    expect(page.locator("#view-en")).to_be_checked()
    for rdg_id, _ in divisions:
        expect(page.locator(f'[id="{rdg_id}"]')).to_be_hidden()
    expect(page.locator(".pb:visible, .cb:visible")).to_have_count(0)

    page.click("label[for=view-ru]")
    expect(page.locator("#view-ru")).to_be_checked()
    expect(page.locator(".view-banner.view-ru")).to_be_visible()
    for app_id, rdg_id, lemma, reading in variants:
        expect(page.locator(f'[id="{app_id}"] .lem')).to_be_hidden()
        # in the text the reading stands in place of its word; a heading shows
        # it in the heading itself (not again in the marks' line after it)
        if page.locator(f'[id="{app_id}"] [id="{rdg_id}"]').count():
            expect(page.locator(f'[id="{rdg_id}"]')).to_be_visible()
        else:
            expect(page.locator(f'[id="{app_id}"] .head-rdg')).to_be_visible()
        block = page.locator(f'[id="{app_id}"]').locator(
            "xpath=ancestor::*[self::h1 or self::h2 or self::h3 or self::p][1]"
        )
        shown = " ".join(words(block.inner_text()))
        assert reading in shown and lemma not in shown, (
            f"Russian view of #{app_id}: expected {reading!r} and not {lemma!r}, shown: {shown!r}"
        )
    for rdg_id, head_ids in divisions:
        expect(page.locator(f'[id="{rdg_id}"]')).to_be_visible()
        expect(page.locator(f'[id="{rdg_id}"]')).to_have_css("display", "block")
        for head_id in head_ids:
            head = page.locator(f'[id="{head_id}"]')
            expect(head).to_be_visible()
            struck = head.evaluate(
                "h => [h, ...h.querySelectorAll('*')].some("
                "e => getComputedStyle(e).textDecorationLine.includes('line-through'))"
            )
            assert struck, f"the heading #{head_id} of the deleted section is not struck through"

    page.click("label[for=view-print]")
    expect(page.locator(".view-banner.view-print")).to_be_visible()
    expect(page.locator(".view-banner.view-ru")).to_be_hidden()
    for kind, count in breaks.items():
        expect(page.locator(f".{kind}:visible")).to_have_count(count)
    for app_id, rdg_id, _, _ in variants:
        expect(page.locator(f'[id="{app_id}"] .lem')).to_be_visible()
        expect(page.locator(f'[id="{rdg_id}"]')).to_be_hidden()


def test_the_chosen_view_is_remembered_and_can_be_linked(new_page, site_url):
    page = new_page()
    page.click("label[for=view-ru]")
    page.reload()
    expect(page.locator("#view-ru")).to_be_checked()
    page.goto(f"{site_url}/{READING}?view=print")
    expect(page.locator("#view-print")).to_be_checked()
    expect(page.locator(".pb").first).to_be_visible()


# --------------------------------------------------------------------------
# 4. Without JavaScript: every word of the memo and of its notes
# --------------------------------------------------------------------------


def test_without_javascript_the_page_holds_every_word(new_page, text):
    page = new_page(java_script_enabled=False)
    assert page.locator("a.noteref[aria-controls]").count() == 0, "edition.js ran"
    expected = memo_words(text)
    assert len(expected) > 1000, f"only {len(expected)} words read from the TEI file"

    # Everything on the page, the edition's marks set apart from the words
    # they stand beside (whether they glue onto them is the next test's matter).
    whole = words(page.evaluate(TEXT_OF, ["main", "", [], APPARATUS]))
    problem = missing_in_order(expected, whole)
    assert not problem, f"a word of the memo is missing from the page, or out of order:\n{problem}"

    # Without what the edition adds (class ed, popups, side notes) and without
    # the notes and readings, the page is the English witness word for word.
    drop = ids(text, ".//t:note | .//t:rdg")
    bare = words(page.evaluate(TEXT_OF, ["main", APPARATUS, drop, ""]))
    problem = first_mismatch(expected, bare)
    assert not problem, (
        "the witness text on the page (apparatus removed) is not the TEI text; is something the "
        f"edition adds missing its class 'ed'?\n{problem}"
    )

    problems = []
    for note in text.iterfind(f".//{TEI}note"):
        note_id = note.get(XML_ID)
        shown = page.evaluate(TEXT_OF, [f'[id="{note_id}"]', NOTE_FURNITURE, [], ""])
        if shown is None:
            problems.append(f"#{note_id}: not on the page")
        elif problem := first_mismatch(note_words(note), words(shown)):
            problems.append(f"#{note_id}: {problem}")
    assert not problems, "notes whose words differ from the TEI:\n" + "\n".join(problems)


# Where an outermost apparatus element touches a word of the text: the last
# character before it and its first one (or its last and the next one) are
# both letters or digits, so that the text content runs two words together.
GLUED = """apart => {
  const article = document.querySelector("main");
  const found = [];
  for (const el of article.querySelectorAll(apart)) {
    if (el.parentElement.closest(apart)) continue;
    const range = document.createRange();
    range.setStart(article, 0);
    range.setEndBefore(el);
    const before = range.toString();
    range.setStartAfter(el);
    range.setEnd(article, article.childNodes.length);
    const after = range.toString();
    const own = el.textContent;
    const word = /[\\p{L}\\p{N}]/u;
    if (word.test(before.slice(-1)) && word.test(own.slice(0, 1))
        || word.test(own.slice(-1)) && word.test(after.slice(0, 1))) {
      found.push(`${before.slice(-20)}|${own.slice(0, 20)}...${own.slice(-8)}|${after.slice(0, 12)}`
                 + `  (${el.tagName.toLowerCase()}.${[...el.classList].join(".")})`);
    }
  }
  return found;
}"""


def test_edition_marks_do_not_run_into_the_words_of_the_text(new_page):
    """The text content must keep the memo's words apart from the edition's marks.

    Search (Sphinx indexes the same text), copying and reader modes read the
    text content, where an element shown as a superscript or a popup is just
    more letters: "Secret Organization" + "R: Russian original" is read as
    "OrganizationR". A separating space that does not show belongs inside the
    mark: at the start of the popup's label and of the note marker's wrapper.
    """
    page = new_page(java_script_enabled=False)
    glued = page.evaluate(GLUED, APPARATUS)
    assert not glued, "edition marks glued to a word (before|mark|after):\n" + "\n".join(glued)


# --------------------------------------------------------------------------
# 5. Phones: a tap on a note marker opens the note in place
# --------------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_tapping_a_note_marker_opens_the_note_on_a_phone(new_page, javascript):
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=javascript)
    markers = page.locator("a.noteref")
    assert markers.count() > 0, "no note markers on the reading page"
    for i in range(markers.count()):
        marker = markers.nth(i)
        note_id = (marker.get_attribute("href") or "").split("#")[-1]
        note = page.locator(f'[id="{note_id}"]')
        expect(note).to_be_hidden()
        marker.tap()
        expect(note).to_be_visible()
        settle(page)
        where = page.evaluate(WHERE, note_id)
        assert where.get("onScreen") and not where.get("covered"), f"#{note_id}: {where}"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        if javascript:  # a second tap closes it again
            expect(marker).to_have_attribute("aria-expanded", "true")
            marker.tap()
            expect(note).to_be_hidden()
            expect(marker).to_have_attribute("aria-expanded", "false")


def test_a_note_opened_by_a_link_closes_with_its_marker_on_a_phone(new_page, text):
    note_id = tei_ids(text)["note"][-1]
    page = new_page(fragment=note_id, viewport=PHONE, has_touch=True, is_mobile=True)
    note = page.locator(f'[id="{note_id}"]')
    marker = page.locator(f'a.noteref[href$="#{note_id}"]')
    expect(note).to_be_visible()  # opened by :target
    expect(marker).to_have_attribute("aria-expanded", "true")
    marker.tap()
    expect(note).to_be_hidden()
    expect(marker).to_have_attribute("aria-expanded", "false")
    marker.tap()
    expect(note).to_be_visible()


def test_tapping_a_variant_mark_opens_and_closes_its_reading(new_page):
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    marks = page.locator("a.app-mark")
    assert marks.count() > 0, "no variant marks on the reading page"
    for i in range(marks.count()):
        mark = marks.nth(i)
        reading_id = (mark.get_attribute("href") or "").split("#")[-1]
        reading = page.locator(f'[id="{reading_id}"]')
        expect(reading).to_be_hidden()
        mark.tap()
        expect(reading).to_be_visible()
        expect(mark).to_have_attribute("aria-expanded", "true")
        settle(page)
        where = page.evaluate(WHERE, reading_id)
        assert where.get("onScreen") and not where.get("covered"), f"#{reading_id}: {where}"
        assert not within_window(page, f'[id="{reading_id}"]'), f"#{reading_id} sticks out"
        mark.tap()  # still focused and touched, but the reader closed it
        expect(reading).to_be_hidden()
        expect(mark).to_have_attribute("aria-expanded", "false")


# --------------------------------------------------------------------------
# 6. Print
# --------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 700], ids=["1280px", "700px"])
def test_print_shows_notes_and_readings(new_page, width):
    """On paper: every note, every reading of the text, the deleted section.

    A heading's reading is not printed a second time: the print editor's
    note on that heading, which reports it, is printed. Page breaks of the
    2005 edition print in the print-edition view only.
    """
    page = new_page(viewport={"width": width, "height": 1000})
    page.emulate_media(media="print")
    for selector in (".sidenote", ".rdg-division"):
        found = page.locator(selector)
        assert found.count() > 0, f"nothing matches {selector}"
        for i in range(found.count()):
            expect(found.nth(i)).to_be_visible()
    in_text = page.locator(".rdg.ed-pop:not(.head-app .rdg)")  # none in this memo's paragraphs
    for i in range(in_text.count()):
        expect(in_text.nth(i)).to_be_visible()
    heading_readings = page.locator(".head-app .rdg.ed-pop")
    for i in range(heading_readings.count()):
        expect(heading_readings.nth(i)).to_be_hidden()
    # nor is it signalled: no dotted variant underline whose mark and reading are not printed
    lemmas = page.locator(".head-lem")
    assert lemmas.count() > 0, "no heading with a reading"
    for i in range(lemmas.count()):
        line = lemmas.nth(i).evaluate("e => getComputedStyle(e).textDecorationLine")
        assert line == "none", f"a heading's lemma is underlined on paper ({line})"
    expect(page.locator(".witness-switch")).to_be_hidden()
    expect(page.locator(".pb").first).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.evaluate("document.getElementById('view-print').checked = true")
    expect(page.locator(".pb").first).to_be_visible()


# --------------------------------------------------------------------------
# 7. Layout and screenshots
# --------------------------------------------------------------------------

# Each visible side note: its box and the right edge of the text beside it.
NOTE_BOXES = """() => [...document.querySelectorAll(".sidenote")].map(n => {
  const r = n.getBoundingClientRect();
  const text = n.closest("h1, h2, h3, p").getBoundingClientRect();
  return {id: n.id, shown: getComputedStyle(n).display !== "none",
          left: r.left, right: r.right, top: r.top, bottom: r.bottom, textRight: text.right};
})"""


@pytest.mark.parametrize("width", [1073, 1280, 1312, 1313, 1440, 1920])
def test_side_notes_stand_in_a_right_margin_that_fits(new_page, width):
    page = new_page(viewport={"width": width, "height": 900})
    notes = page.evaluate(NOTE_BOXES)
    assert notes, "no side notes on the reading page"
    problems = [f"#{n['id']}: hidden" for n in notes if not n["shown"]]
    problems += [
        f"#{n['id']}: {n['left']:.0f}-{n['right']:.0f} px, text ends at {n['textRight']:.0f}"
        for n in notes
        if n["shown"] and not (n["textRight"] + 8 <= n["left"] and n["right"] <= width - 8)
    ]
    shown = sorted((n for n in notes if n["shown"]), key=lambda n: n["top"])
    problems += [
        f"#{a['id']} and #{b['id']} overlap"
        for a, b in itertools.pairwise(shown)
        if b["top"] < a["bottom"]
    ]
    column = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.tei-p')].map(p => p.clientWidth))"
    )
    assert column >= 30 * 16, f"the text column is only {column:.0f} px wide"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not problems, f"side notes at {width} px:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "viewport", "view"),
    [
        ("memo-1280", DESKTOP, "en"),
        ("memo-390", PHONE, "en"),
        ("memo-ru-1280", DESKTOP, "ru"),
        ("memo-ru-390", PHONE, "ru"),
        ("memo-print-390", PHONE, "print"),
    ],
)
def test_screenshot_without_horizontal_overflow(new_page, name, viewport, view):
    page = new_page(viewport=viewport)
    if view != "en":
        page.click(f"label[for=view-{view}]")
        expect(page.locator(f"#view-{view}")).to_be_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide in a {viewport} window"
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000, f"{path} looks empty"


# --------------------------------------------------------------------------
# 8. A first-time reader: the text first, contents, closing popups,
#    headings, Tab stops, landing, line length
# --------------------------------------------------------------------------


def divisions(text: etree._Element) -> list[str]:
    """Ids of the memo's divisions a reader navigates: the preamble and the numbered sections."""
    body = text.find(f"{TEI}body")
    assert body is not None
    return [
        d.get(XML_ID)
        for d in body.iterfind(f"{TEI}div")
        if d.get("type") == "preamble" or (d.get("type") == "section" and d.get("n"))
    ]


@pytest.mark.parametrize("view", ["en", "ru", "print"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280x800", "390x844"])
def test_the_memo_starts_on_the_first_screen(new_page, text, viewport, view):
    """In every view the first paragraph's first lines are in the first window.

    The header fits above them: in the Russian and print views the view's
    banner and the Russian original's note stand in the margin on a wide
    screen and fold to one line on a phone (a tap opens them).
    """
    page = new_page(viewport=viewport)
    page.click(f"label[for=view-{view}]")
    page.evaluate("() => window.scrollTo(0, 0)")
    first = f'[id="{ids(text, ".//t:body//t:p")[0]}"]'
    if view != "en":
        banner = page.locator(f".view-banner.view-{view}")
        expect(banner).to_be_visible()
        expect(banner.locator("summary")).to_have_text("About this view")
        if viewport is PHONE:  # folded, and a tap opens it
            expect(banner.locator("p")).to_be_hidden()
            banner.locator("summary").click()
            expect(banner.locator("p")).to_be_visible()
            banner.locator("summary").click()
        else:  # in the margin, right of the text column
            main = page.locator(first).bounding_box()
            aside = banner.bounding_box()
            assert main and aside and aside["x"] >= main["x"] + main["width"], (aside, main)
    if view == "ru":
        expect(page.locator(".ru-furniture")).to_be_visible()
    box = page.locator(first).bounding_box()
    assert box, "the first paragraph is not rendered"
    line = page.evaluate(
        "s => parseFloat(getComputedStyle(document.querySelector(s)).lineHeight)", first
    )
    assert box["y"] + 2 * line <= viewport["height"], (
        f"the memo's first paragraph starts at {box['y']:.0f} px of a {viewport['height']} px window"
    )
    title = page.locator("main h1").first
    size = float(title.evaluate("h => parseFloat(getComputedStyle(h).fontSize)"))
    assert size <= 22, f"the title is set at {size} px"
    expect(page.locator(".div-title > .unit-label")).to_contain_text("print editor")
    expect(page.locator(".witness-switch")).to_be_visible()
    expect(page.locator(".legend")).to_be_visible()


def test_the_navigation_lists_the_nine_divisions(new_page, text):
    page = new_page(viewport={"width": 1440, "height": 900})
    expected = ["#" + i for i in divisions(text)]
    links = page.locator("nav .page-toc a")
    found = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert found == expected, "the contents of the reading page vs the TEI's divisions"
    expect(links.first).to_be_visible()  # beside the text on a wide screen
    for i in range(links.count()):
        name = links.nth(i).inner_text()
        assert "R" not in name.split() and "†" not in name, f"apparatus in the contents: {name}"


def opened(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            "s => getComputedStyle(document.querySelector(s)).display !== 'none'", selector
        )
    )


def tap_or_click(page: Page, selector: str, touch: bool) -> None:
    if touch:
        page.locator(selector).tap()
    else:
        page.locator(selector).click()


@pytest.mark.parametrize(
    ("viewport", "touch"), [(DESKTOP, False), (PHONE, True)], ids=["1280px-click", "390px-tap"]
)
def test_a_popup_closes_on_escape_elsewhere_and_when_focus_leaves(new_page, text, viewport, touch):
    """WCAG 2.2 1.4.13: what opens on hover, focus or a tap can be dismissed, one at a time."""
    page = new_page(viewport=viewport, has_touch=touch)
    first, second = [rdg for _, rdg, _, _ in inline_variants(text)][:2]
    pop1, pop2 = f'[id="{first}"]', f'[id="{second}"]'
    mark1, mark2 = f'a.app-mark[href="#{first}"]', f'a.app-mark[href="#{second}"]'
    elsewhere = f'[id="{ids(text, ".//t:body//t:p")[0]}"]'

    tap_or_click(page, mark1, touch)
    expect(page.locator(pop1)).to_be_visible()
    expect(page.locator(mark1)).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(page.locator(pop1)).to_be_hidden()
    expect(page.locator(mark1)).to_have_attribute("aria-expanded", "false")

    tap_or_click(page, mark1, touch)
    expect(page.locator(pop1)).to_be_visible()
    page.locator(elsewhere).click(position={"x": 40, "y": 5})
    expect(page.locator(pop1)).to_be_hidden()

    tap_or_click(page, mark1, touch)
    tap_or_click(page, mark2, touch)
    expect(page.locator(pop2)).to_be_visible()
    expect(page.locator(pop1)).to_be_hidden()  # one at a time
    page.keyboard.press("Escape")
    expect(page.locator(pop2)).to_be_hidden()

    page.locator(mark1).focus()
    expect(page.locator(pop1)).to_be_visible()
    page.keyboard.press("Escape")  # focus stays on the mark, the reading closes
    expect(page.locator(pop1)).to_be_hidden()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(page.locator(pop1)).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator(pop1)).to_be_hidden()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_popup_never_covers_the_words_it_belongs_to(new_page, text, viewport):
    page = new_page(viewport=viewport)
    problems = []
    for app, rdg, _, _ in inline_variants(text):
        mark = f'a.app-mark[href="#{rdg}"]'
        page.locator(mark).scroll_into_view_if_needed()
        page.locator(mark).focus()
        pop = page.locator(f'[id="{rdg}"]').bounding_box()
        for own in (f'[id="{app}"] .lem', mark):
            if page.locator(own).count() == 0:
                continue
            box = page.locator(own).bounding_box()
            if (
                pop
                and box
                and not (
                    pop["y"] >= box["y"] + box["height"] - 1
                    or pop["y"] + pop["height"] <= box["y"] + 1
                )
            ):
                problems.append(f"#{rdg} over {own}")
        page.keyboard.press("Escape")
    assert not problems, "\n".join(problems)


def test_a_note_opened_on_a_phone_closes_on_escape_and_a_tap_elsewhere(new_page, text):
    page = new_page(viewport=PHONE, has_touch=True)
    note_id = next(
        n for n in ids(text, ".//t:body//t:note") if page.locator(f'a.noteref[href="#{n}"]').count()
    )
    marker, note = f'a.noteref[href="#{note_id}"]', f'[id="{note_id}"]'
    page.locator(marker).tap()
    expect(page.locator(note)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(note)).to_be_hidden()
    page.locator(marker).tap()
    expect(page.locator(note)).to_be_visible()
    page.locator("main h1").tap()
    expect(page.locator(note)).to_be_hidden()


def tei_heading_words(div: etree._Element) -> list[str]:
    """A heading as a reader hears it: the section number and the English words."""
    head = div.find(f"{TEI}head")
    assert head is not None
    skip = frozenset({f"{TEI}note", f"{TEI}rdg"})
    number = ["§", div.get("n")] if div.get("n") and div.get("type") == "section" else []
    return number + words("".join(tei_chars(head, skip)))


def test_headings_are_announced_as_their_words_alone(new_page, text):
    page = new_page()
    checked = 0
    for div in text.iter(f"{TEI}div"):
        if div.find(f"{TEI}head") is None or div.getparent().tag == f"{TEI}rdg":
            continue
        heading = page.locator(f'[id="{div.get(XML_ID)}"] > :is(h1, h2, h3)')
        if heading.count() == 0:
            continue
        expected = tei_heading_words(div)
        pattern = r"^\W*" + r"\W+".join(re.escape(w) for w in expected) + r"\W*$"
        expect(heading).to_have_accessible_name(re.compile(pattern))
        checked += 1
    assert checked >= 9, f"only {checked} headings checked"


def test_each_mark_says_what_it_opens(new_page):
    page = new_page()
    marks = page.locator("main a.noteref, main a.app-mark, main a.note-backref")
    assert marks.count() > 5
    for i in range(marks.count()):
        mark = marks.nth(i)
        sign = mark.inner_text().strip()
        expect(mark).to_have_accessible_name(
            re.compile(rf"^{re.escape(sign)}, .*(note|reading|back to the text)")
        )


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  const label = (el.type === "radio" || el.type === "checkbox") && el.id
    && document.querySelector(`label[for="${el.id}"]`);
  const ring = label ? getComputedStyle(label) : s;
  return {
    tag: el.tagName, text: (el.textContent || el.value || "").trim().slice(0, 40),
    visible: el.checkVisibility({visibilityProperty: true, opacityProperty: false})
             && ((r.width > 0 && r.height > 0) || !!label),
    inWindow: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    ring: ring.outlineStyle !== "none" && parseFloat(ring.outlineWidth) >= 2,
    inFirst: !!el.closest(FIRST),
  };
}"""


def tab_walk(page: Page, first: str, limit: int) -> list[dict[str, Any]]:
    script = FOCUSED.replace("FIRST", repr(first))
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(script)
        if now is None:
            break
        seen.append(now)
        if now["inFirst"]:
            break
    return seen


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_fifteen_tab_presses_reach_the_first_paragraph(new_page, text, viewport):
    page = new_page(viewport=viewport)
    first = f'[id="{ids(text, ".//t:body//t:p")[0]}"]'
    seen = tab_walk(page, first, 15)
    assert seen and seen[-1]["inFirst"], f"15 Tab presses went to: {[s['text'] for s in seen]}"
    hidden = [s for s in seen if not s["visible"]]
    assert not hidden, f"hidden elements took the focus: {hidden}"
    no_ring = [s for s in seen if not s["ring"]]
    assert not no_ring, f"focus without a visible ring: {no_ring}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_skip_link_goes_to_the_memo_text(new_page, text, viewport):
    page = new_page(viewport=viewport)
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.className")
    assert "skip-link" in skip
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first_div = divisions(text)[0]
    assert page.evaluate("d => !!document.activeElement.closest(`[id='${d}']`)", first_div)


def test_nothing_hidden_takes_the_focus_on_a_phone(new_page):
    """Every Tab stop of the whole page is visible when focused, with a ring."""
    page = new_page(viewport=PHONE)
    seen = tab_walk(page, "#no-such-element", 400)
    assert len(seen) > 20
    hidden = [s for s in seen if not s["visible"]]
    assert not hidden, f"hidden elements took the focus: {hidden[:5]}"
    no_ring = [s for s in seen if not s["ring"]]
    assert not no_ring, f"focus without a visible ring: {no_ring[:5]}"
    assert len(seen) < 400, "Tab never left the page"


def test_a_name_links_to_its_index_entry_once_a_paragraph(new_page):
    page = new_page()
    repeats = page.evaluate(
        """() => [...document.querySelectorAll("main .tei-p")].flatMap(p => {
          const hrefs = [...p.querySelectorAll("a.name, .name a, a.name-part")]
            .map(a => a.getAttribute("href"));
          return hrefs.filter((h, i) => hrefs.indexOf(h) !== i).map(h => p.id + ": " + h);
        })"""
    )
    assert not repeats, "names linked more than once in a paragraph:\n" + "\n".join(repeats)
    assert page.locator("main .tei-p a.name").count() > 10, "names are not linked at all"


def test_a_landed_anchor_is_marked(new_page, text):
    target = ids(text, ".//t:body//t:div[@n='1']/t:p")[1]
    page = new_page(fragment=target)
    settle(page)
    background = "s => getComputedStyle(document.querySelector(s)).backgroundColor"
    landed = page.evaluate(background, f'[id="{target}"]')
    other = page.evaluate(background, f'[id="{ids(text, ".//t:body//t:p")[0]}"]')
    assert landed != other and landed not in ("rgba(0, 0, 0, 0)", "transparent"), (landed, other)
    expect(page.locator(f'[id="{target}"]')).to_be_in_viewport()


def test_a_search_hit_lands_on_its_paragraph_marked(browser, site_url, text):
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{site_url}/search.html?q=couriers")
    link = page.locator(f'#search-results a[href*="{READING.rsplit("/", 1)[1]}"]').first
    expect(link).to_have_attribute("href", re.compile(r"#press-p3$"))
    context_text = page.locator("#search-results .context").first
    expect(context_text).to_contain_text("especially illegal")
    expect(context_text).not_to_contain_text("p. 3")
    link.click()
    page.wait_for_url(re.compile(r"#press-p3$"))
    hit = page.locator('[id="press-p3"]')
    expect(hit).to_have_class(re.compile(r"\bsearch-hit\b"))
    expect(hit).to_be_in_viewport()
    expect(hit.locator("mark.search-term").first).to_have_text(re.compile("couriers", re.I))
    context.close()


def test_a_search_snippet_comes_from_the_text_not_a_banner(browser, site_url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{site_url}/search.html?q=Red+Aid")
    snippet = page.locator("#search-results li:has(a[href*='memo.html']) .context").first
    expect(snippet).not_to_contain_text("You are reading")
    expect(snippet).to_contain_text("Red Aid")
    context.close()


# Characters on each full line of the text's paragraphs (the last line of a
# paragraph is short by nature and left out).
LINE_LENGTHS = """() => {
  const out = [];
  for (const p of document.querySelectorAll("main .tei-p")) {
    if (p.closest(".document-header")) continue;
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const lines = new Map();
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest(".edition-aside, .parnum, .visually-hidden")) continue;
      if (!node.parentElement.checkVisibility()) continue;
      for (let i = 0; i < node.length; i++) {
        const r = document.createRange();
        r.setStart(node, i); r.setEnd(node, i + 1);
        const box = r.getClientRects()[0];
        if (!box) continue;
        const key = Math.round(box.top / 4);
        lines.set(key, (lines.get(key) || 0) + 1);
      }
    }
    const counts = [...lines.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
    out.push(...counts.slice(0, -1).filter(c => c > 1));
  }
  return out;
}"""


@pytest.mark.parametrize("width", [768, 1024, 1280, 1440, 1920])
def test_lines_hold_60_to_80_characters(new_page, width):
    page = new_page(viewport={"width": width, "height": 900})
    lengths = sorted(page.evaluate(LINE_LENGTHS))
    assert len(lengths) > 30
    median = lengths[len(lengths) // 2]
    assert 60 <= median <= 80, f"median line at {width} px: {median} characters"
    assert lengths[int(len(lengths) * 0.95)] <= 88, f"long lines at {width} px: {lengths[-10:]}"


# --------------------------------------------------------------------------
# 9. On paper (Chromium's own PDF), and the 404 page at any depth
# --------------------------------------------------------------------------


def printed_pages(page: Page, tmp_path: Path) -> list[str]:
    """The page printed to PDF by Chromium, as the text of each sheet (pdftotext)."""
    require_program("pdftotext")
    pdf = tmp_path / "memo.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4")
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [sheet for sheet in out.split("\f") if sheet.strip()]


def test_the_printed_page_holds_text_numbers_notes_and_readings_only(new_page, tmp_path, text):
    page = new_page()
    sheets = printed_pages(page, tmp_path)
    whole = "\n".join(sheets)
    flat = " ".join(whole.split())
    for screen_only in ("Skip to", "Cite §", "(source)", "Show the text as", "Search", "Contents"):
        assert screen_only not in flat, f"{screen_only!r} is printed"
    assert not re.search(r"\[[^\]]{0,80}Russian original", flat), "a reading printed inside [ ]"
    for rdg in text.iterfind(f".//{TEI}rdg"):
        heads = [" ".join(note_words(h)) for h in rdg.iterfind(f".//{TEI}head")]
        for head in heads:  # a deleted section: printed with its heading
            assert head in flat, f"the reading {rdg.get(XML_ID)} is not printed"
    for number in ("Pr.1", "1.1", "8.1"):
        assert number in flat, f"paragraph number {number} is not printed"
    for note in text.iterfind(f".//{TEI}note[@n]"):
        said = " ".join(note_words(note)[:6])
        assert said in " ".join(words(flat)), f"note {note.get(XML_ID)} is not printed"
    # a heading's reading is printed once: by the print editor's note that reports it
    assert flat.count("Red Aid") == 1, flat.count("Red Aid")
    stranded = [
        sheet.strip().splitlines()[-1].strip()
        for sheet in sheets[:-1]
        if re.match(r"§ \d", sheet.strip().splitlines()[-1].strip())
    ]
    assert not stranded, f"headings at the foot of a sheet: {stranded}"


def test_the_russian_view_prints_its_readings_in_place(new_page, tmp_path):
    page = new_page()
    page.click("label[for=view-ru]")
    flat = " ".join("\n".join(printed_pages(page, tmp_path)).split())
    assert "Red Aid" in flat and "International Prisoners Aid" not in flat.split("Red Aid")[0][-40:]
    assert not re.search(r"\[\s*Red Aid", flat), "a reading printed inside [ ]"


@pytest.fixture
def host_at_depth(site: Path) -> Iterator[str]:
    """A host like GitHub Pages: the site under /repo/, 404.html for any missing path."""

    class Host(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def send_head(self) -> Any:
            path = urllib.parse.urlsplit(self.path).path
            if path.startswith("/repo/"):
                local = site / urllib.parse.unquote(path[len("/repo/") :])
                if local.is_file():
                    self.path = path[len("/repo") :]
                    return super().send_head()
            body = (site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    handler = functools.partial(Host, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize("missing", ["/repo/nothing.html", "/repo/edition/a/b/c"])
def test_the_404_page_works_at_any_depth(browser, host_at_depth, missing):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    response = page.goto(host_at_depth + missing)
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    # the stylesheet found its way: the header is laid out as on every page
    expect(page.locator(".site-header")).to_have_css("display", "flex")
    home = page.locator("a.site-name").evaluate("a => a.href")
    assert home == host_at_depth + "/repo/index.html", home
    page.locator("a.site-name").click()
    expect(page.locator("main h1").first).to_be_visible()
    assert page.url == home
    context.close()

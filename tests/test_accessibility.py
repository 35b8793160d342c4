"""axe-core on the built site: WCAG 2.0, 2.1 and 2.2, levels A and AA.

Every ``.html`` page that the build writes is checked, the generated index and
the search page included. The reading page is checked again in the states a
reader can put it in: the Russian view, a phone's width, every note and
reading opened, the dark colour scheme and the print-edition view. axe only
judges what is rendered, so a reading that is hidden until hovered is checked
only in the states that show it.

axe-core comes from ``node_modules`` (``npm ci``); without it these tests skip,
and under CI they fail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, require_path
from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
READING = "edition/memo.html"
# Pages every build has: if the glob misses one, the site or the glob is wrong.
EXPECTED = {"index.html", "genindex.html", "search.html", READING}


@pytest.fixture(scope="module")
def axe_script() -> str:
    """The axe-core script, read once."""
    return require_path(AXE, "axe-core (run npm ci)").read_text(encoding="utf-8")


def html_pages(site: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root.

    Only the theme's static folder is left out (it holds assets, not pages).
    """
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if "_static" not in path.relative_to(site).parts
    )


def axe(page: Page, script: str) -> dict[str, Any]:
    """Run axe-core on the page as it is now and return its result."""
    page.add_script_tag(content=script)
    # resultTypes: passes and the like come back with one node each, not all
    # of them, which saves time on the long reading page.
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )


def report(violations: list[dict[str, Any]]) -> str:
    """Rule, impact, help text and the offending elements of each violation."""
    lines = []
    for rule in violations:
        lines.append(f"- {rule['id']} ({rule['impact']}): {rule['help']} <{rule['helpUrl']}>")
        for node in rule["nodes"][:8]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' > '.join(map(str, node['target']))}: {summary[:300]}")
        if len(rule["nodes"]) > 8:
            lines.append(f"    ... and {len(rule['nodes']) - 8} more")
    return "\n".join(lines)


def check(page: Page, script: str, where: str) -> None:
    """Fail with a readable report if axe finds violations on the page."""
    result = axe(page, script)
    assert result["passes"], f"{where}: axe checked nothing (did the page load?)"
    violations = result["violations"]
    assert not violations, f"{where}: {len(violations)} axe rule(s) violated\n{report(violations)}"


def test_every_page_of_the_site(page, site, site_url, axe_script, subtests):
    pages = html_pages(site)
    assert set(pages) >= EXPECTED, f"pages missing from the site: {EXPECTED - set(pages)}"
    for name in pages:
        with subtests.test(msg=name):
            page.goto(f"{site_url}/{name}")
            check(page, axe_script, name)


# --------------------------------------------------------------------------
# The reading page in the states a reader can put it in
# --------------------------------------------------------------------------


def open_everything(page: Page) -> None:
    """Open every side note and reading, as taps on their marks would."""
    page.eval_on_selector_all(
        ".sidenote, .rdg.ed-pop", "els => els.forEach(e => e.classList.add('open'))"
    )


STATES: dict[str, tuple[dict[str, Any], Callable[[Page], None] | None]] = {
    "russian view 1280px": (
        {"viewport": {"width": 1280, "height": 800}},
        lambda p: p.click("label[for=view-ru]"),
    ),
    "english 390px": ({"viewport": {"width": 390, "height": 844}}, None),
    "russian view 390px": (
        {"viewport": {"width": 390, "height": 844}},
        lambda p: p.click("label[for=view-ru]"),
    ),
    "print-edition view 390px": (
        {"viewport": {"width": 390, "height": 844}},
        lambda p: p.click("label[for=view-print]"),
    ),
    "notes and readings open 1280px": (
        {"viewport": {"width": 1280, "height": 800}},
        open_everything,
    ),
    "notes and readings open 390px": ({"viewport": {"width": 390, "height": 844}}, open_everything),
    "dark scheme, all open 1280px": (
        {"viewport": {"width": 1280, "height": 800}, "color_scheme": "dark"},
        open_everything,
    ),
    "a reading open by hover 1280px": (
        {"viewport": {"width": 1280, "height": 800}},
        lambda p: p.hover("a.app-mark >> nth=0"),
    ),
    "a reading open by tap 390px": (
        {"viewport": {"width": 390, "height": 844}, "has_touch": True},
        lambda p: p.tap("a.app-mark >> nth=0"),
    ),
    "a note open by tap 390px": (
        {"viewport": {"width": 390, "height": 844}, "has_touch": True},
        lambda p: p.tap("a.noteref >> nth=1"),
    ),
    "a landed paragraph 1024px": (
        {"viewport": {"width": 1024, "height": 768}},
        lambda p: p.goto(p.url + "#factory-nuclei-p2"),
    ),
    "a search hit 768px": (
        {"viewport": {"width": 768, "height": 1024}},
        lambda p: p.goto(p.url + "?highlight=couriers"),
    ),
    "wide 1920px, print-edition view": (
        {"viewport": {"width": 1920, "height": 1080}},
        lambda p: p.click("label[for=view-print]"),
    ),
    "the deleted section shown 1440px": (
        {"viewport": {"width": 1440, "height": 900}},
        lambda p: p.click("a.app-show"),
    ),
    "focus on a mark 1280px": (
        {"viewport": {"width": 1280, "height": 800}},
        lambda p: p.focus("a.app-mark >> nth=1"),
    ),
    "dark scheme, russian view 390px": (
        {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark"},
        lambda p: p.click("label[for=view-ru]"),
    ),
}


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts with given options; close them afterwards."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**options)
        context.set_default_timeout(5000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.mark.parametrize("state", list(STATES))
def test_reading_page_in_every_state(new_context, site_url, axe_script, state):
    options, action = STATES[state]
    page = new_context(**options).new_page()
    page.goto(f"{site_url}/{READING}")
    if action:
        action(page)
    check(page, axe_script, f"{READING} ({state})")

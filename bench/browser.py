"""Figure 8: time to text in headless Chromium, against a CETEIcean page of the same TEI.

Pages are served over HTTP on the loopback interface (:mod:`bench.serve`),
each load in a fresh browser context (an empty cache), interleaved round by
round: first contentful paint, and the time until the last paragraph of the
body (its ``xml:id``) is in the DOM.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

from bench.serve import http_server
from edition import model as m
from edition import pipeline
from edition.render.context import plain

ROOT = Path(__file__).resolve().parent.parent
CETEI_TEMPLATE = ROOT / "bench" / "ceteicean.html"
CETEI_JS = ROOT / "node_modules" / "CETEIcean" / "dist" / "CETEI.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Only for the bench: keep Chromium from preloading its own WebUI (the omnibox popup)
# in the background of a fresh context, which competes with the page for the CPU.
QUIET_CHROMIUM_ARGS = [
    "--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxFullPopup,"
    "WebUIOmniboxAimPopup",
]


class BrowserError(RuntimeError):
    """Chromium did not report what the figure needs."""


def bare_text_page(tei_path: Path) -> str:
    """A bare static HTML page of the text: headings and paragraphs, nothing else.

    Made from the edition's own model, with its own plain-text function
    (notes and other witnesses' readings left out), not by walking the TEI again.
    """
    edition = pipeline.load_edition(tei_path)
    parts: list[str] = []

    def walk(blocks: tuple[m.Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, m.Division):
                if block.head is not None:
                    parts.append(_element("h2", block.head.id, plain(block.head.children)))
                walk(block.blocks)
            elif isinstance(block, m.Paragraph):
                parts.append(_element("p", block.id, plain(block.children)))

    walk(edition.front + edition.body + edition.back)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>The Nucleus in America</title></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def _element(tag: str, ident: str, words: str) -> str:
    id_attr = f' id="{html.escape(ident)}"' if ident else ""
    return f"<{tag}{id_attr}>{html.escape(' '.join(words.split()))}</{tag}>"


INIT_SCRIPT = """
(() => {
  const target = %s;
  const state = { last: null };
  Object.defineProperty(window, "__bench", { value: state });
  const observer = new MutationObserver(() => {
    if (state.last === null && document.getElementById(target)) {
      state.last = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();
"""
FCP_SCRIPT = """
() => new Promise((resolve) => {
  const entry = performance.getEntriesByName("first-contentful-paint")[0];
  if (entry) { resolve(entry.startTime); return; }
  new PerformanceObserver((list) => {
    const found = list.getEntries().find((e) => e.name === "first-contentful-paint");
    if (found) resolve(found.startTime);
  }).observe({ type: "paint", buffered: true });
  setTimeout(() => resolve(null), 15000);
})
"""


def time_to_text(
    pages: dict[str, str], last_id: str, runs: int, warm_url: str | None = None
) -> dict[str, dict[str, list]]:
    """First contentful paint and last-paragraph time of each page, in ms, interleaved.

    Each load runs in a fresh browser context, so with an empty cache. With
    ``warm_url`` (a blank page of the same origin) the context first opens it,
    so that the renderer process is running and the timings start at the
    page's own navigation, not at the start of a process.
    """
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, list]] = {name: {"fcp_ms": [], "last_ms": []} for name in pages}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + QUIET_CHROMIUM_ARGS
        )
        try:
            for i in range(runs + 1):  # the first round warms the server and the browser
                for name, url in pages.items():
                    context = browser.new_context()
                    try:
                        page = context.new_page()
                        if warm_url:
                            page.goto(warm_url, wait_until="load", timeout=60_000)
                        page.add_init_script(INIT_SCRIPT % json.dumps(last_id))
                        page.goto(url, wait_until="load", timeout=60_000)
                        page.wait_for_function(
                            "() => window.__bench && window.__bench.last !== null",
                            timeout=60_000,
                        )
                        last = page.evaluate("() => window.__bench.last")
                        fcp = page.evaluate(FCP_SCRIPT)
                    finally:
                        context.close()
                    if fcp is None:
                        raise BrowserError(f"{name}: Chromium reported no first contentful paint")
                    if i:
                        results[name]["fcp_ms"].append(fcp)
                        results[name]["last_ms"].append(last)
        finally:
            browser.close()
    return results


def browser_figures(
    tei_path: Path, last_id: str, site: Path, reading_page: str, work: Path, runs: int
) -> dict[str, dict[str, list]]:
    """Serve the built site, the CETEIcean page and a bare text page; time them."""
    served = work / "served"
    served.mkdir()
    shutil.copytree(site, served / "site")
    cetei = served / "ceteicean"
    cetei.mkdir()
    shutil.copyfile(CETEI_TEMPLATE, cetei / "index.html")
    shutil.copyfile(CETEI_JS, cetei / "CETEI.js")
    shutil.copyfile(tei_path, cetei / "tei.xml")
    (served / "warm.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>-</title></head>'
        "<body></body></html>\n",
        encoding="utf-8",
    )
    (served / "bare").mkdir()
    (served / "bare" / "index.html").write_text(bare_text_page(tei_path), encoding="utf-8")
    with http_server(served) as url:
        pages = {
            "reading page": f"{url}/site/{reading_page}",
            "CETEIcean": f"{url}/ceteicean/index.html",
            "bare static HTML": f"{url}/bare/index.html",
        }
        return time_to_text(pages, last_id, runs, warm_url=f"{url}/warm.html")

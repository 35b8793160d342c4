"""The built site loads nothing from another host.

A reader's browser must not fetch fonts, scripts, styles, images or data from
anywhere but the site itself: for privacy, for archiving, and so that the
edition works offline. Links to other sites (``<a href>``, ``rel="canonical"``,
Dublin Core ``rel="schema.DC"``, ``<meta content>``) are not loads and are
allowed.

Checked twice: statically, in every built HTML, CSS and JS file; and in
Chromium, which loads every page and must request nothing outside 127.0.0.1.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html

# An absolute URL to another host: scheme-qualified or protocol-relative.
REMOTE = re.compile(r"^\s*(?:(?:https?|wss?|ftp):)?//", re.IGNORECASE)
# rel values for which a browser fetches the link's target.
LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "preconnect",
    "dns-prefetch",
    "prerender",
    "import",
}
# Elements and the attributes from which a browser loads something.
LOADING_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href",),  # SVG
    "use": ("href",),  # SVG
}
CSS_URL = re.compile(
    r"""url\(\s*(['"]?)(?P<url>[^'")]*)\1\s*\)|@import\s+(['"])(?P<import>[^'"]*)\3"""
)
URL_LITERAL = r"""["'`](?P<url>(?:(?:https?|wss?):)?//[^"'`\s]+)"""
JS_LOADS = [
    # fetch("https://..."), import("//..."), new Worker(...), xhr.open("GET", "https://...")
    re.compile(
        r"\b(?:fetch|import|importScripts|sendBeacon|WebSocket|EventSource|Worker|SharedWorker"
        r"|open)\s*\(\s*(?:[\"'`][A-Za-z]+[\"'`]\s*,\s*)?" + URL_LITERAL
    ),
    # el.src = "https://...", link.href = "//..."
    re.compile(r"\.(?:src|href|data)\s*=\s*" + URL_LITERAL),
    # el.setAttribute("src", "https://...")
    re.compile(r"setAttribute\(\s*[\"'](?:src|href|srcset)[\"']\s*,\s*" + URL_LITERAL),
]


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` attribute."""
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def css_remote(text: str) -> list[str]:
    """Remote URLs a style sheet loads (``url()`` and ``@import``)."""
    found = []
    for match in CSS_URL.finditer(text):
        target = match.group("url") or match.group("import") or ""
        if REMOTE.match(target):
            found.append(target)
    return found


def js_remote(text: str) -> list[str]:
    """Remote URLs a script fetches or assigns as a source."""
    return [m.group("url") for pattern in JS_LOADS for m in pattern.finditer(text)]


def html_remote(path: Path) -> list[str]:
    """Every remote load of an HTML page, described."""
    root = html.parse(str(path)).getroot()
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.rsplit("}", 1)[-1].lower()
        if tag == "link":
            rels = set((el.get("rel") or "").lower().split())
            if rels & LOADING_RELS and REMOTE.match(el.get("href", "")):
                found.append(f"<link rel={el.get('rel')!r} href={el.get('href')!r}>")
        for attribute in LOADING_ATTRIBUTES.get(tag, ()):
            value = el.get(attribute) or el.get(f"{{http://www.w3.org/1999/xlink}}{attribute}")
            if not value:
                continue
            urls = srcset_urls(value) if attribute == "srcset" else [value]
            found += [f"<{tag} {attribute}={url!r}>" for url in urls if REMOTE.match(url)]
        if el.get("style"):
            found += [f"<{tag} style> {url}" for url in css_remote(el.get("style"))]
        if tag == "style":
            found += [f"<style> {url}" for url in css_remote(el.text_content())]
        if tag == "script" and (el.get("type") or "text/javascript").endswith("javascript"):
            found += [f"<script> {url}" for url in js_remote(el.text_content())]
        if tag == "script" and el.get("type") == "module":
            found += [f"<script type=module> {url}" for url in js_remote(el.text_content())]
    return found


# --------------------------------------------------------------------------
# The scanners themselves
# --------------------------------------------------------------------------


def test_scanners_find_remote_loads(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head>"
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        '<link rel="canonical" href="https://example.org/page.html">'
        '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">'
        '<script src="//cdn.example/x.js"></script>'
        "<script>fetch('https://api.example/data')</script>"
        "<style>@import 'https://fonts.example/f.css';</style>"
        '</head><body><a href="https://example.org/">a link, not a load</a>'
        '<img src="local.png" srcset="local.png 1x, https://img.example/y.png 2x">'
        '<div style="background: url(http://img.example/z.png)"></div>'
        "</body></html>",
        encoding="utf-8",
    )
    found = html_remote(page)
    assert len(found) == 6, found
    assert not any("example.org" in item for item in found)
    assert (
        css_remote(
            "a{background:url('data:image/svg+xml,<svg xmlns=\"http://www.w3.org/2000/svg\"/>')}"
        )
        == []
    )
    assert js_remote(
        'var ns = "http://www.w3.org/2000/svg"; x.open("GET", "https://a.example/")'
    ) == ["https://a.example/"]


# --------------------------------------------------------------------------
# The built site, statically
# --------------------------------------------------------------------------


def test_html_loads_nothing_remote(site: Path):
    pages = sorted(site.rglob("*.html"))
    assert pages
    found = {p.relative_to(site).as_posix(): html_remote(p) for p in pages}
    found = {page: items for page, items in found.items() if items}
    assert found == {}


def test_css_loads_nothing_remote(site: Path):
    found = {
        p.relative_to(site).as_posix(): css_remote(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.css"))
    }
    assert {page: urls for page, urls in found.items() if urls} == {}


def test_js_fetches_nothing_remote(site: Path):
    found = {
        p.relative_to(site).as_posix(): js_remote(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.js"))
    }
    assert {page: urls for page, urls in found.items() if urls} == {}


# --------------------------------------------------------------------------
# The built site, in Chromium
# --------------------------------------------------------------------------


@pytest.mark.browser
def test_browser_requests_only_the_site(site: Path, site_url: str, page):
    """Load every page (scripts on) and record every request the browser makes."""
    local = urlsplit(site_url).netloc
    requests: dict[str, list[str]] = {}
    current = {"page": ""}

    def record(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about") or parts.netloc == local:
            return
        requests.setdefault(current["page"], []).append(request.url)

    def route(route) -> None:
        # Nothing leaves the machine, even where the network is reachable.
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            route.abort()

    page.on("request", record)
    page.route("**/*", route)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    for rel in pages:
        current["page"] = rel
        page.goto(f"{site_url}/{rel}", wait_until="networkidle")
    assert requests == {}

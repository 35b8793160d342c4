"""Figure 7: what the reading page weighs, as a browser would load it.

The HTML page plus every stylesheet, script and font it loads (fonts found
in the loaded CSS, ``@import`` followed), each raw and ``gzip -9``. The
budget counts the HTML, CSS and JS (``bench/figures.toml``); fonts are listed.
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf", ".eot")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]*?)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)(?P<url>[^'")\s;]+)\1""")


class MissingFile(RuntimeError):
    """The page loads a file the build did not produce."""


def _local(href: str, base: Path) -> Path | None:
    """The file a relative URL names, or ``None`` for an absolute or data URL."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (base.parent / unquote(parts.path)).resolve()


def page_weight(page: Path) -> dict[str, Any]:
    """HTML plus every CSS, JS and font file it loads; raw and gzip-compressed."""
    doc = lxml_html.parse(str(page)).getroot()
    wanted: list[tuple[str, Path]] = [("html", page)]
    external: list[str] = []

    def add(kind: str, href: str | None, base: Path) -> Path | None:
        if not href or href.startswith("data:"):
            return None
        path = _local(href, base)
        if path is None:
            external.append(href)
            return None
        if all(p != path for _, p in wanted):
            wanted.append((kind, path))
            return path
        return None

    stylesheets: list[Path] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = {"style": "css", "script": "js", "font": "font"}.get(link.get("as", ""))
        if "stylesheet" in rel:
            kind = "css"
        elif "preload" not in rel or kind is None:
            continue
        path = add(kind, link.get("href"), page)
        if path is not None and kind == "css":
            stylesheets.append(path)
    for script in doc.iter("script"):
        add("js", script.get("src"), page)
    while stylesheets:  # fonts and imported sheets of the loaded CSS
        sheet = stylesheets.pop()
        if not sheet.exists():
            continue
        text = sheet.read_text(encoding="utf-8", errors="replace")
        for found in CSS_IMPORT.finditer(text):
            path = add("css", found["url"], sheet)
            if path is not None:
                stylesheets.append(path)
        for found in CSS_URL.finditer(text):
            url = found["url"]
            if urlsplit(url).path.lower().endswith(FONT_SUFFIXES):
                add("font", url, sheet)
    files = []
    for kind, path in wanted:
        if not path.exists():
            raise MissingFile(f"{page.name} loads {path}, which the build did not produce")
        data = path.read_bytes()
        files.append(
            {
                "kind": kind,
                "path": os.path.relpath(path, page.parent),
                "raw": len(data),
                "gzip": len(gzip.compress(data, compresslevel=9, mtime=0)),
            }
        )
    return {
        "files": files,
        "raw": sum(f["raw"] for f in files),
        "gzip": sum(f["gzip"] for f in files),
        "external": external,
    }

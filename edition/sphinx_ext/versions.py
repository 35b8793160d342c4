"""The edition's version and its own address, from the pipeline's data, for Sphinx.

``conf.py`` holds no version number: the TEI's ``editionStmt/edition/@n`` is the
one place it is written. The pipeline copies it, with the version's own
address (:func:`edition.publish.paths.versioned_base_url`), into the anchor
data it writes beside the pages (``edition/_anchors.json``). This extension
reads that file (never the TEI, and it imports nothing of the edition) when
the configuration is ready, and sets

- ``release`` and ``version``, which Sphinx and the EPUB show;
- ``html_baseurl`` and ``ogp_site_url`` (canonical links, sitemap, OpenGraph)
  to the version's own address, so that what a reader saves or cites names
  words that stay where it says, not ``/en/latest/``.

The 404 page's link prefix (``notfound_urls_prefix``) keeps the address the
site is served from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

# Where the pipeline writes its anchor data (edition.anchors.DATA_FILE; a test
# checks that the two agree).
DATA_FILE = "edition/_anchors.json"


def apply_version(app: Sphinx, config: Config) -> None:
    """Take the version and its address from the pipeline's data."""
    data = Path(app.srcdir) / DATA_FILE
    if not data.is_file():
        return
    found = json.loads(data.read_text(encoding="utf-8"))
    version, base = str(found.get("version", "")), str(found.get("base", ""))
    if version:
        config.release = version
        config.version = version
    if base:
        config.html_baseurl = base
        if "ogp_site_url" in config:
            config.ogp_site_url = base


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the handler; it runs before other extensions read these values."""
    app.connect("config-inited", apply_version, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

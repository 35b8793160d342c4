"""The edition's version, from the TEI by way of the pipeline, for Sphinx and every cited URL.

``conf.py`` holds no version number: the TEI's ``editionStmt/edition/@n`` is the
one place it is written. The pipeline copies it into the anchor data it writes
beside the pages (:data:`edition.anchors.DATA_FILE`); this extension reads that
file (never the TEI) when the configuration is ready, and sets

- ``release`` and ``version``, which Sphinx and the EPUB show;
- ``html_baseurl`` and ``ogp_site_url`` (canonical links, sitemap, OpenGraph)
  and ``edition_base_url`` (the citations) to the version's own address,
  :func:`edition.publish.paths.versioned_base_url`, so a citation names words that
  stay where it says, not ``/en/latest/``.

The 404 page's link prefix keeps the address the site is served from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edition.anchors import DATA_FILE
from edition.publish import paths

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def apply_version(app: Sphinx, config: Config) -> None:
    """Take the version from the pipeline's data and point every cited URL at it."""
    data = Path(app.srcdir) / DATA_FILE
    if not data.is_file():
        return
    version = str(json.loads(data.read_text(encoding="utf-8")).get("version", ""))
    if not version:
        return
    config.release = version
    config.version = version
    served = paths.base_url()
    versioned = paths.versioned_base_url(version)
    # Only the defaults move: an explicit setting in conf.py or -D wins.
    for name in ("html_baseurl", "ogp_site_url", "edition_base_url"):
        if name in config and getattr(config, name) in ("", served):
            setattr(config, name, versioned)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the handler; it runs before other extensions read these values."""
    app.connect("config-inited", apply_version, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

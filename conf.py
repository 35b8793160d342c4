"""Sphinx settings for the edition; no logic lives here (see edition/)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

project = "The Nucleus in America"
author = "Tim Davenport (ed., 2005); The Nucleus in America digital edition project"
# The theme prints "Copyright ©" before this: it claims only the digital edition's
# own contributions. The print edition claims no copyright; it says "Free
# reproduction permitted" (the TEI's availability statement).
copyright = (
    "2026 The Nucleus in America digital edition project: encoding, notes and index "
    "entries (CC BY 4.0). The memo and its footnotes are from the 2005 print edition, "
    'which says "Free reproduction permitted"'
)
# The version comes from the TEI (editionStmt/edition/@n), set by edition.sphinx_ext.versions.
release = ""
version = release  # EPUB 3 requires a version
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "edition.sphinx_ext",
    "edition.sphinx_ext.metadata",
    "edition.sphinx_ext.versions",
    "sphinxext.opengraph",
]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "deflist"]
myst_heading_anchors = 0

root_doc = "index"
exclude_patterns = ["_build", "edition/_*.md", "edition/_extra", ".venv", "node_modules"]
# The text is quoted exactly: no curly quotes or dashes made from ASCII.
smartquotes = False

# The edition's own lean theme (edition/sphinx_ext/theme/edition; why not Furo:
# README, "Theme"). Section and paragraph numbers are the permalinks, so
# headings carry no extra link.
html_theme = "edition"
html_title = "The Nucleus in America"
html_short_title = "The Nucleus in America"
html_static_path: list[str] = []
html_favicon = "edition/sphinx_ext/static/favicon.png"
html_permalinks = False
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_show_sphinx = False
# Set explicitly so incremental builds see an unchanged configuration.
pygments_style = "default"

# Publishing: where the site lives (EDITION_BASE_URL, else Read the Docs' canonical
# URL, else the default; see edition/publish/paths.py) gives the canonical links,
# OpenGraph URLs and the sitemap. The 404 page's links are relative (it finds
# the site's root itself), so it works at any base path.
from edition.publish.paths import base_url  # noqa: E402

html_baseurl = base_url()
ogp_site_url = html_baseurl
ogp_type = "book"  # Zotero then saves the edition as a book, not as a web page
ogp_social_cards = {"enable": False}  # would need matplotlib
# The edition's extension writes sitemap.xml, from html_baseurl (which already holds
# the language and version) and every page Sphinx knows.
edition_sitemap_excludes = ["404.html", "search.html", "genindex.html"]
# The 404 page is for web servers; an EPUB has no use for it.
epub_exclude_files = [
    "404.xhtml",
    "_static/edition.css",
    "_static/edition.js",
    "_static/favicon.png",
]

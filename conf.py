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
    "sphinx_sitemap",
    "notfound.extension",
]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "deflist"]
myst_heading_anchors = 0

root_doc = "index"
exclude_patterns = ["_build", "edition/_*.md", "edition/_extra", ".venv", "node_modules"]
# The text is quoted exactly: no curly quotes or dashes made from ASCII.
smartquotes = False

html_theme = "furo"
html_title = "The Nucleus in America"
html_static_path: list[str] = []
html_permalinks_icon = "¶"
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "navigation_with_keys": True,
    "top_of_page_buttons": [],
}
# Set explicitly (Furo's defaults) so incremental builds see an unchanged configuration.
pygments_style = "tango"
pygments_dark_style = "native"

# Publishing: where the site lives (EDITION_BASE_URL, else Read the Docs' canonical
# URL, else the default; see edition/publish/paths.py) gives the canonical links,
# OpenGraph URLs, the sitemap and the 404 page's absolute links.
from urllib.parse import urlsplit  # noqa: E402

from edition.publish.paths import base_url  # noqa: E402

html_baseurl = base_url()
ogp_site_url = html_baseurl
ogp_type = "book"  # Zotero then saves the edition as a book, not as a web page
ogp_social_cards = {"enable": False}  # would need matplotlib
sitemap_url_scheme = "{link}"  # html_baseurl already holds the language and version
sitemap_excludes = ["404.html", "search.html", "genindex.html"]
# For sphinx-notfound-page ("notfound.extension"): the 404 page's links are absolute.
notfound_urls_prefix = urlsplit(html_baseurl).path
# The 404 page is for web servers; an EPUB has no use for it.
epub_exclude_files = ["404.xhtml"]

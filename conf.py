"""Sphinx settings for the edition; no logic lives here (see edition/)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

project = "The Nucleus in America"
author = "Tim Davenport (ed., 2005); The Nucleus in America digital edition project"
copyright = (
    "2005 Tim Davenport (text and footnotes, free reproduction permitted); "
    "2026 the digital edition project (CC BY 4.0)"
)
release = "1.0"
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "edition.sphinx_ext",
]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "deflist"]
myst_heading_anchors = 0

root_doc = "index"
exclude_patterns = ["_build", "edition/_*.md", ".venv", "node_modules"]
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

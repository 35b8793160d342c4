"""A tiny project for the edition's Sphinx extension."""

extensions = ["myst_parser", "edition.sphinx_ext"]
myst_enable_extensions = ["attrs_block", "attrs_inline"]
edition_static = False
html_theme = "basic"

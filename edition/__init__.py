"""The Nucleus in America: a one-way pipeline from one TEI file to a Sphinx site.

Stages, each in its own module: :mod:`edition.tei` (load and validate),
:mod:`edition.reader` (TEI to the plain model in :mod:`edition.model`, through
the element table in :mod:`edition.behaviours`), :mod:`edition.render` (model
to MyST text) and :mod:`edition.pipeline` (write only what changed).
"""

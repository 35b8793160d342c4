"""The edition's benchmark (``make bench``): its figures, their budgets, and how they are measured.

``figures.toml`` holds what each figure is and its budget; :mod:`bench.figures`
turns measured runs into the table; :mod:`bench.inputs`, :mod:`bench.measure`,
:mod:`bench.weight` and :mod:`bench.browser` measure; :mod:`bench.serve` is
the loopback HTTP server the bench and the tests share.
"""

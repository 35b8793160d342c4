"""The project's ``conf.py`` read as data, without running it.

``scripts/build_site.py`` (the extensions to load early) and the benchmark
(the settings of its bare build) both need a few of its literal settings;
running ``conf.py`` would import what it imports.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

CONF = Path(__file__).resolve().parent.parent / "conf.py"


def conf_setting(name: str, conf: Path = CONF) -> Any:
    """The literal value ``conf.py`` assigns to ``name``.

    Raises ``KeyError`` if it assigns none, ``ValueError`` if the value is
    not a literal, ``OSError`` or ``SyntaxError`` if the file cannot be read.
    """
    tree = ast.parse(conf.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return ast.literal_eval(value)
    raise KeyError(f"{conf.name} sets no {name}")

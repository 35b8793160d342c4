"""conf.py read as data (edition.project): literal settings, and what is not one."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.project import conf_setting


def test_the_project_s_extensions_are_read_without_running_conf_py():
    assert "myst_parser" in conf_setting("extensions")


def test_plain_and_annotated_assignments_are_read_and_others_are_errors(tmp_path: Path):
    conf = tmp_path / "conf.py"
    conf.write_text(
        "import os\nx = [1, 2]\ny: str = 'a'\nz = os.environ.get('Z')\n", encoding="utf-8"
    )
    assert conf_setting("x", conf) == [1, 2]
    assert conf_setting("y", conf) == "a"
    with pytest.raises(ValueError):
        conf_setting("z", conf)  # not a literal
    with pytest.raises(KeyError):
        conf_setting("w", conf)

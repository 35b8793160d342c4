"""Publishing (scripts/build_site.py): only what changed is touched, and links never see later writes.

:func:`build_site.publish` is tested on small folders, and so are the pipeline's child
process and the warm-up beside it; the whole build
(Sphinx, the anchors check, a failed build) is tested in test_bad_input.py.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from edition import pipeline

spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
assert spec is not None and spec.loader is not None
build_site = importlib.util.module_from_spec(spec)
sys.modules["build_site"] = build_site
spec.loader.exec_module(build_site)
PARENT = os.getpid()


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """Sphinx's output, the pipeline's files, the published folder and its record."""
    built, extra = tmp_path / "sphinx-html", tmp_path / "extra"
    (built / "edition").mkdir(parents=True)
    (built / "index.html").write_text("<p>index</p>", encoding="utf-8")
    (built / "edition" / "memo.html").write_text("<p>memo</p>", encoding="utf-8")
    pipeline.write_extra({"dts/index.jsonld": b"{}", "downloads/a.txt": b"a"}, tmp_path / "src")
    extra = tmp_path / "src" / pipeline.EXTRA_DIR
    return built, extra, tmp_path / "html", tmp_path / "html.manifest.json"


def test_a_first_publish_makes_the_whole_site(trees):
    built, extra, out, record = trees
    done = build_site.publish(built, extra, out, record)
    assert done.fresh and (done.copied, done.linked, done.removed) == (2, 2, 0)
    assert files(out) == {**files(built), **files(extra)}
    assert (out / "dts" / "index.jsonld").stat().st_ino == (
        extra / "dts/index.jsonld"
    ).stat().st_ino


def test_a_second_publish_touches_nothing(trees):
    built, extra, out, record = trees
    build_site.publish(built, extra, out, record)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    done = build_site.publish(built, extra, out, record)
    assert (done.fresh, done.copied, done.linked, done.removed) == (False, 0, 0, 0)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_only_changed_files_are_replaced_and_gone_files_removed(trees, tmp_path):
    built, extra, out, record = trees
    build_site.publish(built, extra, out, record)
    index_inode = (out / "index.html").stat().st_ino
    (built / "edition" / "memo.html").write_text("<p>memo, edited</p>", encoding="utf-8")
    pipeline.write_extra({"dts/index.jsonld": b"{}", "downloads/a.txt": b"b"}, tmp_path / "src")
    old_link = out / "downloads" / "a.txt"
    held = old_link.open("rb")  # a reader of the old site keeps the old bytes
    pipeline.write_extra({"dts/index.jsonld": b"{}", "downloads/b.txt": b"b"}, tmp_path / "src")
    done = build_site.publish(built, extra, out, record)
    assert (done.copied, done.linked, done.removed) == (1, 1, 1)
    assert files(out) == {**files(built), **files(extra)}
    assert (out / "index.html").stat().st_ino == index_inode  # untouched
    assert held.read() == b"a"
    held.close()
    assert not any(p.name.endswith(build_site.TMP_SUFFIX) for p in out.rglob("*"))


def test_a_rewrite_by_the_pipeline_never_changes_the_published_file(trees, tmp_path):
    """The pipeline replaces files by rename: a published hard link keeps its bytes."""
    built, extra, out, record = trees
    build_site.publish(built, extra, out, record)
    pipeline.write_extra({"dts/index.jsonld": b"{new}", "downloads/a.txt": b"a"}, tmp_path / "src")
    assert (out / "dts" / "index.jsonld").read_bytes() == b"{}"  # until the next publish
    build_site.publish(built, extra, out, record)
    assert (out / "dts" / "index.jsonld").read_bytes() == b"{new}"


def test_a_lost_record_publishes_a_fresh_folder(trees):
    built, extra, out, record = trees
    build_site.publish(built, extra, out, record)
    (out / "stray.html").write_text("left by hand", encoding="utf-8")
    record.unlink()
    assert build_site.publish(built, extra, out, record).fresh
    assert files(out) == {**files(built), **files(extra)}


def test_a_pipeline_file_may_not_hide_a_sphinx_page(trees):
    built, extra, out, record = trees
    (extra / "index.html").write_text("not the home page", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"index\.html"):
        build_site.publish(built, extra, out, record)
    assert not out.exists()


def test_an_earlier_version_folder_stays_published(trees):
    """A version's folder (e.g. 1.0/) is kept once published, even if this build lacks it."""
    built, extra, out, record = trees
    (built / "1.0").mkdir()
    (built / "1.0" / "index.html").write_text("version 1.0", encoding="utf-8")
    build_site.publish(built, extra, out, record)
    shutil.rmtree(built / "1.0")
    build_site.publish(built, extra, out, record)
    assert (out / "1.0" / "index.html").read_text(encoding="utf-8") == "version 1.0"
    record.unlink()  # and when the site is published afresh
    build_site.publish(built, extra, out, record)
    assert (out / "1.0" / "index.html").read_text(encoding="utf-8") == "version 1.0"


def test_a_removed_file_is_removed_once_and_forgotten(trees):
    built, extra, out, record = trees
    build_site.publish(built, extra, out, record)
    (built / "edition" / "memo.html").unlink()
    assert build_site.publish(built, extra, out, record).removed == 1
    assert not (out / "edition").exists()
    assert build_site.publish(built, extra, out, record).removed == 0


# ---------------------------------------------------------------- the pipeline beside Sphinx's start


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here: the pipeline runs first")
def test_the_pipeline_runs_in_another_process_and_reports_back():
    wait = build_site._in_child(lambda: (0 if os.getpid() != PARENT else 9, True))
    assert wait() == (0, True)
    assert build_site._in_child(lambda: (2, False))() == (2, False)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here: the pipeline runs first")
def test_an_unexpected_error_in_the_pipeline_is_printed_and_fails_the_build(capfd):
    def broken() -> tuple[int, bool]:
        raise RuntimeError("the transform broke")

    assert build_site._in_child(broken)() == (1, False)
    assert "RuntimeError: the transform broke" in capfd.readouterr().err


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here: the pipeline runs first")
def test_a_pipeline_process_that_dies_fails_the_build(capfd):
    def killed() -> tuple[int, bool]:
        os._exit(3)

    assert build_site._in_child(killed)() == (1, False)
    assert "ended without a result" in capfd.readouterr().err


def test_warming_up_keeps_what_imports_print_and_leaves_failures_to_sphinx(monkeypatch, tmp_path):
    (tmp_path / "noisy_ext.py").write_text("print('a notice from an extension')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(build_site, "WARM_MODULES", ("noisy_ext", "no_such_module_here"))
    monkeypatch.setattr(build_site, "_conf_extensions", lambda: [])
    assert build_site._warm_up() == "a notice from an extension\n"


def test_the_warm_up_loads_the_extensions_conf_py_names():
    assert {"myst_parser", "sphinx_design", "edition.sphinx_ext"} <= set(
        build_site._conf_extensions()
    )


def test_sphinx_s_process_does_not_load_the_pipeline():
    """conf.py and the extensions leave the pipeline's code to the pipeline's process."""
    import subprocess

    code = (
        "import runpy, sys, importlib\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"conf = runpy.run_path({str(ROOT / 'conf.py')!r})\n"
        "for name in conf['extensions']: importlib.import_module(name)\n"
        "heavy = ('edition.pipeline', 'edition.citations', 'edition.publish.dts', 'edition.tei')\n"
        "print(sorted(m for m in sys.modules if m in heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


# ---------------------------------------------------------------- linking beside Sphinx, Sphinx beside the pipeline


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here: publish links them itself")
def test_files_linked_while_sphinx_runs_make_the_same_first_site(trees, tmp_path):
    built, extra, out, record = trees
    assert build_site._publishes_fresh(out, record)
    linked = build_site._prelink(extra, build_site._fresh_folder(out))()
    assert linked is not None and set(linked) == {"dts/index.jsonld", "downloads/a.txt"}
    done = build_site.publish(built, extra, out, record, linked)
    assert done.fresh and (done.copied, done.linked, done.removed) == (2, 2, 0)
    assert files(out) == {**files(built), **files(extra)}
    assert (out / "downloads" / "a.txt").stat().st_ino == (extra / "downloads/a.txt").stat().st_ino
    assert not build_site._fresh_folder(out).exists()
    assert not build_site._publishes_fresh(out, record)
    # the next publish, in place, finds the record the first one wrote
    assert build_site.publish(built, extra, out, record).copied == 0


def test_sphinx_stopped_by_the_pipeline_prints_nothing_of_its_own(tmp_path, capfd):
    """A refused or unchanged build stops Sphinx before it reads: its first lines are dropped."""
    source = tmp_path / "source"
    (source / "index.md").parent.mkdir(parents=True)
    (source / "index.md").write_text("# Home\n", encoding="utf-8")

    def ready() -> None:
        print("the pipeline's report")
        raise build_site._Stop(2)

    argv = ["-c", str(ROOT), "-b", "html", "-d", str(tmp_path / "d"), str(source)]
    stopped = build_site._sphinx(ready, [*argv, str(tmp_path / "out")], source)
    assert isinstance(stopped, build_site._Stop) and stopped.status == 2
    printed = capfd.readouterr()
    assert printed.out == "the pipeline's report\n"
    assert "Sphinx" not in printed.err
    assert not (tmp_path / "d").exists()


def test_held_output_comes_after_what_was_printed_before_release(capsys):
    import sys

    held = build_site._Held(sys.stdout)
    held.write("Running Sphinx\n")
    print("pages: 3 written")
    held.release()
    held.write("reading sources\n")
    assert capsys.readouterr().out == "pages: 3 written\nRunning Sphinx\nreading sources\n"

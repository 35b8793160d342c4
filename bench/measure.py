"""Figures 1-6: time the transform and the builds, as an editor runs them.

The transform is timed in process (:func:`edition.pipeline.build` into an
empty folder) against a bare lxml parse of the same file. The builds are
``make html TEI=… BUILDDIR=…`` in subprocesses, against a bare
``sphinx-build`` of the same generated MyST (MyST only, default theme).
Every ratio compares runs interleaved round by round.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from bench.figures import BuildRuns, pages_showing, sphinx_reread
from bench.inputs import FACTORS, Inputs, edit_paragraph
from edition import pipeline
from edition.project import conf_setting
from edition.publish.paths import EXTRA_DIR

ROOT = Path(__file__).resolve().parent.parent
BARE_CONF = """\
# Throwaway configuration of the bench's bare build: MyST only, default theme.
extensions = ["myst_parser"]
myst_enable_extensions = {extensions!r}
exclude_patterns = {exclude!r}
"""
# Variables a parent make (or the caller's shell) passes down that would change the builds.
INHERITED = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "SPHINXOPTS", "TEI", "BUILDDIR")


class BuildError(RuntimeError):
    """A build the bench ran failed."""


def log(message: str) -> None:
    """Progress on standard error, so the table stays clean on standard output."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- 1. transform


def parse_only(path: Path) -> None:
    """The floor: parse the file with lxml, with the pipeline's parser settings."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    etree.parse(str(path), parser)


def time_transform(path: Path, runs: int, work: Path) -> dict[str, list[float]]:
    """Time the in-process transform into a fresh folder, and the bare parse, interleaved.

    Wall times (``*_s``) and this process's CPU times (``*_cpu_s``).
    """
    times: dict[str, list[float]] = {
        "transform_s": [],
        "parse_s": [],
        "transform_cpu_s": [],
        "parse_cpu_s": [],
    }
    for i in range(runs + 1):  # the first round warms caches and is dropped
        out = Path(tempfile.mkdtemp(prefix="transform-", dir=work))
        start, cpu = time.perf_counter(), time.process_time()
        parse_only(path)
        parsed, parsed_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        pipeline.build(path, out)
        built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
        shutil.rmtree(out)
        if i:
            times["parse_s"].append(parsed)
            times["parse_cpu_s"].append(parsed_cpu)
            times["transform_s"].append(built)
            times["transform_cpu_s"].append(built_cpu)
    return times


def profile_transform(path: Path, work: Path, top: int = 25) -> str:
    """One transform under cProfile: the functions with the most cumulative time."""
    out = Path(tempfile.mkdtemp(prefix="profile-", dir=work))
    profiler = cProfile.Profile()
    profiler.runcall(pipeline.build, path, out)
    shutil.rmtree(out)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    return text.getvalue()


# ---------------------------------------------------------------- 2-6. builds


def clean_env() -> dict[str, str]:
    """The environment for sub-builds, without what a parent make passes down."""
    return {k: v for k, v in os.environ.items() if k not in INHERITED}


@dataclass(frozen=True)
class Timed:
    """A finished subprocess: wall time, CPU time of it and its children, output."""

    wall: float
    cpu: float
    output: str


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(command: list[str], what: str) -> Timed:
    """Run a command; return its wall and CPU time (user + system, children included)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=ROOT, env=clean_env(), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise BuildError(f"{what} failed (exit {result.returncode}):\n{output[-4000:]}")
    return Timed(elapsed, _children_cpu() - cpu, output)


def make_html(tei_path: Path, builddir: Path) -> Timed:
    """``make html TEI=... BUILDDIR=...``, timed."""
    settings = [f"TEI={tei_path}", f"BUILDDIR={builddir}"]
    command = ["make", "--no-print-directory", "-C", str(ROOT), "html", *settings]
    return run_timed(command, f"make html TEI={tei_path.name}")


def project_setting(name: str) -> Any:
    """A literal setting of the project's ``conf.py``, read without running it."""
    try:
        return conf_setting(name)
    except (KeyError, ValueError) as exc:
        raise BuildError(f"conf.py sets no literal {name}") from exc


def write_bare_conf(confdir: Path) -> None:
    """A conf.py with MyST only, the project's MyST extensions, the default theme."""
    confdir.mkdir(parents=True, exist_ok=True)
    (confdir / "conf.py").write_text(
        BARE_CONF.format(
            extensions=list(project_setting("myst_enable_extensions")),
            exclude=list(project_setting("exclude_patterns")),
        ),
        encoding="utf-8",
    )


def bare_build(source: Path, confdir: Path, out: Path) -> Timed:
    """A bare ``sphinx-build`` (no -W: the bare build cannot parse every directive)."""
    shutil.rmtree(out, ignore_errors=True)
    folders = [str(out / "doctrees"), str(source), str(out / "html")]
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(confdir), "-d", *folders]
    return run_timed(command, "bare sphinx-build")


def copy_pages(source: Path, dest: Path) -> None:
    """The MyST pages of a build's source folder, without the pipeline's published files."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(Path(EXTRA_DIR).name + "*"))


def generated_pages(source: Path) -> dict[str, str]:
    """Every MyST page of a source folder: ``{relative path: text}``."""
    return {
        p.relative_to(source).as_posix(): p.read_text(encoding="utf-8")
        for p in source.rglob("*.md")
    }


def published_size(source: Path) -> dict[str, Any]:
    """Files and bytes the pipeline wrote for publication beside the pages (DTS, downloads)."""
    files = [p for p in (source / EXTRA_DIR).rglob("*") if p.is_file()]
    dts_files = [p for p in files if p.relative_to(source / EXTRA_DIR).parts[0] == "dts"]
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "dts_files": len(dts_files),
        "dts_bytes": sum(p.stat().st_size for p in dts_files),
    }


def _edit(inputs: Inputs, builddir: Path, runs: BuildRuns) -> str:
    """Figure 4: change one paragraph's words in the 100x file and build again."""
    path = inputs.files[FACTORS[-1]]
    original = path.read_bytes()
    try:
        path.write_bytes(edit_paragraph(original, inputs.edit_paragraph))
        edited = make_html(path, builddir)
    finally:
        path.write_bytes(original)
    runs.edit_s.append(edited.wall)
    runs.edit_reread.append(sphinx_reread(edited.output))
    runs.edit_showing.append(
        pages_showing(generated_pages(builddir / "source"), inputs.edit_paragraph)
    )
    return f", one-paragraph edit {edited.wall:.2f} s"


def time_builds(
    inputs: Inputs,
    work: Path,
    runs: int,
    big_runs: int,
    bare_factors: tuple[int, ...] = FACTORS,
    after_cold: Callable[[int, Path], None] | None = None,
) -> tuple[dict[int, BuildRuns], dict[int, Path]]:
    """Cold build, no-change rebuild, (100x) one-paragraph edit, bare build; round by round.

    Returns the runs and, for each size, the folder of its last build.
    ``after_cold`` is called with the size and folder after each cold build.
    """
    confdir = work / "bare-conf"
    write_bare_conf(confdir)
    results = {f: BuildRuns() for f in FACTORS}
    kept: dict[int, Path] = {}
    bare_sources: dict[int, Path] = {}
    log("warm-up build of the memo (not counted)")
    make_html(inputs.files[1], work / "warmup")
    shutil.rmtree(work / "warmup")
    for round_no in range(max(runs, big_runs)):
        for factor in FACTORS:
            if round_no >= (big_runs if factor == FACTORS[-1] else runs):
                continue
            builddir = work / f"build-{factor}x"
            shutil.rmtree(builddir, ignore_errors=True)
            cold = make_html(inputs.files[factor], builddir)
            if after_cold is not None:
                after_cold(factor, builddir)
            again = make_html(inputs.files[factor], builddir)
            got = results[factor]
            got.cold_s.append(cold.wall)
            got.cold_cpu_s.append(cold.cpu)
            got.nochange_s.append(again.wall)
            got.nochange_cpu_s.append(again.cpu)
            got.nochange_reread.append(sphinx_reread(again.output))
            message = f"round {round_no + 1}: {factor}x cold {cold.wall:.2f} s"
            message += f", no-change {again.wall:.2f} s"
            if factor == FACTORS[-1]:
                message += _edit(inputs, builddir, got)
            if factor in bare_factors:
                if factor not in bare_sources:
                    bare_sources[factor] = work / f"bare-source-{factor}x"
                    copy_pages(builddir / "source", bare_sources[factor])
                bare = bare_build(bare_sources[factor], confdir, work / f"bare-{factor}x")
                got.bare_s.append(bare.wall)
                got.bare_cpu_s.append(bare.cpu)
                message += f", bare {bare.wall:.2f} s"
            log(message)
            kept[factor] = builddir
    return results, kept

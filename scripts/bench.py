#!/usr/bin/env python3
"""Measure the edition's pipeline and site against their budgets (``make bench``).

Prints a table, and writes it to ``bench/results.json``, of six figures, each
the median of several runs, every ratio taken between runs of the same bench
(the machine is noisy, so absolute times are compared only within one run):

1. transform cost: TEI to MyST in process (parse, validate, render, write)
   against merely parsing the same file with lxml, on the memo and on a file
   100 times its size (budget: at most 5x the parse on the 100x file);
2. build overhead: a full ``make html`` against a bare ``sphinx-build`` of the
   same generated MyST with the default theme and no project extension
   (budget: at most 1.3x);
3. no-change rebuild: ``make html`` run twice; the second run re-reads no page
   and on the 100x edition takes at most 0.25x its cold build;
4. scaling: the cost of each added section from 10x to 100x is at most 1.2x
   that from 1x to 10x, for the transform and for the build;
5. page weight of the reading page (HTML, CSS, JS, fonts; raw and gzip), at
   most 60 kB compressed;
6. time to text in headless Chromium over HTTP on localhost: first contentful
   paint and the time until the last paragraph is in the document, against a
   page that renders the same TEI file with CETEIcean (budget: first contentful
   paint at most 0.6x CETEIcean's).

The synthetic 10x and 100x files come from :func:`edition.synthetic.multiply`.
All builds go to a temporary folder; ``source/`` and ``_build/`` are not touched.
Exit status: 0 when the bench ran (even if a budget is missed), 1 if anything
failed.

Usage: ``python scripts/bench.py [--runs N] [--big-runs N] [--keep]``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import datetime as dt
import gzip
import html
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

from edition import pipeline, render, synthetic, tei  # noqa: E402

BENCH_DIR = ROOT / "bench"
CETEI_TEMPLATE = BENCH_DIR / "ceteicean.html"
CETEI_JS = ROOT / "node_modules" / "CETEIcean" / "dist" / "CETEI.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Only for the bench: keep Chromium from preloading its own WebUI (the omnibox popup)
# in the background of a fresh context, which competes with the page for the CPU.
QUIET_CHROMIUM_ARGS = [
    "--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxFullPopup,"
    "WebUIOmniboxAimPopup",
]
FACTORS = (1, 10, 100)
READING_PAGE = f"{render.GENERATED_DIR}/{render.READING}.html"
# Sphinx 9 prints e.g. "updating environment: [new config] 9 added, 0 changed, 0 removed".
UPDATING = re.compile(
    r"updating environment: (?:\[(?P<why>[^\]]*)\] )?"
    r"(?P<added>\d+) added, (?P<changed>\d+) changed, (?P<removed>\d+) removed"
)
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf", ".eot")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]*?)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)(?P<url>[^'")\s;]+)\1""")
BARE_CONF = """\
# Throwaway configuration of the bench's bare build: MyST only, default theme.
extensions = ["myst_parser"]
myst_enable_extensions = {extensions!r}
exclude_patterns = {exclude!r}
"""
KB = 1000  # page weights are given in kB of 1000 bytes

BUDGETS = {
    "transform_100x": 5.0,
    "build_overhead": 1.3,
    "rebuild_100x": 0.25,
    "scaling": 1.2,
    "page_weight_gzip_kb": 60.0,
    "fcp_vs_ceteicean": 0.6,
}


class BenchError(RuntimeError):
    """A step of the bench failed (a build, the browser, the server)."""


def log(message: str) -> None:
    """Progress on standard error, so the table stays clean on standard output."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    """The median of the runs."""
    return statistics.median(values)


# ---------------------------------------------------------------- inputs


@dataclass
class Inputs:
    """The TEI files measured, with what the figures need to know about them."""

    files: dict[int, Path]
    sections: dict[int, int]
    last_paragraph: str


def count_sections(path: Path) -> int:
    """Divisions in the body (deleted sections inside a variant included)."""
    root = etree.parse(str(path)).getroot()
    return len(root.findall("tei:text/tei:body//tei:div", tei.NS))


def last_body_paragraph(path: Path) -> str:
    """The ``xml:id`` of the last ``<p>`` in ``<body>``."""
    root = etree.parse(str(path)).getroot()
    paragraphs = root.findall("tei:text/tei:body//tei:p", tei.NS)
    if not paragraphs or paragraphs[-1].get(tei.XML_ID) is None:
        raise BenchError(f"{path}: no <p> with an xml:id in <body>")
    return paragraphs[-1].get(tei.XML_ID)


def prepare_inputs(master: Path, work: Path) -> Inputs:
    """Snapshot the memo (others may be editing it) and write the synthetic files."""
    files = {1: work / "memo.xml"}
    shutil.copyfile(master, files[1])
    for factor in FACTORS[1:]:
        files[factor] = work / f"memo-{factor}x.xml"
        files[factor].write_bytes(synthetic.multiply(files[1], factor))
    for path in files.values():
        tei.load(path)  # a file the pipeline rejects would make every figure meaningless
    return Inputs(
        files=files,
        sections={f: count_sections(p) for f, p in files.items()},
        last_paragraph=last_body_paragraph(files[1]),
    )


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


# ---------------------------------------------------------------- 2-4. builds


def clean_env() -> dict[str, str]:
    """The environment for sub-builds, without what a parent make passes down."""
    env = dict(os.environ)
    for name in (
        "MAKEFLAGS",
        "MFLAGS",
        "MAKELEVEL",
        "MAKEOVERRIDES",
        "SPHINXOPTS",
        "TEI",
        "BUILDDIR",
    ):
        env.pop(name, None)
    return env


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
    """Run a command as a subprocess; return its wall and CPU time and its output.

    The CPU time (user and system, of the command and every process it waited
    for) is recorded beside the wall time: on a busy machine it is the steadier
    of the two, though the budgets are judged on wall time.
    """
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=ROOT, env=clean_env(), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise BenchError(f"{what} failed (exit {result.returncode}):\n{output[-4000:]}")
    return Timed(elapsed, _children_cpu() - cpu, output)


def make_html(tei_path: Path, builddir: Path) -> Timed:
    """``make html TEI=... BUILDDIR=...``, timed."""
    return run_timed(
        [
            "make",
            "--no-print-directory",
            "-C",
            str(ROOT),
            "html",
            f"TEI={tei_path}",
            f"BUILDDIR={builddir}",
        ],
        f"make html TEI={tei_path.name}",
    )


def reread(output: str) -> dict[str, Any]:
    """What Sphinx says it re-read: pages added plus changed, from its own report."""
    found = UPDATING.search(output)
    if found is None:
        raise BenchError("Sphinx's output has no 'updating environment' line:\n" + output[-2000:])
    added, changed = int(found["added"]), int(found["changed"])
    return {
        "added": added,
        "changed": changed,
        "removed": int(found["removed"]),
        "reason": found["why"] or "",
        "reread": added + changed,
    }


def project_setting(name: str) -> Any:
    """A literal setting of the project's ``conf.py``, read without running it."""
    tree = ast.parse((ROOT / "conf.py").read_text(encoding="utf-8"))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return ast.literal_eval(node.value)
    raise BenchError(f"conf.py sets no literal {name}")


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
    return run_timed(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-c",
            str(confdir),
            "-d",
            str(out / "doctrees"),
            str(source),
            str(out / "html"),
        ],
        "bare sphinx-build",
    )


@dataclass
class BuildRuns:
    """Timings of the builds of one TEI file."""

    cold_s: list[float] = field(default_factory=list)
    nochange_s: list[float] = field(default_factory=list)
    nochange_reread: list[dict[str, Any]] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)
    cold_cpu_s: list[float] = field(default_factory=list)
    nochange_cpu_s: list[float] = field(default_factory=list)
    bare_cpu_s: list[float] = field(default_factory=list)


def time_builds(
    inputs: Inputs, work: Path, runs: int, big_runs: int, bare_factors: tuple[int, ...]
) -> tuple[dict[int, BuildRuns], dict[int, Path]]:
    """Cold build, no-change rebuild and (for some sizes) a bare build, round by round.

    Returns the runs and, for each size, the folder of its last build (the
    HTML is used for the page weight and the browser figures); the bare builds
    are left in ``work/bare-{factor}x``.
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
            wanted = big_runs if factor == FACTORS[-1] else runs
            if round_no >= wanted:
                continue
            builddir = work / f"build-{factor}x"
            shutil.rmtree(builddir, ignore_errors=True)
            cold = make_html(inputs.files[factor], builddir)
            again = make_html(inputs.files[factor], builddir)
            runs_of = results[factor]
            runs_of.cold_s.append(cold.wall)
            runs_of.cold_cpu_s.append(cold.cpu)
            runs_of.nochange_s.append(again.wall)
            runs_of.nochange_cpu_s.append(again.cpu)
            runs_of.nochange_reread.append(reread(again.output))
            message = (
                f"round {round_no + 1}: {factor}x cold {cold.wall:.2f} s, "
                f"no-change {again.wall:.2f} s"
            )
            if factor in bare_factors:
                if factor not in bare_sources:
                    bare_sources[factor] = work / f"bare-source-{factor}x"
                    shutil.copytree(builddir / "source", bare_sources[factor])
                bare = bare_build(bare_sources[factor], confdir, work / f"bare-{factor}x")
                runs_of.bare_s.append(bare.wall)
                runs_of.bare_cpu_s.append(bare.cpu)
                message += f", bare {bare.wall:.2f} s"
            log(message)
            kept[factor] = builddir
    return results, kept


# ---------------------------------------------------------------- 5. page weight


def _local(href: str, base: Path) -> Path | None:
    """The file a relative URL names, or ``None`` for an absolute or data URL."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (base.parent / unquote(parts.path)).resolve()


def page_weight(page: Path) -> dict[str, Any]:
    """HTML plus every CSS, JS and font file it loads; raw and gzip-compressed."""
    doc = lxml_html.parse(str(page)).getroot()
    wanted: list[tuple[str, Path]] = [("html", page)]
    external: list[str] = []

    def add(kind: str, href: str | None, base: Path) -> Path | None:
        if not href or href.startswith("data:"):
            return None
        path = _local(href, base)
        if path is None:
            external.append(href)
            return None
        if all(p != path for _, p in wanted):
            wanted.append((kind, path))
            return path
        return None

    stylesheets: list[Path] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = {"style": "css", "script": "js", "font": "font"}.get(link.get("as", ""))
        if "stylesheet" in rel:
            kind = "css"
        elif "preload" not in rel or kind is None:
            continue
        path = add(kind, link.get("href"), page)
        if path is not None and kind == "css":
            stylesheets.append(path)
    for script in doc.iter("script"):
        add("js", script.get("src"), page)
    while stylesheets:  # fonts and imported sheets of the loaded CSS
        sheet = stylesheets.pop()
        if not sheet.exists():
            continue
        text = sheet.read_text(encoding="utf-8", errors="replace")
        for found in CSS_IMPORT.finditer(text):
            path = add("css", found["url"], sheet)
            if path is not None:
                stylesheets.append(path)
        for found in CSS_URL.finditer(text):
            url = found["url"]
            if urlsplit(url).path.lower().endswith(FONT_SUFFIXES):
                add("font", url, sheet)
    files = []
    for kind, path in wanted:
        if not path.exists():
            raise BenchError(f"{page.name} loads {path}, which the build did not produce")
        data = path.read_bytes()
        files.append(
            {
                "kind": kind,
                "path": os.path.relpath(path, page.parent),
                "raw": len(data),
                "gzip": len(gzip.compress(data, compresslevel=9, mtime=0)),
            }
        )
    return {
        "files": files,
        "raw": sum(f["raw"] for f in files),
        "gzip": sum(f["gzip"] for f in files),
        "external": external,
    }


# ---------------------------------------------------------------- 6. time to text


def bare_text_page(tei_path: Path) -> str:
    """A bare static HTML page of the text: headings and paragraphs, nothing else."""
    root = etree.parse(str(tei_path)).getroot()
    text = root.find("tei:text", tei.NS)
    parts = []
    for el in text.iter(f"{{{tei.TEI_NS}}}head", f"{{{tei.TEI_NS}}}p"):
        words = " ".join("".join(t for t in _text_without_notes(el)).split())
        tag = "h2" if tei.local(el) == "head" else "p"
        ident = el.get(tei.XML_ID)
        id_attr = f' id="{html.escape(ident)}"' if ident else ""
        parts.append(f"<{tag}{id_attr}>{html.escape(words)}</{tag}>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>The Nucleus in America</title></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def _text_without_notes(el: etree._Element) -> Iterator[str]:
    """The text of ``el``, leaving out notes and readings (as the page shows it)."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and tei.local(child) not in {"note", "rdg"}:
            yield from _text_without_notes(child)
        if child.tail:
            yield child.tail


@contextlib.contextmanager
def http_server(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on a free localhost port; yield its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/", timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise BenchError("the local HTTP server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


INIT_SCRIPT = """
(() => {
  const target = %s;
  const state = { last: null };
  Object.defineProperty(window, "__bench", { value: state });
  const observer = new MutationObserver(() => {
    if (state.last === null && document.getElementById(target)) {
      state.last = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();
"""
FCP_SCRIPT = """
() => new Promise((resolve) => {
  const entry = performance.getEntriesByName("first-contentful-paint")[0];
  if (entry) { resolve(entry.startTime); return; }
  new PerformanceObserver((list) => {
    const found = list.getEntries().find((e) => e.name === "first-contentful-paint");
    if (found) resolve(found.startTime);
  }).observe({ type: "paint", buffered: true });
  setTimeout(() => resolve(null), 15000);
})
"""


def time_to_text(
    pages: dict[str, str], last_id: str, runs: int, warm_url: str | None = None
) -> dict[str, dict[str, list]]:
    """First contentful paint and last-paragraph time of each page, in ms, interleaved.

    Each load runs in a fresh browser context, so with an empty cache. With
    ``warm_url`` (a blank page of the same origin) the context first opens it,
    so that the renderer process is running and the timings start at the
    page's own navigation, not at the start of a process.
    """
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, list]] = {name: {"fcp_ms": [], "last_ms": []} for name in pages}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + QUIET_CHROMIUM_ARGS
        )
        try:
            for i in range(runs + 1):  # the first round warms the server and the browser
                for name, url in pages.items():
                    context = browser.new_context()
                    try:
                        page = context.new_page()
                        if warm_url:
                            page.goto(warm_url, wait_until="load", timeout=60_000)
                        page.add_init_script(INIT_SCRIPT % json.dumps(last_id))
                        page.goto(url, wait_until="load", timeout=60_000)
                        page.wait_for_function(
                            "() => window.__bench && window.__bench.last !== null",
                            timeout=60_000,
                        )
                        last = page.evaluate("() => window.__bench.last")
                        fcp = page.evaluate(FCP_SCRIPT)
                    finally:
                        context.close()
                    if fcp is None:
                        raise BenchError(f"{name}: Chromium reported no first contentful paint")
                    if i:
                        results[name]["fcp_ms"].append(fcp)
                        results[name]["last_ms"].append(last)
        finally:
            browser.close()
    return results


def browser_figures(
    inputs: Inputs, site: Path, work: Path, runs: int
) -> dict[str, dict[str, list]]:
    """Serve the built site, the CETEIcean page and a bare text page; time them."""
    served = work / "served"
    served.mkdir()
    shutil.copytree(site, served / "site")
    cetei = served / "ceteicean"
    cetei.mkdir()
    shutil.copyfile(CETEI_TEMPLATE, cetei / "index.html")
    shutil.copyfile(CETEI_JS, cetei / "CETEI.js")
    shutil.copyfile(inputs.files[1], cetei / "tei.xml")
    (served / "warm.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>-</title></head>'
        "<body></body></html>\n",
        encoding="utf-8",
    )
    (served / "bare").mkdir()
    (served / "bare" / "index.html").write_text(bare_text_page(inputs.files[1]), encoding="utf-8")
    with http_server(served) as url:
        pages = {
            "reading page": f"{url}/site/{READING_PAGE}",
            "CETEIcean": f"{url}/ceteicean/index.html",
            "bare static HTML": f"{url}/bare/index.html",
        }
        return time_to_text(pages, inputs.last_paragraph, runs, warm_url=f"{url}/warm.html")


# ---------------------------------------------------------------- report


@dataclass
class Row:
    """One line of the table."""

    figure: str
    measured: str
    budget: str = "-"
    ok: bool | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        """PASS, MISS, or ``info`` for a figure without a budget."""
        if self.ok is None:
            return "info"
        return "PASS" if self.ok else "MISS"


def ms(seconds: float) -> str:
    """Seconds as milliseconds, for the table."""
    return f"{seconds * 1000:.1f} ms"


def per_section(times: dict[int, float], sections: dict[int, int]) -> tuple[float, float, float]:
    """Time per added section 1x to 10x and 10x to 100x, and their ratio."""
    low = (times[10] - times[1]) / (sections[10] - sections[1])
    high = (times[100] - times[10]) / (sections[100] - sections[10])
    return low, high, high / low if low > 0 else float("inf")


def figure_rows(
    inputs: Inputs,
    transform: dict[int, dict[str, list[float]]],
    builds: dict[int, BuildRuns] | None,
    weight: dict[str, Any] | None,
    bare_weight: dict[str, Any] | None,
    browser: dict[str, dict[str, list]] | None,
) -> list[Row]:
    """Turn the runs into the table's rows."""
    rows = []
    t_med = {f: median(r["transform_s"]) for f, r in transform.items()}
    p_med = {f: median(r["parse_s"]) for f, r in transform.items()}
    t_cpu = {f: median(r["transform_cpu_s"]) for f, r in transform.items()}
    p_cpu = {f: median(r["parse_cpu_s"]) for f, r in transform.items()}
    for factor, label in ((1, "memo"), (100, "100x")):
        ratio = t_med[factor] / p_med[factor]
        cpu_ratio = t_cpu[factor] / p_cpu[factor] if p_cpu[factor] > 0 else float("inf")
        budget = BUDGETS["transform_100x"] if factor == 100 else None
        rows.append(
            Row(
                f"1. Transform TEI→MyST, {label} (vs lxml parse)",
                f"{ms(t_med[factor])} vs {ms(p_med[factor])} = {ratio:.1f}x (CPU {cpu_ratio:.1f}x)",
                f"≤ {budget:g}x" if budget else "-",
                ratio <= budget if budget else None,
                {
                    "transform_s": t_med[factor],
                    "parse_s": p_med[factor],
                    "ratio": ratio,
                    "transform_cpu_s": t_cpu[factor],
                    "parse_cpu_s": p_cpu[factor],
                    "cpu_ratio": cpu_ratio,
                },
            )
        )
    if builds is not None:
        for factor, label in ((1, "memo"), (100, "100x")):
            runs = builds[factor]
            if not runs.bare_s:
                continue
            cold, bare = median(runs.cold_s), median(runs.bare_s)
            ratio = cold / bare
            cpu_ratio = median(runs.cold_cpu_s) / median(runs.bare_cpu_s)
            rows.append(
                Row(
                    f"2. Build overhead, {label}: make html vs bare sphinx-build",
                    f"{cold:.2f} s vs {bare:.2f} s = {ratio:.2f}x (CPU {cpu_ratio:.2f}x)",
                    f"≤ {BUDGETS['build_overhead']:g}x",
                    ratio <= BUDGETS["build_overhead"],
                    {
                        "make_html_s": cold,
                        "bare_s": bare,
                        "ratio": ratio,
                        "make_html_cpu_s": median(runs.cold_cpu_s),
                        "bare_cpu_s": median(runs.bare_cpu_s),
                        "cpu_ratio": cpu_ratio,
                    },
                )
            )
        for factor, label in ((1, "memo"), (100, "100x")):
            runs = builds[factor]
            cold, again = median(runs.cold_s), median(runs.nochange_s)
            worst = max(r["reread"] for r in runs.nochange_reread)
            ratio = again / cold
            cpu_ratio = median(runs.nochange_cpu_s) / median(runs.cold_cpu_s)
            reasons = sorted({r["reason"] for r in runs.nochange_reread if r["reason"]})
            ok = worst == 0 and (ratio <= BUDGETS["rebuild_100x"] if factor == 100 else True)
            budget = "0 pages re-read" + (
                f", ≤ {BUDGETS['rebuild_100x']:g}x cold" if factor == 100 else ""
            )
            rows.append(
                Row(
                    f"3. No-change rebuild, {label}",
                    f"{worst} re-read; {again:.2f} s vs cold {cold:.2f} s = {ratio:.2f}x "
                    f"(CPU {cpu_ratio:.2f}x)" + (f" [{', '.join(reasons)}]" if reasons else ""),
                    budget,
                    ok,
                    {
                        "reread_max": worst,
                        "rebuild_s": again,
                        "cold_s": cold,
                        "ratio": ratio,
                        "cpu_ratio": cpu_ratio,
                        "sphinx_reports": runs.nochange_reread,
                    },
                )
            )
    low, high, ratio = per_section(t_med, inputs.sections)
    cpu_ratio = per_section(t_cpu, inputs.sections)[2]
    rows.append(
        Row(
            "4. Scaling, transform: per added section 10→100x vs 1→10x",
            f"{ms(high)} vs {ms(low)} = {ratio:.2f}x (CPU {cpu_ratio:.2f}x)",
            f"≤ {BUDGETS['scaling']:g}x",
            ratio <= BUDGETS["scaling"],
            {
                "per_section_1_10_s": low,
                "per_section_10_100_s": high,
                "ratio": ratio,
                "median_s": t_med,
                "median_cpu_s": t_cpu,
                "cpu_ratio": cpu_ratio,
            },
        )
    )
    if builds is not None:
        b_med = {f: median(builds[f].cold_s) for f in FACTORS}
        low, high, ratio = per_section(b_med, inputs.sections)
        c_med = {f: median(builds[f].cold_cpu_s) for f in FACTORS}
        cpu_ratio = per_section(c_med, inputs.sections)[2]
        rows.append(
            Row(
                "4. Scaling, build: per added section 10→100x vs 1→10x",
                f"{ms(high)} vs {ms(low)} = {ratio:.2f}x (CPU {cpu_ratio:.2f}x)",
                f"≤ {BUDGETS['scaling']:g}x",
                ratio <= BUDGETS["scaling"],
                {
                    "per_section_1_10_s": low,
                    "per_section_10_100_s": high,
                    "ratio": ratio,
                    "median_s": b_med,
                    "median_cpu_s": c_med,
                    "cpu_ratio": cpu_ratio,
                },
            )
        )
    if weight is not None:
        gz = weight["gzip"] / KB
        rows.append(
            Row(
                "5. Page weight, reading page (HTML+CSS+JS+fonts)",
                f"{weight['raw'] / KB:.1f} kB raw, {gz:.1f} kB gzip ({len(weight['files'])} files)",
                f"≤ {BUDGETS['page_weight_gzip_kb']:g} kB gzip",
                gz <= BUDGETS["page_weight_gzip_kb"],
                weight,
            )
        )
    if bare_weight is not None:
        rows.append(
            Row(
                "5. Page weight, bare Sphinx page (reference)",
                f"{bare_weight['raw'] / KB:.1f} kB raw, {bare_weight['gzip'] / KB:.1f} kB gzip "
                f"({len(bare_weight['files'])} files)",
                values=bare_weight,
            )
        )
    if browser is not None:
        med = {
            name: {k: median(v) for k, v in figures.items()} for name, figures in browser.items()
        }
        base = med["CETEIcean"]
        for name in ("reading page", "CETEIcean", "bare static HTML"):
            m = med[name]
            fcp_ratio = m["fcp_ms"] / base["fcp_ms"]
            last_ratio = m["last_ms"] / base["last_ms"]
            is_page = name == "reading page"
            rows.append(
                Row(
                    f"6. Time to text, {name}" + ("" if is_page else " (reference)"),
                    f"FCP {m['fcp_ms']:.0f} ms ({fcp_ratio:.2f}x), last ¶ {m['last_ms']:.0f} ms "
                    f"({last_ratio:.2f}x)",
                    f"FCP ≤ {BUDGETS['fcp_vs_ceteicean']:g}x CETEIcean" if is_page else "-",
                    fcp_ratio <= BUDGETS["fcp_vs_ceteicean"] if is_page else None,
                    {**m, "fcp_ratio": fcp_ratio, "last_ratio": last_ratio, "runs": browser[name]},
                )
            )
    return rows


def table(rows: list[Row]) -> str:
    """The rows as an aligned plain-text table."""
    head = ("Figure", "Measured", "Budget", "Result")
    cells = [head] + [(r.figure, r.measured, r.budget, r.verdict) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = []
    for n, cell in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def sphinx_version() -> str:
    """The Sphinx version the builds ran with."""
    import sphinx

    return sphinx.__version__


# ---------------------------------------------------------------- main


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Run every figure; return the results document."""
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    log(f"work folder {work}; load average {load_before:.2f} on {os.cpu_count()} CPUs")
    inputs = prepare_inputs(args.tei, work)
    log(f"sections: {inputs.sections}; last paragraph #{inputs.last_paragraph}")
    transform = {}
    for factor in FACTORS:
        runs = args.transform_runs if factor < FACTORS[-1] else min(args.transform_runs, 5)
        transform[factor] = time_transform(inputs.files[factor], runs, work)
        log(
            f"transform {factor}x: median {ms(median(transform[factor]['transform_s']))}, "
            f"parse {ms(median(transform[factor]['parse_s']))}"
        )
    builds = weight = bare_weight = browser = None
    if not args.skip_builds:
        builds, kept = time_builds(inputs, work, args.runs, args.big_runs, bare_factors=(1, 100))
        weight = page_weight(kept[1] / "html" / READING_PAGE)
        bare_weight = page_weight(work / "bare-1x" / "html" / READING_PAGE)
        if not args.skip_browser:
            log("time to text in headless Chromium")
            browser = browser_figures(inputs, kept[1] / "html", work, args.browser_runs)
    rows = figure_rows(inputs, transform, builds, weight, bare_weight, browser)
    return {
        "meta": {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "tei": str(args.tei),
            "python": platform.python_version(),
            "sphinx": sphinx_version(),
            "machine": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": {"start": load_before, "end": os.getloadavg()[0]},
            "runs": {
                "small_builds": args.runs,
                "big_builds": args.big_runs,
                "transform": args.transform_runs,
                "browser": args.browser_runs,
            },
            "sections": inputs.sections,
            "last_paragraph": inputs.last_paragraph,
            "budgets": BUDGETS,
            "kB": KB,
            "bench_seconds": round(time.perf_counter() - started, 1),
        },
        "figures": [
            {
                "figure": r.figure,
                "measured": r.measured,
                "budget": r.budget,
                "result": r.verdict,
                "values": r.values,
            }
            for r in rows
        ],
        "raw": {
            "transform": {str(f): v for f, v in transform.items()},
            "builds": {str(f): vars(b) for f, b in (builds or {}).items()},
        },
        "_rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the bench, print the table, write the JSON; 1 if the bench itself failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tei", type=Path, default=ROOT / "tei" / "nucleus.xml")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.json")
    parser.add_argument("--runs", type=int, default=5, help="builds of the memo and 10x file")
    parser.add_argument("--big-runs", type=int, default=3, help="builds of the 100x file")
    parser.add_argument(
        "--transform-runs", type=int, default=11, help="at most 5 of them on the 100x file"
    )
    parser.add_argument("--browser-runs", type=int, default=11)
    parser.add_argument("--skip-builds", action="store_true", help="figures 1 and 4 only")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    args.tei = args.tei.resolve()
    work = Path(tempfile.mkdtemp(prefix="edition-bench-"))
    try:
        results = run(args, work)
    except Exception:  # any failure is reported, with its traceback
        traceback.print_exc()
        print(f"bench failed; work folder kept at {work}", file=sys.stderr)
        return 1
    rows: list[Row] = results.pop("_rows")
    print(table(rows))
    load = results["meta"]["load_average"]
    cpus = results["meta"]["cpus"] or 1
    counts = [f"{args.transform_runs} transforms ({min(args.transform_runs, 5)} of the 100x file)"]
    if not args.skip_builds:
        counts.append(f"{args.runs} builds ({args.big_runs} of the 100x file)")
        if not args.skip_browser:
            counts.append(f"{args.browser_runs} page loads")
    busy = (
        " (busy machine: times are noisy, see the CPU ratios)" if max(load.values()) > cpus else ""
    )
    print(
        f"\nMedians of {', '.join(counts)}; "
        f"load average {load['start']:.1f} → {load['end']:.1f} on {cpus} CPUs{busy}"
    )
    missed = [r.figure for r in rows if r.ok is False]
    print(f"\n{len(missed)} budget(s) missed" + (": " + "; ".join(missed) if missed else ""))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"results written to {os.path.relpath(args.out, Path.cwd())}")
    if args.keep:
        print(f"work folder kept at {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

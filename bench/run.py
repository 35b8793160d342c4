"""``make bench``: measure every figure, print the table, write ``bench/results.json``.

Exit status: 0 when the bench ran (even if a budget is missed: it is a
report), 1 if a step failed. See ``bench/README.md`` for the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from bench import browser, weight
from bench.figures import Measurements, figure_rows, load_figures, markdown_table, median, ms, table
from bench.inputs import FACTORS, prepare_inputs
from bench.measure import log, profile_transform, published_size, time_builds, time_transform
from edition import render

ROOT = Path(__file__).resolve().parent.parent
READING_PAGE = f"{render.GENERATED_DIR}/{render.READING}.html"


def sphinx_version() -> str:
    """The Sphinx version the builds ran with."""
    import sphinx

    return sphinx.__version__


def _plain(value: Any) -> Any:
    """Dataclasses and sets as JSON can hold them."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return sorted(value)
    return value


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Run every figure; return the results document (rows under ``_rows``)."""
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
    profile = profile_transform(inputs.files[FACTORS[-1]], work)
    measured = Measurements(sections=inputs.sections, transform=transform)
    if not args.skip_builds:
        sizes: dict[str, Any] = {}

        def after_cold(factor: int, builddir: Path) -> None:
            if factor == FACTORS[-1]:
                sizes.update(published_size(builddir / "source"))

        builds, kept = time_builds(inputs, work, args.runs, args.big_runs, after_cold=after_cold)
        measured.builds = builds
        measured.dts = sizes
        measured.weight = weight.page_weight(kept[1] / "html" / READING_PAGE)
        measured.bare_weight = weight.page_weight(work / "bare-1x" / "html" / READING_PAGE)
        if not args.skip_browser:
            log("time to text in headless Chromium")
            measured.browser = browser.browser_figures(
                inputs.files[1],
                inputs.last_paragraph,
                kept[1] / "html",
                READING_PAGE,
                work,
                args.browser_runs,
            )
    rows = figure_rows(measured, load_figures())
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
            "edited_paragraph": inputs.edit_paragraph,
            "bench_seconds": round(time.perf_counter() - started, 1),
        },
        "figures": [
            {
                "id": r.figure.id,
                "figure": r.figure.title,
                "measured": r.measured,
                "budget": r.figure.budget,
                "result": r.verdict,
                "values": _plain(r.values),
            }
            for r in rows
        ],
        "raw": _plain({"transform": transform, "builds": measured.builds or {}}),
        "profile_transform_100x": profile,
        "_rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the bench, print the table, write the JSON; 1 if the bench itself failed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--tei", type=Path, default=ROOT / "tei" / "nucleus.xml")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--runs", type=int, default=5, help="builds of the memo and 10x file")
    parser.add_argument("--big-runs", type=int, default=3, help="builds of the 100x file")
    parser.add_argument(
        "--transform-runs", type=int, default=11, help="at most 5 of them on the 100x file"
    )
    parser.add_argument("--browser-runs", type=int, default=11)
    parser.add_argument("--skip-builds", action="store_true", help="the transform figures only")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
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
    rows = results.pop("_rows")
    print(table(rows))
    if args.markdown:
        print("\n" + markdown_table(rows))
    meta = results["meta"]
    load, cpus = meta["load_average"], meta["cpus"] or 1
    busy = " (busy machine: times are noisy)" if max(load.values()) > cpus else ""
    print(
        f"\nMedians; load average {load['start']:.1f} → {load['end']:.1f} on {cpus} CPUs{busy}; "
        f"bench took {meta['bench_seconds']:.0f} s"
    )
    missed = [r.figure.title for r in rows if r.ok is False]
    print(f"\n{len(missed)} budget(s) missed" + (": " + "; ".join(missed) if missed else ""))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"results written to {os.path.relpath(args.out, Path.cwd())}")
    if args.keep:
        print(f"work folder kept at {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0

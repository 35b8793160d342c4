"""From measured runs to the table: the figures' logic, apart from any timing.

Everything here is a pure function of numbers and text (Sphinx's output, the
runs' times), so it is tested on tiny made-up inputs (``tests/test_bench.py``);
what each figure is, and its budget, is data (``bench/figures.toml``).
"""

from __future__ import annotations

import re
import statistics
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIGURES_FILE = Path(__file__).resolve().parent / "figures.toml"
KB = 1000  # sizes are given in kB of 1000 bytes and MB of 1000 kB
MB = 1000 * KB
# Sphinx 9 prints e.g. "updating environment: [new config] 9 added, 0 changed, 0 removed"
# and then one "reading sources... [ 50%] edition/memo" line per page it reads.
UPDATING = re.compile(
    r"updating environment: (?:\[(?P<why>[^\]]*)\] )?"
    r"(?P<added>\d+) added, (?P<changed>\d+) changed, (?P<removed>\d+) removed"
)
READING = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (?P<doc>\S+)")
SPHINX_RAN = "Running Sphinx"


@dataclass(frozen=True)
class Figure:
    """One figure of the table, as ``figures.toml`` defines it."""

    id: str
    title: str
    unit: str
    budget: float | None = None
    reread: int | None = None


def load_figures(path: Path = FIGURES_FILE) -> dict[str, Figure]:
    """The figures and budgets, by id, in the order of the file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        key: Figure(
            key,
            str(entry["title"]),
            str(entry.get("unit", "x")),
            float(entry["budget"]) if "budget" in entry else None,
            int(entry["reread"]) if "reread" in entry else None,
        )
        for key, entry in data.items()
    }


def median(values: list[float]) -> float:
    """The median of the runs."""
    return statistics.median(values)


def ratio(a: float, b: float) -> float:
    """``a / b``, infinite when ``b`` is not positive (a floor too small to measure)."""
    return a / b if b > 0 else float("inf")


# ---------------------------------------------------------------- Sphinx's own report


@dataclass(frozen=True)
class Reread:
    """What one build's Sphinx run re-read, from its own output."""

    ran: bool
    added: int = 0
    changed: int = 0
    removed: int = 0
    reason: str = ""
    docs: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """Pages read again: added plus changed (0 when Sphinx did not run at all)."""
        return self.added + self.changed


def sphinx_reread(output: str) -> Reread:
    """Parse Sphinx's "updating environment" line and the pages it then read.

    A build in which ``make`` found nothing to do has no such line and
    re-reads nothing; a Sphinx run without it is an error (the format changed).
    """
    found = UPDATING.search(output)
    if found is None:
        if SPHINX_RAN in output:
            raise ValueError("Sphinx ran but printed no 'updating environment' line")
        return Reread(ran=False)
    return Reread(
        ran=True,
        added=int(found["added"]),
        changed=int(found["changed"]),
        removed=int(found["removed"]),
        reason=found["why"] or "",
        docs=tuple(m["doc"] for m in READING.finditer(output)),
    )


def pages_showing(pages: dict[str, str], xml_id: str) -> set[str]:
    """Docnames of the MyST pages (``{path.md: text}``) that carry the element ``xml_id``."""
    mark = re.compile(rf"#{re.escape(xml_id)}(?![\w.-])")
    return {path.removesuffix(".md") for path, text in pages.items() if mark.search(text)}


def per_section(times: dict[int, float], sections: dict[int, int]) -> tuple[float, float, float]:
    """Time per added section from 1x to 10x and from 10x to 100x, and their ratio."""
    low = (times[10] - times[1]) / (sections[10] - sections[1])
    high = (times[100] - times[10]) / (sections[100] - sections[10])
    return low, high, ratio(high, low)


# ---------------------------------------------------------------- measurements


@dataclass
class BuildRuns:
    """Timings of the builds of one TEI file (seconds; CPU = user + system of all processes)."""

    cold_s: list[float] = field(default_factory=list)
    cold_cpu_s: list[float] = field(default_factory=list)
    nochange_s: list[float] = field(default_factory=list)
    nochange_cpu_s: list[float] = field(default_factory=list)
    nochange_reread: list[Reread] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)
    bare_cpu_s: list[float] = field(default_factory=list)
    edit_s: list[float] = field(default_factory=list)
    edit_reread: list[Reread] = field(default_factory=list)
    # Docnames of the pages that show the edited paragraph, per edit.
    edit_showing: list[set[str]] = field(default_factory=list)


@dataclass
class Measurements:
    """Everything one bench measured; figures missing from a run are ``None``."""

    sections: dict[int, int]
    transform: dict[int, dict[str, list[float]]]
    builds: dict[int, BuildRuns] | None = None
    dts: dict[str, Any] | None = None
    weight: dict[str, Any] | None = None
    bare_weight: dict[str, Any] | None = None
    browser: dict[str, dict[str, list[float]]] | None = None


@dataclass
class Row:
    """One line of the table."""

    figure: Figure
    measured: str
    ok: bool | None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        """PASS, MISS, or ``info`` for a figure without a budget."""
        if self.ok is None:
            return "info"
        return "PASS" if self.ok else "MISS"

    @property
    def budget(self) -> str:
        """The budget as the table prints it."""
        f = self.figure
        if f.budget is None:
            return "-"
        unit = {"x": "x", "MB": " MB", "kB": " kB gzip"}.get(f.unit, f" {f.unit}")
        text = f"≤ {f.budget:g}{unit}"
        if f.reread is not None:
            text += f", {f.reread} re-read"
        return text


def judge(
    figure: Figure, value: float, reread: int | None = None, also: bool = True
) -> bool | None:
    """Whether ``value`` and the pages re-read keep the budget; ``None`` if there is none."""
    if figure.budget is None:
        return None
    ok = value <= figure.budget and also
    if figure.reread is not None and reread is not None:
        ok = ok and reread <= figure.reread
    return ok


def ms(seconds: float) -> str:
    """Seconds as milliseconds, for the table."""
    return f"{seconds * 1000:.1f} ms"


def _transform_rows(m: Measurements, figures: dict[str, Figure]) -> list[Row]:
    rows = []
    for factor, key in ((1, "transform_memo"), (100, "transform_100x")):
        runs = m.transform[factor]
        t, p = median(runs["transform_s"]), median(runs["parse_s"])
        value = ratio(t, p)
        cpu = ratio(median(runs["transform_cpu_s"]), median(runs["parse_cpu_s"]))
        steps = {
            k.removeprefix("step_"): median(v) for k, v in runs.items() if k.startswith("step_")
        }
        detail = ", ".join(f"{k} {ms(v)}" for k, v in steps.items())
        rows.append(
            Row(
                figures[key],
                f"{ms(t)} vs {ms(p)} = {value:.1f}x (CPU {cpu:.1f}x)"
                + (f" [{detail}]" if detail else ""),
                judge(figures[key], value),
                {
                    "transform_s": t,
                    "parse_s": p,
                    "ratio": value,
                    "cpu_ratio": cpu,
                    "steps_s": steps,
                },
            )
        )
    return rows


def _build_rows(builds: dict[int, BuildRuns], figures: dict[str, Figure]) -> list[Row]:
    rows = []
    for factor, label in ((1, "memo"), (100, "100x")):
        runs = builds[factor]
        if not runs.bare_s:
            continue
        cold, bare = median(runs.cold_s), median(runs.bare_s)
        value = ratio(cold, bare)
        cpu = ratio(median(runs.cold_cpu_s), median(runs.bare_cpu_s))
        rows.append(
            Row(
                figures[f"cold_{label}"],
                f"{cold:.2f} s vs {bare:.2f} s = {value:.2f}x (CPU {cpu:.2f}x)",
                judge(figures[f"cold_{label}"], value),
                {"make_html_s": cold, "bare_s": bare, "ratio": value, "cpu_ratio": cpu},
            )
        )
    for factor, label in ((1, "memo"), (100, "100x")):
        runs = builds[factor]
        cold, again = median(runs.cold_s), median(runs.nochange_s)
        worst = max((r.count for r in runs.nochange_reread), default=0)
        value = ratio(again, cold)
        reasons = sorted({r.reason for r in runs.nochange_reread if r.reason})
        ran = sum(r.ran for r in runs.nochange_reread)
        rows.append(
            Row(
                figures[f"nochange_{label}"],
                f"{again:.2f} s vs cold {cold:.2f} s = {value:.2f}x; {worst} re-read; "
                f"Sphinx ran in {ran} of {len(runs.nochange_reread)}"
                + (f" [{', '.join(reasons)}]" if reasons else ""),
                judge(figures[f"nochange_{label}"], value, worst),
                {"rebuild_s": again, "cold_s": cold, "ratio": value, "reread_max": worst},
            )
        )
    runs = builds[100]
    if runs.edit_s:
        cold, edit = median(runs.cold_s), median(runs.edit_s)
        value = ratio(edit, cold)
        extra = sorted(
            {
                d
                for r, shown in zip(runs.edit_reread, runs.edit_showing, strict=True)
                for d in r.docs
                if d not in shown
            }
        )
        read = sorted({d for r in runs.edit_reread for d in r.docs})
        rows.append(
            Row(
                figures["edit_100x"],
                f"{edit:.2f} s vs cold {cold:.2f} s = {value:.2f}x; "
                f"re-read {', '.join(read) or '-'}"
                + (f" (not showing it: {', '.join(extra)})" if extra else ""),
                judge(figures["edit_100x"], value, also=not extra),
                {"edit_s": edit, "cold_s": cold, "ratio": value, "reread": read, "extra": extra},
            )
        )
    return rows


def _scaling_rows(m: Measurements, figures: dict[str, Figure]) -> list[Row]:
    series = {"scaling_transform": {f: median(r["transform_s"]) for f, r in m.transform.items()}}
    cpu: dict[str, dict[int, float]] = {}
    if m.builds is not None:
        series["scaling_build"] = {f: median(b.cold_s) for f, b in m.builds.items()}
        cpu["scaling_build"] = {f: median(b.cold_cpu_s) for f, b in m.builds.items()}
        # The reference: how bare Sphinx itself scales on the same pages (all three sizes).
        if all(b.bare_s for b in m.builds.values()) and "scaling_bare" in figures:
            series["scaling_bare"] = {f: median(b.bare_s) for f, b in m.builds.items()}
            cpu["scaling_bare"] = {f: median(b.bare_cpu_s) for f, b in m.builds.items()}
    rows = []
    for key, times in series.items():
        low, high, value = per_section(times, m.sections)
        measured = f"{ms(high)} vs {ms(low)} per section = {value:.2f}x"
        values = {"per_section_1_10_s": low, "per_section_10_100_s": high, "ratio": value}
        if key in cpu and all(cpu[key].values()):
            _, _, cpu_value = per_section(cpu[key], m.sections)
            measured += f" (CPU {cpu_value:.2f}x)"
            values["cpu_ratio"] = cpu_value
        rows.append(Row(figures[key], measured, judge(figures[key], value), values))
    return rows


def _weight_row(figure: Figure, weight: dict[str, Any]) -> Row:
    counted = [f for f in weight["files"] if f["kind"] in {"html", "css", "js"}]
    gz = sum(f["gzip"] for f in counted) / KB
    raw = sum(f["raw"] for f in counted) / KB
    fonts = [f for f in weight["files"] if f["kind"] == "font"]
    note = f"; fonts {sum(f['gzip'] for f in fonts) / KB:.1f} kB not counted" if fonts else ""
    return Row(
        figure,
        f"{gz:.1f} kB gzip, {raw:.1f} kB raw ({len(counted)} files{note})",
        judge(figure, gz),
        {"gzip_kb": gz, "raw_kb": raw, **weight},
    )


def _browser_rows(
    browser: dict[str, dict[str, list[float]]], figures: dict[str, Figure]
) -> list[Row]:
    med = {name: {k: median(v) for k, v in runs.items()} for name, runs in browser.items()}
    base = med["CETEIcean"]
    rows = []
    for name, key in (
        ("reading page", "fcp_reading"),
        ("CETEIcean", "fcp_ceteicean"),
        ("bare static HTML", "fcp_bare"),
    ):
        got = med[name]
        fcp = ratio(got["fcp_ms"], base["fcp_ms"])
        last = ratio(got["last_ms"], base["last_ms"])
        rows.append(
            Row(
                figures[key],
                f"FCP {got['fcp_ms']:.0f} ms ({fcp:.2f}x), last ¶ {got['last_ms']:.0f} ms "
                f"({last:.2f}x)",
                judge(figures[key], fcp),
                {**got, "fcp_ratio": fcp, "last_ratio": last},
            )
        )
    return rows


def _size_rows(sizes: dict[str, int], figures: dict[str, Figure]) -> list[Row]:
    """Figure 6: the DTS files alone (the issue's "DTS output"), and the downloads beside them."""
    rows = []
    parts = (
        ("dts_size_100x", sizes["dts_bytes"], sizes["dts_files"]),
        (
            "downloads_size_100x",
            sizes["bytes"] - sizes["dts_bytes"],
            sizes["files"] - sizes["dts_files"],
        ),
    )
    for name, size, files in parts:
        mb = size / MB
        rows.append(
            Row(
                figures[name],
                f"{mb:.1f} MB in {files} files",
                judge(figures[name], mb),
                {"mb": mb, "bytes": size, "files": files},
            )
        )
    return rows


def figure_rows(m: Measurements, figures: dict[str, Figure] | None = None) -> list[Row]:
    """Every figure the measurements allow, in the table's order."""
    figures = figures or load_figures()
    rows = _transform_rows(m, figures)
    if m.builds is not None:
        rows += _build_rows(m.builds, figures)
    rows += _scaling_rows(m, figures)
    if m.dts is not None:
        rows += _size_rows(m.dts, figures)
    if m.weight is not None:
        rows.append(_weight_row(figures["page_weight"], m.weight))
    if m.bare_weight is not None:
        rows.append(_weight_row(figures["page_weight_bare"], m.bare_weight))
    if m.browser is not None:
        rows += _browser_rows(m.browser, figures)
    return rows


def table(rows: list[Row]) -> str:
    """The rows as an aligned plain-text table."""
    head = ("Figure", "Measured", "Budget", "Result")
    cells = [head] + [(r.figure.title, r.measured, r.budget, r.verdict) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = []
    for n, cell in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    """The rows as a Markdown table (for notes and pull requests)."""
    lines = ["| figure | measured | budget | result |", "| --- | --- | --- | --- |"]
    lines += [f"| {r.figure.title} | {r.measured} | {r.budget} | {r.verdict} |" for r in rows]
    return "\n".join(lines)

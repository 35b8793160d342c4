"""The benchmark's own logic on tiny inputs: budgets, Sphinx's report, the edit, the weight.

Nothing here is timed: performance is measured by ``make bench``, and these
tests check that what it prints follows from what it measured.
"""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

import pytest
from conftest import TEI_FILE
from lxml import etree

from bench import figures, inputs, weight
from bench.figures import BuildRuns, Figure, Measurements, Reread
from bench.serve import http_server
from edition import tei

SPHINX_OUTPUT = """\
Running Sphinx v9.0.4
loading pickled environment... done
updating environment: 0 added, 2 changed, 0 removed
reading sources... [ 50%] downloads
reading sources... [100%] edition/memo
build succeeded.
"""


def transform(t: float, p: float) -> dict[str, list[float]]:
    return {"transform_s": [t], "parse_s": [p], "transform_cpu_s": [t], "parse_cpu_s": [p]}


def measurements() -> Measurements:
    """Transforms of 1x, 10x and 100x files that cost 10x their parse; no builds."""
    return Measurements(
        sections={1: 10, 10: 100, 100: 1000},
        transform={1: transform(0.1, 0.01), 10: transform(1.0, 0.1), 100: transform(10.0, 1.0)},
    )


def row(rows: list[figures.Row], key: str) -> figures.Row:
    [found] = [r for r in rows if r.figure.id == key]
    return found


# ---------------------------------------------------------------- budgets as data


def test_every_budget_of_the_issue_is_in_the_data():
    budgets = {k: f.budget for k, f in figures.load_figures().items() if f.budget is not None}
    assert budgets == {
        "transform_100x": 25.0,
        "cold_memo": 1.15,
        "cold_100x": 1.15,
        "nochange_memo": 0.5,
        "nochange_100x": 0.15,
        "edit_100x": 0.35,
        "scaling_transform": 1.2,
        "scaling_build": 1.2,
        "dts_size_100x": 15.0,
        "page_weight": 30.0,
        "fcp_reading": 0.6,
    }
    assert figures.load_figures()["nochange_100x"].reread == 0


def test_a_figure_without_a_budget_is_information_only():
    info = Figure("x", "X", "x")
    assert figures.judge(info, 1e9) is None
    assert figures.Row(info, "-", None).verdict == "info"


def test_judge_keeps_the_budget_inclusive_and_counts_pages_re_read():
    fig = Figure("x", "X", "x", budget=0.5, reread=0)
    assert figures.judge(fig, 0.5, reread=0) is True
    assert figures.judge(fig, 0.51, reread=0) is False
    assert figures.judge(fig, 0.1, reread=1) is False
    assert figures.judge(fig, 0.1, also=False) is False


# ---------------------------------------------------------------- Sphinx's report


def test_sphinx_reread_names_the_pages_read():
    got = figures.sphinx_reread(SPHINX_OUTPUT)
    assert got == Reread(True, 0, 2, 0, "", ("downloads", "edition/memo"))
    assert got.count == 2


def test_sphinx_reread_reads_the_reason_sphinx_gives():
    got = figures.sphinx_reread("updating environment: [new config] 9 added, 0 changed, 0 removed")
    assert (got.reason, got.count) == ("new config", 9)


def test_a_build_make_skipped_re_read_nothing():
    assert figures.sphinx_reread("make: Nothing to be done for 'html'.\n") == Reread(False)


def test_a_sphinx_run_without_its_report_is_an_error():
    with pytest.raises(ValueError, match="updating environment"):
        figures.sphinx_reread("Running Sphinx v9.0.4\nbuild succeeded.\n")


def test_pages_showing_matches_whole_ids_only():
    pages = {
        "edition/memo.md": "text {#p-2}\n",
        "edition/notes.md": "[see](memo.md#p-2)\n",
        "edition/apparatus.md": "{#p-20} {#p-2x}\n",
    }
    assert figures.pages_showing(pages, "p-2") == {"edition/memo", "edition/notes"}


# ---------------------------------------------------------------- rows


def test_transform_ratio_and_scaling_from_medians():
    m = measurements()
    m.transform[100]["transform_s"] = [30.0, 20.0, 26.0]  # median 26 s vs a 1 s parse
    rows = figures.figure_rows(m)
    assert row(rows, "transform_100x").values["ratio"] == 26.0
    assert row(rows, "transform_100x").verdict == "MISS"
    assert row(rows, "transform_memo").verdict == "info"
    # 0.9 s per 90 sections, then 25 s per 900 sections: 2.78x
    scaling = row(rows, "scaling_transform")
    assert scaling.values["ratio"] == pytest.approx((25.0 / 900) / (0.9 / 90))
    assert scaling.verdict == "MISS"


def test_build_scaling_has_bare_sphinx_beside_it_and_a_cpu_ratio():
    """Whether a superlinear build is the edition's doing or Sphinx's own."""
    m = measurements()
    m.builds = {f: figures.BuildRuns() for f in (1, 10, 100)}
    for factor, (cold, bare) in {1: (2.0, 1.0), 10: (3.8, 1.9), 100: (39.8, 10.9)}.items():
        m.builds[factor].cold_s = [cold]
        m.builds[factor].cold_cpu_s = [cold / 2]
        m.builds[factor].bare_s = [bare]
        m.builds[factor].bare_cpu_s = [bare]
        m.builds[factor].nochange_s = [0.1]
        m.builds[factor].nochange_reread = [figures.Reread(ran=False)]
    m.builds[100].edit_s = [10.0]
    m.builds[100].edit_reread = [figures.Reread(ran=True, changed=1, docs=("edition/memo",))]
    m.builds[100].edit_showing = [{"edition/memo"}]
    rows = figures.figure_rows(m)
    build = row(rows, "scaling_build")
    assert build.values["ratio"] == pytest.approx((36.0 / 900) / (1.8 / 90))  # 2x: a miss
    assert build.values["cpu_ratio"] == pytest.approx(2.0)
    assert build.verdict == "MISS"
    bare = row(rows, "scaling_bare")
    assert bare.values["ratio"] == pytest.approx(1.0)
    assert bare.verdict == "info"
    assert "(CPU 1.00x)" in bare.measured


def test_per_section_is_linear_for_a_linear_cost():
    low, high, r = figures.per_section({1: 1.0, 10: 10.0, 100: 100.0}, {1: 1, 10: 10, 100: 100})
    assert (low, high, r) == (1.0, 1.0, 1.0)


def big(**fields: object) -> BuildRuns:
    base = BuildRuns(
        cold_s=[10.0],
        cold_cpu_s=[10.0],
        nochange_s=[1.0],
        nochange_cpu_s=[1.0],
        nochange_reread=[Reread(False)],
        bare_s=[9.0],
        bare_cpu_s=[9.0],
    )
    for key, value in fields.items():
        setattr(base, key, value)
    return base


def test_build_rows_judge_cold_and_no_change_builds():
    m = measurements()
    m.builds = {1: big(), 10: big(), 100: big()}
    rows = figures.figure_rows(m)
    assert row(rows, "cold_100x").values["ratio"] == pytest.approx(10 / 9)
    assert row(rows, "cold_100x").verdict == "PASS"  # 1.11x <= 1.15x
    assert row(rows, "nochange_memo").verdict == "PASS"  # 0.1x, nothing re-read
    assert row(rows, "nochange_100x").verdict == "PASS"


def test_a_no_change_build_that_re_reads_a_page_misses():
    m = measurements()
    m.builds = {1: big(nochange_reread=[Reread(True, 0, 1, 0, "", ("index",))]), 10: big()}
    m.builds[100] = big()
    assert row(figures.figure_rows(m), "nochange_memo").verdict == "MISS"


def test_the_edit_misses_when_a_page_not_showing_the_paragraph_is_re_read():
    edit = {
        "edit_s": [3.0],
        "edit_reread": [Reread(True, 0, 2, 0, "", ("downloads", "edition/memo"))],
        "edit_showing": [{"edition/memo"}],
    }
    m = measurements()
    m.builds = {1: big(), 10: big(), 100: big(**edit)}
    got = row(figures.figure_rows(m), "edit_100x")
    assert got.values["ratio"] == 0.3
    assert got.values["extra"] == ["downloads"]
    assert got.verdict == "MISS"
    edit["edit_showing"] = [{"edition/memo", "downloads"}]
    m.builds[100] = big(**edit)
    assert row(figures.figure_rows(m), "edit_100x").verdict == "PASS"


def test_dts_size_in_megabytes_of_a_million_bytes_without_the_downloads():
    m = measurements()
    m.dts = {"files": 5, "bytes": 19_000_001, "dts_files": 3, "dts_bytes": 15_000_001}
    got = row(figures.figure_rows(m), "dts_size_100x")
    assert got.verdict == "MISS" and got.measured.startswith("15.0 MB in 3 files")
    downloads = row(figures.figure_rows(m), "downloads_size_100x")
    assert downloads.verdict == "info" and downloads.measured.startswith("4.0 MB in 2 files")


def test_page_weight_counts_html_css_and_js_but_not_fonts():
    files = [
        {"kind": "html", "raw": 50_000, "gzip": 20_000},
        {"kind": "css", "raw": 20_000, "gzip": 5_000},
        {"kind": "js", "raw": 10_000, "gzip": 4_000},
        {"kind": "font", "raw": 90_000, "gzip": 90_000},
    ]
    m = measurements()
    m.weight = {"files": files, "raw": 170_000, "gzip": 119_000, "external": []}
    got = row(figures.figure_rows(m), "page_weight")
    assert got.values["gzip_kb"] == 29.0
    assert got.verdict == "PASS"
    assert "fonts 90.0 kB not counted" in got.measured


def test_first_paint_is_a_ratio_to_the_ceteicean_page():
    m = measurements()
    m.browser = {
        "reading page": {"fcp_ms": [100.0, 300.0, 200.0], "last_ms": [400.0]},
        "CETEIcean": {"fcp_ms": [400.0], "last_ms": [800.0]},
        "bare static HTML": {"fcp_ms": [50.0], "last_ms": [60.0]},
    }
    rows = figures.figure_rows(m)
    assert row(rows, "fcp_reading").values["fcp_ratio"] == 0.5
    assert row(rows, "fcp_reading").verdict == "PASS"
    assert row(rows, "fcp_ceteicean").verdict == "info"


def test_the_table_aligns_and_says_each_result():
    m = measurements()
    text = figures.table(figures.figure_rows(m))
    lines = text.splitlines()
    assert lines[0].startswith("Figure") and set(lines[1]) <= {"-", " "}
    assert any(line.endswith("PASS") for line in lines)
    assert "| figure |" in figures.markdown_table(figures.figure_rows(m))


# ---------------------------------------------------------------- inputs


TINY = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
<div xml:id="d1"><p xml:id="p1">One <hi>two</hi>.</p><p xml:id="p10">Ten.</p></div>
</body></text></TEI>
"""


def test_edit_paragraph_changes_that_paragraph_only():
    edited = inputs.edit_paragraph(TINY, "p1")
    assert edited.replace(b'"p1">Edited ', b'"p1">') == TINY
    root = etree.fromstring(edited)
    texts = ["".join(p.itertext()) for p in root.iter("{http://www.tei-c.org/ns/1.0}p")]
    assert texts == ["Edited One two.", "Ten."]


@pytest.mark.parametrize("ident", ["p2", "d1"])
def test_edit_paragraph_refuses_what_is_not_one_paragraph(ident):
    with pytest.raises(inputs.InputError):
        inputs.edit_paragraph(TINY, ident)


def test_the_memo_has_paragraphs_to_edit_and_sections_to_count():
    ids = inputs.body_paragraph_ids(TEI_FILE)
    assert ids and len(set(ids)) == len(ids)
    root = tei.parse(TEI_FILE).root
    assert inputs.count_sections(TEI_FILE) == len(root.findall(".//tei:body//tei:div", tei.NS))


# ---------------------------------------------------------------- weight, server


def test_page_weight_follows_stylesheets_imports_scripts_and_fonts(tmp_path: Path):
    (tmp_path / "s").mkdir()
    (tmp_path / "page.html").write_text(
        '<html><head><link rel="stylesheet" href="s/a.css"><script src="s/a.js"></script>'
        '<link rel="stylesheet" href="https://cdn.example/x.css"></head><body>x</body></html>',
        encoding="utf-8",
    )
    (tmp_path / "s" / "a.css").write_text(
        '@import "b.css"; body { font: 1em f; } @font-face { src: url(f.woff2) }', encoding="utf-8"
    )
    (tmp_path / "s" / "b.css").write_text("p { color: red }", encoding="utf-8")
    (tmp_path / "s" / "a.js").write_text("let a = 1;", encoding="utf-8")
    (tmp_path / "s" / "f.woff2").write_bytes(b"\0" * 100)
    got = weight.page_weight(tmp_path / "page.html")
    kinds = sorted((f["kind"], f["path"]) for f in got["files"])
    assert kinds == [
        ("css", "s/a.css"),
        ("css", "s/b.css"),
        ("font", "s/f.woff2"),
        ("html", "page.html"),
        ("js", "s/a.js"),
    ]
    assert got["external"] == ["https://cdn.example/x.css"]
    js = next(f for f in got["files"] if f["kind"] == "js")
    assert js["gzip"] == len(gzip.compress(b"let a = 1;", compresslevel=9, mtime=0))


def test_page_weight_fails_on_a_file_the_build_did_not_make(tmp_path: Path):
    (tmp_path / "page.html").write_text(
        '<html><head><script src="gone.js"></script></head></html>', encoding="utf-8"
    )
    with pytest.raises(weight.MissingFile, match=r"gone\.js"):
        weight.page_weight(tmp_path / "page.html")


def test_the_http_helper_serves_a_folder_on_loopback_and_stops(tmp_path: Path):
    (tmp_path / "a.txt").write_text("hello", encoding="utf-8")
    with http_server(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/a.txt", timeout=10) as response:
            assert response.read() == b"hello"
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/a.txt", timeout=2)

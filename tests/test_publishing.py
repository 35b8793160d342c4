"""Publishing: downloads, robots.txt, sitemap, 404 page, EPUB, and the hosting files.

The downloads are tested from :func:`edition.publish.extra_files` directly and in
the built site, where the pipeline writes them and the extension publishes
them at the site root.
"""

from __future__ import annotations

import json
import zipfile
from urllib.parse import urlsplit

import bibtexparser
import pytest
import yaml
from conftest import FIXTURES, ROOT, TEI_FILE, build_edition
from lxml import etree, html
from test_metadata import published_base
from words import tei_parts, words

from edition import publish, reader, tei
from edition.errors import EditionError
from edition.publish import downloads

BASE = "https://example.org/nucleus/"


@pytest.fixture(scope="module")
def doc() -> tei.Document:
    return tei.load(TEI_FILE)


@pytest.fixture(scope="module")
def files(doc) -> dict[str, bytes]:
    return publish.extra_files(doc, reader.read(doc), base=BASE)


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    """Whether ``needle`` occurs in ``haystack`` in order, other words allowed between."""
    it = iter(haystack)
    return all(word in it for word in needle)


def xml_models(root: etree._Element) -> list[str]:
    """The texts of the ``xml-model`` processing instructions before the root element."""
    return [
        pi.text
        for pi in root.itersiblings(preceding=True)
        if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model"
    ]


# ---------------------------------------------------------------- downloads


def test_the_tei_download_is_the_master_file_with_its_schema(files):
    raw = files["downloads/nucleus.xml"]
    assert raw == TEI_FILE.read_bytes()
    tree = etree.ElementTree(etree.fromstring(raw))
    [pi] = xml_models(tree.getroot())
    assert 'href="edition.rng"' in pi and "relaxng" in pi
    assert files["downloads/edition.rng"] == tei.DEFAULT_SCHEMA.read_bytes()
    assert etree.RelaxNG(etree.fromstring(files["downloads/edition.rng"])).validate(tree)


def test_a_tei_file_without_a_local_schema_instruction_gets_one(tmp_path):
    source = (FIXTURES / "tei" / "small-edition.xml").read_text(encoding="utf-8")
    path = tmp_path / "letter.xml"
    path.write_text(source, encoding="utf-8")
    raw, schema = downloads.tei_download(tei.parse(path))
    assert schema == "edition.rng"
    root = etree.fromstring(raw)
    hrefs = xml_models(root)
    assert any('href="edition.rng"' in h for h in hrefs)
    assert any("../../../tei/edition.rng" in h for h in hrefs)  # the file's own is kept
    assert raw.startswith(b"<?xml version")


def test_the_plain_text_is_the_base_text_with_numbers_and_notes_after(files):
    text = files["downloads/nucleus.txt"].decode("utf-8")
    memo, notes, colophon = tei_parts(TEI_FILE)
    body, _, after = text.partition("\nNotes\n")
    assert is_subsequence(memo + colophon, words(body))
    for note in notes:
        assert " ".join(note) in " ".join(words(after)), note
    lines = text.splitlines()
    assert "§ 1 The Formation of Nuclei in the Factories." in lines
    assert any(
        line.startswith("1.2 The nucleus should include *communists of all languages*")
        for line in lines
    )
    assert any(line.startswith("Pr.1 The advance guard") for line in lines)
    assert "Red Aid" not in body  # the Russian witness's readings are not the text
    assert "[Trade Union] Educational League" in body
    assert "f. 515, op. 1, d. 164: English translation, ll. 11-16" in lines[4]


def test_the_plain_text_keeps_italics_and_invents_no_heading(files):
    text = files["downloads/nucleus.txt"].decode("utf-8")
    lines = text.splitlines()
    # <term rend="italic">delo</term> in the first note; <emph> in the text.
    assert "*delo*" in text and "*listy*" in text
    assert "delo" not in text.replace("*delo*", "")
    # The preamble has no <head>: no heading line is made up for it.
    assert "Preamble" not in lines
    [first] = [i for i, line in enumerate(lines) if line.startswith("Pr.1 ")]
    assert lines[first - 1] == "" and not lines[first - 2].startswith("P")


def test_the_plain_text_keeps_a_no_break_space_and_names_files_from_the_idno(tmp_path):
    source = (FIXTURES / "tei" / "small-edition.xml").read_text(encoding="utf-8")
    lemma = '<lem wit="#wit-a">Kettles</lem>'
    assert lemma in source
    path = tmp_path / "some-file-name.xml"
    path.write_text(source.replace(lemma, lemma.replace("Kettles", "Kettles\u00a0A")), "utf-8")
    doc = tei.load(path)
    files = publish.extra_files(doc, reader.read(doc), base=BASE)
    text = files["downloads/small-edition.txt"].decode("utf-8")
    assert "\u00a0A" in text
    assert not any("some-file-name" in p for p in files)


def test_an_edition_without_an_identifier_is_a_located_error(tmp_path):
    source = (FIXTURES / "tei" / "small-edition.xml").read_text(encoding="utf-8")
    path = tmp_path / "letter.xml"
    path.write_text(
        source.replace('<idno type="edition">small-edition</idno>', ""), encoding="utf-8"
    )
    doc = tei.load(path)
    with pytest.raises(EditionError) as caught:
        publish.extra_files(doc, reader.read(doc), base=BASE)
    [problem] = caught.value.problems
    assert problem.file.endswith("letter.xml") and problem.line > 1
    assert '<idno type="edition">' in str(caught.value)


def test_the_citation_downloads(files, doc):
    library = bibtexparser.parse_string(files["downloads/nucleus.bib"].decode("utf-8"))
    assert not library.failed_blocks and len(library.entries) == 1
    ris = files["downloads/nucleus.ris"].decode("utf-8")
    assert ris.startswith("TY  - BOOK\r\n") and ris.endswith("ER  - \r\n")
    assert f"UR  - {BASE}edition/memo.html\r\n" in ris
    [item] = json.loads(files["downloads/nucleus.json"])
    assert item["type"] == "book" and item["URL"] == f"{BASE}edition/memo.html"


def test_robots_txt_points_to_the_sitemap(files):
    robots = files["robots.txt"].decode("ascii")
    assert "User-agent: *" in robots
    assert f"Sitemap: {BASE}sitemap.xml" in robots


def test_every_path_is_relative_and_safe(files):
    for path in files:
        assert not path.startswith("/") and ".." not in path.split("/"), path
        assert not any(part.startswith(".") for part in path.split("/")), path


# ---------------------------------------------------------------- the built site


@pytest.mark.slow
def test_the_built_site_publishes_downloads_and_robots(site):
    """Needs the pipeline to write extra_files and the extension to publish them."""
    assert (site / "downloads" / "nucleus.xml").read_bytes() == TEI_FILE.read_bytes()
    for name in ("edition.rng", "nucleus.txt", "nucleus.bib", "nucleus.ris", "nucleus.json"):
        assert (site / "downloads" / name).is_file(), name
    robots = (site / "robots.txt").read_text(encoding="ascii")
    assert f"Sitemap: {published_base(site)}sitemap.xml" in robots


@pytest.mark.slow
def test_the_sitemap_lists_every_page_at_its_published_url(site):
    tree = etree.parse(str(site / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in tree.iterfind("s:url/s:loc", ns)]
    base = published_base(site)
    assert all(u.startswith(base) for u in urls), urls
    listed = {u[len(base) :] for u in urls}
    assert {"index.html", "edition/memo.html", "edition/apparatus.html"} <= listed
    assert not listed & {"404.html", "search.html", "genindex.html"}
    assert all((site / page).is_file() for page in listed)


@pytest.mark.slow
def test_the_404_page_works_from_any_depth(site):
    """Its links are relative, from the site's root, and it finds the root itself.

    A host serves the page for a missing address at any depth; a small
    inline script makes the folder holding the site the page's base (tried in
    a browser: tests/test_reading_browser.py), so no base path is built in.
    """
    page = site / "404.html"
    doc = html.parse(str(page)).getroot()
    assert "Page not found" in doc.text_content()
    checked = 0
    for el in doc.iter("a", "link", "script"):
        value = el.get("src" if el.tag == "script" else "href")
        if not value or value.startswith("#") or urlsplit(value).scheme:
            continue
        assert not value.startswith("/"), f"an absolute path: {value}"
        target = site / urlsplit(value).path
        assert target.is_file() or (target / "index.html").is_file(), value
        checked += 1
    assert checked > 5
    assert any(
        "<base" not in (s.text or "") and "fetch(" in (s.text or "") for s in doc.iter("script")
    )


@pytest.mark.slow
def test_the_epub_builds_without_warnings_and_holds_every_word(tmp_path):
    out = build_edition(TEI_FILE, tmp_path, builder="epub")  # -W: any warning fails
    [book] = list(out.glob("*.epub"))
    with zipfile.ZipFile(book) as epub:
        assert epub.read("mimetype") == b"application/epub+zip"
        opf = etree.fromstring(epub.read("content.opf"))
        ns = {"o": "http://www.idpf.org/2007/opf"}
        hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//o:manifest/o:item", ns)}
        spine = [hrefs[r.get("idref")] for r in opf.iterfind(".//o:spine/o:itemref", ns)]
        assert "404.xhtml" not in hrefs.values()
        text: list[str] = []
        for name in spine:
            root = etree.fromstring(epub.read(name))
            text += words("".join(root.itertext()))
    memo, notes, colophon = tei_parts(TEI_FILE)
    assert is_subsequence(memo, text), "the memo's words are not all in the EPUB, in order"
    assert is_subsequence(colophon, text)
    joined = " ".join(text)
    for note in notes:
        assert " ".join(note) in joined, note


# ---------------------------------------------------------------- hosting files


def test_read_the_docs_runs_the_same_two_steps():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert config["sphinx"]["configuration"] == "conf.py"
    assert config["build"]["tools"]["python"] == "3.11"
    assert {"requirements": "requirements.txt"} in config["python"]["install"]
    jobs = config["build"]["jobs"]
    assert any("scripts/build_pages.py" in c for c in jobs["pre_build"])
    [command] = jobs["build"]["html"]
    assert "-c ." in command and " source " in command and "$READTHEDOCS_OUTPUT/html" in command
    assert " -W" in command


def test_the_pages_workflow_builds_with_make_and_deploys():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    for action in (
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ):
        assert action in uses, action
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"
    assert any(s.get("run", "").strip() == "make html" for s in steps)
    upload = next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "_build/html"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_citation_cff_agrees_with_the_tei_header():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    h = reader.read(tei.load(TEI_FILE)).header
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"].startswith(h.title)
    assert cff["version"] == h.version
    assert str(cff["date-released"]) == h.date
    assert cff["authors"][0]["name"] == h.publisher
    assert cff["license"] == "CC-BY-4.0"
    preferred = cff["preferred-citation"]
    # The digital edition has no editor; the print editor is credited with the 2005 book only.
    assert "editors" not in preferred
    references = {r["type"]: r for r in cff["references"]}
    assert references["book"]["publisher"]["name"] == "1000 Flowers Publishing"
    assert references["historical-work"]["location"]["name"].startswith(
        h.manuscript.repository.split(" (")[0]
    )

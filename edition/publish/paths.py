"""Every address the edition publishes, worked out in one place.

Pages, downloads and the static DTS API are found at paths relative to the
site's root, and at URLs made of :func:`base_url` and those paths. Nothing
else in the package writes a published path or URL by hand: it calls these
functions, so a renamed file or template changes every link at once.

The site's base URL
    :func:`base_url` reads, in order: ``EDITION_BASE_URL`` (set by whoever
    publishes elsewhere: GitHub Pages, a test server);
    ``READTHEDOCS_CANONICAL_URL``, which Read the Docs sets in its builds; and
    :data:`DEFAULT_BASE_URL`, the edition's Read the Docs address. It always
    ends with ``/``. What is cited is one version's own address,
    :func:`versioned_base_url` (``/en/1.0/`` or ``<base>1.0/``).

DTS URI templates (RFC 6570)
    A static host cannot read query strings, so every variable the DTS 1.0
    specification gives an endpoint is a path segment (``{/ref}``) or a path
    parameter (``{;down}``), after the specification's example for static
    sites (``/navigation/{resource}{;tree}{;down}{/ref,start,end}``). ``start``
    and ``end`` get their own path parameters (``{;start,end}``) instead of
    sharing ``{/ref,start,end}``, where ``start`` alone would expand to the
    address of ``ref``. Path parameters that stand together share one
    expression (``{;tree,down}`` expands exactly as ``{;tree}{;down}``). A
    request the site does not answer (a range other than the one it answers,
    a page number, another citation tree, a media type given explicitly)
    therefore expands to an address where no file is: the host answers 404.
    Paths are the templates' own expansions (:func:`expand`), so the files and
    the templates cannot disagree.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from uritemplate import expand as _expand

DEFAULT_BASE_URL = "https://nucleus-in-america.readthedocs.io/en/latest/"
# Where the pipeline writes the files below in the Sphinx source folder; the
# extension publishes that folder at the site root (html_extra_path).
EXTRA_DIR = "edition/_extra"

DOWNLOADS = "downloads"
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
# Netlify and Cloudflare Pages read response headers from this file.
HEADERS = "_headers"

DTS_ENTRY = "dts/index.jsonld"
# The variables of each endpoint, after the part that names the resource.
COLLECTION_VARS = "{;page}.jsonld"
NAVIGATION_VARS = "{;tree,down}{/ref}{;start,end,page}.jsonld"
DOCUMENT_VARS = "{;tree}{/ref}{;start,end,mediaType}.xml"
COLLECTION = "dts/collection{/id,nav}" + COLLECTION_VARS
NAVIGATION = "dts/navigation/{resource}" + NAVIGATION_VARS
DOCUMENT = "dts/document/{resource}" + DOCUMENT_VARS


# ---------------------------------------------------------------- the site


def base_url() -> str:
    """Where the site is published, ending in ``/`` (see the module docstring)."""
    url = (
        os.environ.get("EDITION_BASE_URL", "").strip()
        or os.environ.get("READTHEDOCS_CANONICAL_URL", "").strip()
        or DEFAULT_BASE_URL
    )
    return url if url.endswith("/") else url + "/"


def versioned_base_url(version: str, base: str | None = None) -> str:
    """Where one version of the edition stays published; citations name it, never ``latest``.

    Read the Docs (and the default address) builds each version from its git
    tag at ``/<language>/<version>/``; elsewhere (``EDITION_BASE_URL``) the
    build publishes each version at ``<base><version>/``, beside the latest.
    ``base`` is a Read the Docs address to version (default :func:`base_url`).
    """
    if not version:
        return base or base_url()
    if base is None and os.environ.get("EDITION_BASE_URL", "").strip():
        return f"{base_url()}{version}/"
    return re.sub(r"[^/]+/$", f"{version}/", base or base_url())


def base_path(base: str) -> str:
    """The path part of the base URL (``/en/latest/``), for host rules."""
    return urlsplit(base).path or "/"


def reading_page(part: str = "") -> str:
    """The reading page, or one ``part`` of a long text (:mod:`edition.parts`), in the site.

    Every part is a page of the same folder, so a part's address is the
    reading page's with its own name (:func:`part_url`).
    """
    from edition import render  # late: render imports citation, which imports this

    return f"{render.GENERATED_DIR}/{part or render.READING}.html"


def reading_url(base: str | None = None, part: str = "") -> str:
    """The URL of the reading page, or of one of its parts."""
    return f"{base or base_url()}{reading_page(part)}"


def part_url(reading: str, part: str) -> str:
    """The URL of ``part`` of the text whose reading page is at URL ``reading``."""
    return reading if not part else f"{reading.rsplit('/', 1)[0]}/{part}.html"


def unit_url(base: str, xml_id: str, part: str = "") -> str:
    """Where a citable unit is shown: the reading page (or its part) at the unit's anchor."""
    return f"{reading_url(base, part)}#{xml_id}"


def sitemap_url(base: str) -> str:
    """The sitemap (written by the edition's Sphinx extension, edition.sphinx_ext)."""
    return f"{base}{SITEMAP}"


# ---------------------------------------------------------------- downloads


def download_path(name: str, suffix: str) -> str:
    """A download, e.g. ``download_path("nucleus", ".txt")``: ``downloads/nucleus.txt``."""
    return f"{DOWNLOADS}/{name}{suffix}"


def section_download_path(section_id: str, suffix: str) -> str:
    """A section's own citation file: ``downloads/sections/<id><suffix>``."""
    return f"{DOWNLOADS}/sections/{section_id}{suffix}"


def download_url(base: str, name: str, suffix: str) -> str:
    """The URL of a download."""
    return base + download_path(name, suffix)


# ---------------------------------------------------------------- DTS


def expand(template: str, **values: str | int | None) -> str:
    """The site path a template expands to; ``None`` leaves a variable out.

    Integers are passed as strings (``uritemplate`` expands the integer 0 as
    an empty value). The expansion is percent-decoded, as a host decodes a
    request's path before it looks for the file.
    """
    given: dict[str, Any] = {k: str(v) for k, v in values.items() if v is not None}
    return unquote(_expand(template, given))


def entry_url(base: str) -> str:
    """The DTS entry point."""
    return base + DTS_ENTRY


def collection_template(base: str, resource: str | None = None) -> str:
    """URI template of the Collection endpoint, for every collection or for one resource."""
    if resource is None:
        return base + COLLECTION
    return f"{base}dts/collection/{resource}{{/nav}}{COLLECTION_VARS}"


def navigation_template(base: str, resource: str | None = None) -> str:
    """URI template of the Navigation endpoint, for every resource or for one."""
    return f"{base}dts/navigation/{resource or '{resource}'}{NAVIGATION_VARS}"


def document_template(base: str, resource: str | None = None) -> str:
    """URI template of the Document endpoint, for every resource or for one."""
    return f"{base}dts/document/{resource or '{resource}'}{DOCUMENT_VARS}"


# The three functions below build the same strings as ``expand`` with the
# endpoint's template (tests/test_dts.py checks it), by hand because a build
# makes tens of thousands of them and identifiers need no percent-encoding.


def collection_path(id: str | None = None, nav: str | None = None) -> str:
    """The file ``collection{/id,nav}`` expands to."""
    return "dts/collection" + "".join(f"/{p}" for p in (id, nav) if p is not None) + ".jsonld"


def _range(span: tuple[str, str] | None) -> str:
    return f";start={span[0]};end={span[1]}" if span else ""


def navigation_path(
    resource: str,
    ref: str | None = None,
    down: int | None = None,
    span: tuple[str, str] | None = None,
) -> str:
    """The file ``navigation/{resource}{;down}{/ref}{;start,end}`` expands to."""
    down_part = f";down={down}" if down is not None else ""
    ref_part = f"/{ref}" if ref is not None else ""
    return f"dts/navigation/{resource}{down_part}{ref_part}{_range(span)}.jsonld"


def document_path(
    resource: str, ref: str | None = None, span: tuple[str, str] | None = None
) -> str:
    """The file ``document/{resource}{/ref}{;start,end}`` expands to."""
    return f"dts/document/{resource}{'' if ref is None else '/' + ref}{_range(span)}.xml"


def source_link(resource: str, ref: str, from_page: str) -> str:
    """A relative link from a page (e.g. ``edition/memo.html``) to a unit's TEI document."""
    return relative(from_page, document_path(resource, ref))


def relative(from_path: str, to_path: str) -> str:
    """A relative link between two site paths (both relative to the root)."""
    return "../" * from_path.count("/") + to_path

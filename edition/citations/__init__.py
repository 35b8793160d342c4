"""How to cite the edition and each of its sections, from one description in the TEI header.

The flow is one way::

    TEI header (sourceDesc/listBibl[@xml:id="citation"])
      -> description.describe()   facts, read from elements made for them
      -> model.item()              one CSL-JSON item per edition and section
      -> styles.render_style()     Chicago note/bibliography, MLA, APA (citeproc-py)
      -> formats.bibtex()/ris()    BibTeX (biblatex), RIS, Zotero's page tags
      -> citebox.cite_box()        the MyST of a cite box (sphinx-design tabs)

:func:`build` runs it once per build, in the pipeline; the Sphinx side only
reads what the pipeline wrote (``edition/_site.json``).

The site's address (:func:`base_url`, :data:`DEFAULT_BASE_URL`) is worked
out in :mod:`edition.publish.paths` and re-exported here; a test checks
that the default is the address the TEI header gives the digital edition.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from edition import model as m
from edition.citations import formats, styles, template
from edition.citations.description import Description, describe
from edition.citations.model import Item, Section, item, sections
from edition.citations.styles import STYLE_FILES, STYLE_NAMES, Rendered
from edition.tei import Document

SOURCE_FORMATS = {"bibtex": "BibTeX", "ris": "RIS"}

__all__ = [
    "DEFAULT_BASE_URL",
    "STYLE_FILES",
    "STYLE_NAMES",
    "Citations",
    "Description",
    "Rendered",
    "Section",
    "base_url",
    "build",
    "describe",
    "reading_url",
    "section_file",
]


def section_file(section_id: str, ext: str) -> str:
    """Where a section's own citation file is published: ``downloads/sections/<id>.<ext>``."""
    from edition.publish.paths import section_download_path

    return section_download_path(section_id, f".{ext}")


@dataclass(frozen=True)
class Citations:
    """The edition's citations at one address: the model and every form made from it.

    Every form is worked out once and kept: a section's citations are asked
    for by its cite box, the site data and its own files.
    """

    description: Description
    url: str
    sections: tuple[Section, ...]
    _cache: dict[tuple[str, str], str | Rendered] = field(default_factory=dict, compare=False)

    @cached_property
    def _by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    @cached_property
    def _items(self) -> dict[str, Item]:
        return {}

    @cached_property
    def _renderer(self) -> template.Renderer:
        return template.Renderer(self.description, self.url)

    def section(self, section_id: str | None) -> Section | None:
        """A section by id (``None`` for the whole edition); KeyError if there is none."""
        if section_id is None:
            return None
        return self._by_id[section_id]

    def item(self, section_id: str | None = None) -> Item:
        """The CSL-JSON item of the edition or of one section (the caller's own copy)."""
        return copy.deepcopy(self._item(section_id))

    def _item(self, section_id: str | None) -> Item:
        """The item, made once and shared: read it, never change it."""
        key = section_id or ""
        found = self._items.get(key)
        if found is None:
            found = self._items[key] = item(self.description, self.url, self.section(section_id))
        return found

    def style(self, key: str, section_id: str | None = None) -> Rendered:
        """One prose style (see :data:`STYLE_FILES`)."""
        cached = self._cache.get((key, section_id or ""))
        if not isinstance(cached, Rendered):
            section = self.section(section_id)
            if section is None:
                cached = styles.render_style(self.description, self._item(None), key)
            else:
                cached = self._renderer.render(key, section)
            self._cache[(key, section_id or "")] = cached
        return cached

    @cached_property
    def provenance(self) -> str:
        """The closing sentence on the print editor's title and attribution."""
        return styles.provenance(self.description)

    def bibtex(self, section_id: str | None = None) -> str:
        """A biblatex entry."""
        return self.source("bibtex", section_id)

    def ris(self, section_id: str | None = None) -> str:
        """An RIS record."""
        return self.source("ris", section_id)

    def source(self, key: str, section_id: str | None = None) -> str:
        """``bibtex`` or ``ris``."""
        cached = self._cache.get((key, section_id or ""))
        if not isinstance(cached, str):
            write = formats.bibtex if key == "bibtex" else formats.ris
            cached = write(self._item(section_id), self.provenance)
            self._cache[(key, section_id or "")] = cached
        return cached

    def csl_json(self) -> bytes:
        """The CSL-JSON download: the edition's item (CSL-JSON is a list)."""
        return (json.dumps([self.item()], ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def head_tags(self) -> list[tuple[str, str]]:
        """The page tags Zotero reads, for every page: the whole edition, one item."""
        return formats.zotero_tags(self.item())

    def forms(self, section_id: str | None = None) -> dict[str, dict[str, str]]:
        """Every style and format of one citation, for the site data file.

        Only the forms the extension reads: a style's MyST (it parses it into
        the page), BibTeX's and RIS's text (shown as code). At 100x the file
        holds 900 sections' citations; HTML and text would double it unread.
        """
        out: dict[str, dict[str, str]] = {}
        for key in STYLE_FILES:
            out[key] = {"myst": self.style(key, section_id).myst}
        for key in SOURCE_FORMATS:
            out[key] = {"text": self.source(key, section_id)}
        return out

    def files(self) -> dict[str, bytes]:
        """Each section's own RIS and BibTeX files."""
        out = {}
        for s in self.sections:
            out[section_file(s.id, "ris")] = self.ris(s.id).encode("utf-8")
            out[section_file(s.id, "bib")] = self.bibtex(s.id).encode("utf-8")
        return out

    def site_data(self) -> dict[str, Any]:
        """What the Sphinx side needs: head tags and every citation, by section id."""
        return {
            "head": [list(t) for t in self.head_tags()],
            "url": self.url,
            "sections": [{"id": s.id, "label": s.label, "title": s.title} for s in self.sections],
            "citations": {
                "": self.forms(),
                **{s.id: self.forms(s.id) for s in self.sections},
            },
        }


def build(doc: Document, edition: m.Edition, base: str | None = None) -> Citations:
    """The citations of ``doc`` published at ``base`` (default :func:`base_url`)."""
    return Citations(describe(doc), reading_url(base), sections(edition))


# Re-exported last: edition.publish imports the renderer, whose reading page imports
# this package for its cite boxes, so these names must come after everything above.
from edition.publish.paths import DEFAULT_BASE_URL as DEFAULT_BASE_URL  # noqa: E402
from edition.publish.paths import base_url as base_url  # noqa: E402
from edition.publish.paths import reading_url as reading_url  # noqa: E402

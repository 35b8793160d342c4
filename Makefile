# The Nucleus in America: build, test and measure the edition.
# Needs only Python 3 and make (and, for the browser tests, what .ci/run installs).

PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
TEI      ?= tei/nucleus.xml
BUILDDIR ?= _build
SPHINXOPTS ?=

# The edition's own TEI file renders into source/; any other file renders into a
# staged copy of source/ under BUILDDIR, so the committed pages are never touched.
ifeq ($(abspath $(TEI)),$(abspath tei/nucleus.xml))
SRCDIR := source
STAGE  :=
# Publish the edition only if it keeps every page and anchor it ever published.
ANCHORS := --anchors published-anchors.json --tei $(TEI)
else
SRCDIR := $(BUILDDIR)/source
STAGE  := --stage-from source
ANCHORS :=
endif

.PHONY: html pages test clean livehtml bench epub singlehtml linkcheck lint

$(VENV)/.stamp-build: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.stamp-test: requirements-test.txt $(VENV)/.stamp-build
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# The checkers (axe-core, the Nu Html Checker, CETEIcean) come from npm; without
# npm the tests that need them skip, saying why (and fail under CI).
node_modules/.stamp: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: browser-checker tests will be skipped" >&2; fi

# ---------------------------------------------------------------- make knows what changed
# A no-change `make html` runs nothing. `make html` runs one command
# (scripts/build_site.py --pages): the pipeline (in a child process, beside
# Sphinx's start) when what it reads is newer than the last build, then Sphinx
# and the anchor check when what Sphinx reads is, or when the pipeline wrote or
# removed a file (--sphinx if-changed), so an edit that changes no page, download
# or DTS file stops after the pipeline. The pipeline touches $(PAGES_CHANGED)
# only when it wrote or removed a file.
# Settings that change what is built are part of the stamps' names, so a build
# with other settings is not taken for this one (and nothing is written before
# a recipe succeeds: a failed build leaves BUILDDIR as it was).
VARS_NOW      := TEI=$(abspath $(TEI)) SRCDIR=$(SRCDIR) SPHINXOPTS=$(SPHINXOPTS) \
  EDITION_BASE_URL=$(EDITION_BASE_URL) READTHEDOCS_CANONICAL_URL=$(READTHEDOCS_CANONICAL_URL) \
  SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH)
VARS_KEY      := $(firstword $(shell printf '%s' '$(VARS_NOW)' | cksum))
PAGES_RAN     := $(BUILDDIR)/.stamp-pages-$(VARS_KEY)
PAGES_CHANGED := $(BUILDDIR)/.stamp-pages-changed-$(VARS_KEY)
HTML_STAMP    := $(BUILDDIR)/.stamp-html-$(VARS_KEY)
# What the pipeline reads: the TEI file, the schema, the pipeline's code, the hand-written pages.
EDITION_CODE  := $(shell find edition scripts -type f -not -path '*/__pycache__/*' | sort)
HANDWRITTEN   := $(shell find source -path source/edition -prune -o -type f -print | sort)
SCHEMA        := tei/edition.rng
PIPELINE_ONLY := $(VENV)/.stamp-build $(TEI) $(SCHEMA)
# What Sphinx reads besides the pages (and the code and hand-written pages, which
# both read): its configuration, the anchor registry, and pages the pipeline wrote
# since Sphinx last ran (`make pages`). Not the TEI file: the Sphinx side reads
# only what the pipeline wrote (edition/_site.json, edition/_anchors.json).
SPHINX_ONLY   := conf.py $(if $(ANCHORS),published-anchors.json) $(wildcard $(PAGES_CHANGED))
# Generated pages or a published site that are gone mean: build them again.
ifeq ($(wildcard $(SRCDIR)/edition/memo.md),)
$(shell rm -f $(PAGES_RAN) $(PAGES_CHANGED) $(HTML_STAMP))
endif
ifeq ($(wildcard $(BUILDDIR)/html/index.html),)
$(shell rm -f $(HTML_STAMP))
endif

$(PAGES_RAN): $(VENV)/.stamp-build $(TEI) $(SCHEMA) $(EDITION_CODE) $(HANDWRITTEN)
	$(PY) scripts/build_pages.py --tei $(TEI) --source $(SRCDIR) $(STAGE) --changed-stamp $(PAGES_CHANGED)
	@rm -f $(filter-out $(PAGES_CHANGED),$(wildcard $(BUILDDIR)/.stamp-pages-*))
	@touch $@

# The pipeline runs when one of its inputs is newer than the last build ($? holds
# more than Sphinx's own inputs); Sphinx always runs when one of its inputs is.
$(HTML_STAMP): $(PIPELINE_ONLY) $(EDITION_CODE) $(HANDWRITTEN) $(SPHINX_ONLY)
	$(PY) scripts/build_site.py --source $(SRCDIR) --out $(BUILDDIR)/html --builder html $(ANCHORS) \
	  $(if $(filter-out $(SPHINX_ONLY),$?),--pages --tei $(TEI) $(STAGE) \
	    --changed-stamp $(PAGES_CHANGED) --pages-stamp $(PAGES_RAN)) \
	  $(if $(filter-out $(PIPELINE_ONLY),$?),,--sphinx if-changed) $(SPHINXOPTS)
	@rm -f $(filter-out $(PAGES_CHANGED) $(PAGES_RAN),$(wildcard $(BUILDDIR)/.stamp-pages-*))
	@rm -f $(wildcard $(BUILDDIR)/.stamp-html-*)
	@touch $@

pages: $(PAGES_RAN)

html: $(HTML_STAMP)

epub singlehtml: $(PAGES_RAN)
	$(PY) scripts/build_site.py --source $(SRCDIR) --out $(BUILDDIR)/$@ --builder $@ $(SPHINXOPTS)

linkcheck: $(PAGES_RAN)
	$(VENV)/bin/sphinx-build -c . -b linkcheck $(SRCDIR) $(BUILDDIR)/linkcheck

livehtml: $(PAGES_RAN)
	$(VENV)/bin/sphinx-autobuild -c . --watch tei --pre-build "$(PY) scripts/build_pages.py -q" $(SRCDIR) $(BUILDDIR)/html

# pytest exits 5 when it collects no test: that is a failure here, said plainly.
test: $(VENV)/.stamp-test node_modules/.stamp
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

lint: $(VENV)/.stamp-test
	$(VENV)/bin/ruff check edition scripts tests bench conf.py
	$(VENV)/bin/ruff format --check edition scripts tests bench conf.py
	$(VENV)/bin/mypy

bench: $(VENV)/.stamp-test node_modules/.stamp
	$(PY) -m bench

clean:
	rm -rf $(BUILDDIR) source/edition

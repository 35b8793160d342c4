# The Nucleus in America: build, test and measure the edition.
# Needs only Python 3 and make (and, for the browser tests, what .ci/run installs).

PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
TEI      ?= tei/nucleus.xml
# The Sphinx step reads the TEI file too (page metadata: edition/sphinx_ext/metadata.py).
export EDITION_TEI := $(abspath $(TEI))
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

pages: $(VENV)/.stamp-build
	$(PY) scripts/build_pages.py --tei $(TEI) --source $(SRCDIR) $(STAGE)

html: pages
	$(PY) scripts/build_site.py --source $(SRCDIR) --out $(BUILDDIR)/html --builder html $(ANCHORS) $(SPHINXOPTS)

epub singlehtml: pages
	$(PY) scripts/build_site.py --source $(SRCDIR) --out $(BUILDDIR)/$@ --builder $@ $(SPHINXOPTS)

linkcheck: pages
	$(VENV)/bin/sphinx-build -c . -b linkcheck $(SRCDIR) $(BUILDDIR)/linkcheck

livehtml: pages
	$(VENV)/bin/sphinx-autobuild -c . --watch tei --pre-build "$(PY) scripts/build_pages.py -q" $(SRCDIR) $(BUILDDIR)/html

# pytest exits 5 when it collects no test: that is a failure here, said plainly.
test: $(VENV)/.stamp-test node_modules/.stamp
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

lint: $(VENV)/.stamp-test
	$(VENV)/bin/ruff check edition scripts tests conf.py
	$(VENV)/bin/ruff format --check edition scripts tests conf.py
	$(VENV)/bin/mypy

bench: $(VENV)/.stamp-test node_modules/.stamp
	$(PY) scripts/bench.py

clean:
	rm -rf $(BUILDDIR) source/edition

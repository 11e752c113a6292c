# clusterlab — the two commands: `make run` (set up + run every notebook for every cluster on the
# demo data) and `make test` (set up + run the whole test suite). Everything lives in .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
JOBS   ?= 2
PORT   ?= 8866
# processes for `make test` (pytest-xdist; whole test files per process); 0 = one process.
# Two since the runner's kill_tree waits for a killed kernel to end (the flaky kernel count of
# the fault tests on two processes) and Dask's local cluster no longer needs port 8787.
# The browser tests and the batch-fault tests (kills, kernel counts) run afterwards in one
# process: beside a notebook or Dask test on the other process a dashboard page twice missed its
# 240 s (its Voila kernel culled while the page waited), and a killed Dask worker's kernel was
# once still counted when the next one started
TEST_WORKERS ?= 2
SERIAL_TESTS := tests/browser tests/test_runner_faults.py

.PHONY: run test docs lab dashboards publish bench browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[lab]"
	touch $@ $(VENV)/.installed

## run: set up .venv and run every notebook for every parameters/*.yaml on the demo data
run: $(VENV)/.installed
	$(BIN)/clusterlab run --jobs $(JOBS)

## test: set up .venv with the test extras and run the whole suite (unit, doctests, notebooks, browser)
test: $(VENV)/.installed-test browser
	CLUSTERLAB_OUTPUT_DIR=$$(mktemp -d) MPLBACKEND=Agg $(BIN)/python -m pytest \
	  -n $(TEST_WORKERS) --dist loadfile $(addprefix --ignore=,$(SERIAL_TESTS)) \
	  --nbval-lax --nbval-current-env tests clusterlab $(wildcard notebooks/[0-9]*.ipynb)
	CLUSTERLAB_OUTPUT_DIR=$$(mktemp -d) MPLBACKEND=Agg $(BIN)/python -m pytest $(SERIAL_TESTS)

## docs: build the HTML documentation (guides + API reference) into docs/_build/html; warnings are
## errors (the API pages in docs/api/generated are written afresh from the package each time)
$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $@ $(VENV)/.installed

docs: $(VENV)/.installed-docs
	rm -rf docs/api/generated
	MPLBACKEND=Agg $(BIN)/python -m sphinx -b html -W --keep-going docs docs/_build/html
	@echo "documentation: docs/_build/html/index.html"

## browser: make sure headless Chromium (Debian package) is there for the browser tests
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "could not install chromium: browser tests will be skipped"; \
	else echo "chromium not found and cannot be installed here (needs root + apt-get):" \
	  "browser tests will be skipped; install it with: sudo apt-get install chromium"; fi

## lab: open the notebooks in JupyterLab with the project's kernel (python3 of .venv);
## PORT=8890 make lab picks the port; works as root too (containers)
LAB_PORT ?= 8888
lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab --port $(if $(filter command line environment,$(origin PORT)),$(PORT),$(LAB_PORT)) \
	  $(if $(filter 0,$(shell id -u)),--allow-root,) notebooks/

## dashboards: serve the Voila dashboards on the latest results (runs the notebooks first if none)
dashboards: $(VENV)/.installed
	@test -d outputs || $(MAKE) run
	$(BIN)/clusterlab serve --port $(PORT)

## publish: write the static, disclosure-protected site to site/
publish: $(VENV)/.installed
	@test -d outputs || $(MAKE) run
	$(BIN)/clusterlab publish --output site

## bench: run the benchmarks at a small scale (see benchmarks/README or docs)
bench: $(VENV)/.installed-test
	for b in benchmarks/*_bench.py; do $(BIN)/python $$b --small || exit 1; done

clean:
	rm -rf $(VENV) outputs site .pytest_cache

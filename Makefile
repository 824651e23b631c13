# Two commands do all the set-up: `make report` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report analyze test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# the machine's pip 23.2 crashes resolving trafilatura's lxml[html-clean]; a current pip does not
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,embeddings]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/framing report seeds/ --out reports/seeds

analyze: $(STAMP)
	$(BIN)/framing analyze seeds/ --out reports/seeds

test: $(STAMP)
	# Debian's chromium for the browser test, where it is missing and can be installed (never fails)
	sh tests/install_chromium.sh
	# axe-core for the browser test's accessibility check, into a git-ignored folder, where npm is (never fails)
	-command -v npm >/dev/null 2>&1 && [ ! -f tests/.axe/node_modules/axe-core/axe.min.js ] && \
		npm install --no-save --silent --prefix tests/.axe axe-core@4 >/dev/null 2>&1 || true
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) reports/seeds

# Dotterel: two commands on a fresh machine with Python >= 3.12:  make demo  |  make test
PYTHON ?= $(shell command -v python3.12 2>/dev/null || (test -x $$HOME/.pyenv/versions/3.12.1/bin/python && echo $$HOME/.pyenv/versions/3.12.1/bin/python) || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint setup bench bench-corpus bench-store serve lock eval clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Dotterel needs Python >= 3.12 (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/dotterel code --db dotterel.db src/dotterel/examples/examples.jsonl
	@echo "Stored in dotterel.db — try: $(BIN)/dotterel serve --db dotterel.db"

# lint first (ruff + mypy, below), then the whole suite (including the accuracy gate)
test: $(STAMP) lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

# Everything but the tests marked slow (worker processes, Dask, kill -9 and resume): a few minutes.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow"

# ruff (rules in pyproject.toml) on the code, tests and benchmarks; mypy on src/dotterel.
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/dotterel eval --gate gold/baseline.json "gold/sentences.json#dev" "gold/sentences.json#test" "gold/articles#dev" "gold/articles#test" $(wildcard ../shared/data/plover-gsr-dev.json)

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

bench-corpus: $(STAMP)
	$(BIN)/python bench/corpus.py

# 1M events through Store.save_many (bulk, rollups, clusters), then the explorer's queries; SQLite
# in /tmp, and PostgreSQL when DOTTEREL_TEST_PG_URL is set. Results: bench/results/store-*.json
bench-store: $(STAMP)
	$(BIN)/python bench/store.py

serve: $(STAMP)
	$(BIN)/dotterel serve --db dotterel.db

# Regenerate the lock (needs uv: pip install uv). Commit the result.
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.12 -o requirements.lock

clean:
	rm -rf $(VENV) build *.egg-info dotterel.db

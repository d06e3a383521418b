# alertd — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# `make test` runs the suite on each of these; CI runs them one at a time.
TEST_DATABASES ?= sqlite postgresql
POSTGRES_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: install demo serve test lint typecheck pytest bench clean

$(BIN)/alertd: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/alertd

install: $(BIN)/alertd

demo: install
	$(BIN)/alertd demo

serve: install
	$(BIN)/alertd serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check alertd clients tests bench migrations

typecheck: install
	$(BIN)/mypy

test: lint typecheck
	@set -e; for db in $(TEST_DATABASES); do \
	  if [ "$$db" = postgresql ]; then url='$(POSTGRES_URL)'; else url=''; fi; \
	  echo "== pytest on $$db"; \
	  ALERTD_TEST_DATABASE_URL="$$url" $(BIN)/pytest $(PYTEST_ARGS); \
	done

bench: install
	$(BIN)/python bench/matching.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache

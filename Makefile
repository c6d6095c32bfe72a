# The two commands of the README: `make demo` and `make test`. Both build .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RECORDED := fixtures/recorded/cohere_v2

.PHONY: demo test lint typecheck unit docs bench fuzz schemas clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
		|| { echo "rerank_formats needs Python 3.10 or newer (set PYTHON=...)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . --group dev
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rerank-formats convert --kind response --read cohere_v2 --write jina --pretty \
		--request $(RECORDED)/openapi-x-fern-example-request.json --request-format cohere_v2 \
		$(RECORDED)/openapi-x-fern-example-response.json

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy rerank_formats

unit: $(STAMP)
	$(BIN)/pytest

# The documentation site in site/ (make test builds it too, with --strict, in tests/test_docs_site.py).
docs: $(STAMP)
	$(BIN)/mkdocs build --strict

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# A long fuzz campaign: make fuzz SECONDS=600, or make fuzz COUNT=100000.
SECONDS ?= 300
COUNT ?= 0
fuzz: $(STAMP)
	$(BIN)/python -m fuzz --seconds $(SECONDS) --count $(COUNT)

# Regenerate the JSON Schemas checked into docs/schemas (a test compares them with the code).
schemas: $(STAMP)
	@for kind in request response error; do for format in jina cohere_v1 cohere_v2 xinference; do \
		$(BIN)/rerank-formats schema --format $$format --kind $$kind > docs/schemas/$$format.$$kind.json; done; done
	$(BIN)/rerank-formats schema --format openai --kind error > docs/schemas/openai.error.json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis site

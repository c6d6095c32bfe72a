# The two commands of the README: `make demo` and `make test`. Each builds the virtual
# environment it needs from a lock file (exact versions and hashes), whatever PyPI released
# today. `make lock` refreshes the lock files; `make test-latest` shows the drift coming.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO := examples/demo
# The real clients that need an environment of their own (their pins conflict with the dev
# environment's): each NAME has a dependency group clients-NAME in pyproject.toml, a lock
# requirements-clients-NAME.lock, a venv .venv-clients-NAME and its tests in
# tests/test_clients_NAME.py. Every other client is tested in the dev environment.
CLIENT_ENVS := cohere5 litellm infinity together pinecone bedrock

.PHONY: demo test lint typecheck unit test-lowest test-clients test-latest lock docs bench \
	bench-matrix fuzz schemas pydantic clean $(CLIENT_ENVS:%=test-clients-%)

# $(call venv,DIR,LOCK): DIR holds exactly what LOCK pins (hashes checked) and the project.
define venv
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
		|| { echo "rerank_formats needs Python 3.10 or newer (set PYTHON=...)"; exit 1; }
	rm -rf $(1)
	$(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		--no-deps -r $(2)
	$(1)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--no-build-isolation -e .
	$(1)/bin/python -m pip check --disable-pip-version-check
	@touch $(1)/.installed-stamp
endef

$(STAMP): requirements-dev.lock pyproject.toml
	$(call venv,$(VENV),requirements-dev.lock)

.venv-%/.installed-stamp: requirements-%.lock pyproject.toml
	$(call venv,.venv-$*,requirements-$*.lock)

# The flagship: a Jina client's request, answered by a Cohere v2 upstream, documents filled.
demo: .venv-demo/.installed-stamp
	.venv-demo/bin/rerank-formats convert --kind request --read jina --write cohere_v2 \
		--pretty $(DEMO)/jina-request.json
	.venv-demo/bin/rerank-formats convert --kind response --read cohere_v2 --write jina \
		--pretty --request $(DEMO)/jina-request.json --request-format jina \
		$(DEMO)/cohere_v2-response.json

test: lint typecheck unit test-lowest test-clients

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy rerank_formats

unit: $(STAMP)
	$(BIN)/pytest

# The suite on the lowest versions pyproject.toml declares (msgspec, pydantic, hypothesis, ...).
test-lowest: .venv-lowest/.installed-stamp
	HYPOTHESIS_PROFILE=fast .venv-lowest/bin/pytest -q -p no:cacheprovider

# Each client environment runs only its own tests; there a missing client is a failure, not
# the skip it is in the other environments (tests/clients.py: RERANK_FORMATS_REQUIRE_CLIENTS).
test-clients: $(CLIENT_ENVS:%=test-clients-%)

$(CLIENT_ENVS:%=test-clients-%): test-clients-%: .venv-clients-%/.installed-stamp
	RERANK_FORMATS_REQUIRE_CLIENTS=1 .venv-clients-$*/bin/pytest -q -p no:cacheprovider \
		tests/test_clients_$*.py

# The suite on whatever PyPI serves today, unlocked: not part of `make test`.
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade "pip>=25.1"
	.venv-latest/bin/python -m pip install --quiet --upgrade -e . --group dev
	.venv-latest/bin/ruff check .
	.venv-latest/bin/mypy rerank_formats
	.venv-latest/bin/pytest -q -p no:cacheprovider

# Refresh every lock file from pyproject.toml (needs PyPI). Commit the result.
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --upgrade --universal --python-version 3.10 \
	--generate-hashes
lock: $(STAMP)
	$(UV_COMPILE) --all-extras --group dev -o requirements-dev.lock
	$(UV_COMPILE) --group build -o requirements-demo.lock
	$(UV_COMPILE) --all-extras --group test --group build --resolution lowest-direct \
		-o requirements-lowest.lock
	for env in $(CLIENT_ENVS); do \
		$(UV_COMPILE) --group clients-$$env -o requirements-clients-$$env.lock || exit 1; done

# The documentation site in site/ (make test builds it too, with --strict, in tests/test_docs_site.py).
docs: $(STAMP)
	$(BIN)/mkdocs build --strict

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Every read -> write pair, requests, unknown keys, validate and the CLI against hand-written
# msgspec baselines (a few minutes; nice'd: the machine is shared). QUICK=1 for a smoke run
# (which also redraws the plot from its few cells).
bench-matrix: $(STAMP)
	nice $(BIN)/python -m benchmarks.matrix $(if $(QUICK),--quick) --json matrix.json
	$(BIN)/python -m benchmarks.plot matrix.json --before benchmarks/results/matrix-before.json \
		--svg docs/benchmark-matrix.svg

# A long fuzz campaign: make fuzz SECONDS=600, or make fuzz COUNT=100000.
SECONDS ?= 300
COUNT ?= 0
fuzz: $(STAMP)
	$(BIN)/python -m fuzz --seconds $(SECONDS) --count $(COUNT)

# Regenerate the JSON Schemas checked into docs/schemas, one per registered format and kind
# (a test compares them with the code).
schemas: $(STAMP)
	$(BIN)/python -m rerank_formats._codegen schemas

# Regenerate the pydantic models checked into rerank_formats/pydantic/_generated.py from the
# wire Structs (a test compares them with the code).
pydantic: $(STAMP)
	$(BIN)/python -m rerank_formats._codegen pydantic

clean:
	rm -rf $(VENV) .venv-* .mypy_cache .ruff_cache .pytest_cache .hypothesis site

# Propose a format's column of the case table from what the library writes now, for review:
# make propose FORMAT=voyage writes fixtures/cases/formats/voyage.json (tests/case_table.py).
.PHONY: propose
propose: $(STAMP)
	$(if $(FORMAT),,$(error say which format: make propose FORMAT=name))
	$(BIN)/python tests/case_table.py propose $(FORMAT)

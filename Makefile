# The one command surface: what a person runs is what CI runs.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
CODE    = $(wildcard src tests bench)
# One stamp per kind of install, named after the dependency files: editing them reinstalls.
DEPS    = $(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
RUNTIME = $(VENV)/.installed-runtime-$(DEPS)
DEV     = $(VENV)/.installed-dev-$(DEPS)

.PHONY: run test check fix bench install install-runtime lock proto clean help

help:
	@echo "make run    install, migrate and start Agora on http://127.0.0.1:8000 (embedded topology)"
	@echo "make test   run the whole test suite (needs PostgreSQL and Redis on this machine)"
	@echo "make check  ruff, format check, mypy --strict, import-linter"
	@echo "make bench  run the benchmarks in bench/"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Agora needs $(PYTHON) (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# What the platform needs to run, and no development tools.
$(RUNTIME): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	@rm -f $(VENV)/.installed-runtime-*
	@touch $(RUNTIME)

# The tests and checkers on top; pip skips what the runtime install already put there. A dev install
# includes the runtime one, so it stamps both.
$(DEV): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(RUNTIME) $(DEV)

install-runtime: $(RUNTIME)

install: $(DEV)

run: install-runtime
	$(BIN)/agora migrate
	$(BIN)/agora up

# Two workers for two cores: most of a test's time is waiting on databases and sockets.
# Each module stays on one worker (its module-scoped fixtures, e.g. a cluster, start once).
# Coverage of the agora package is measured on both workers and combined; its total is printed last.
test: install
	$(BIN)/pytest -n 2 --dist loadscope --cov=agora --cov-report=
	@echo "coverage of src/agora: $$($(BIN)/coverage report --format=total)% of lines"

check: install
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/mypy
	$(BIN)/lint-imports

fix: install
	$(BIN)/ruff check --fix $(CODE)
	$(BIN)/ruff format $(CODE)

bench: install
	@ls bench/*.py >/dev/null 2>&1 || { echo "no benchmarks yet"; exit 0; }
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

proto: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m grpc_tools.protoc \
	  -Iagora/platform/rpc/generated=src/agora/contracts/proto \
	  --python_out=src --grpc_python_out=src --mypy_out=src --mypy_grpc_out=src \
	  src/agora/contracts/proto/user_directory.proto

lock: install
	@{ echo "# Exact versions that make installs with (pip install -c constraints.txt); ranges live in pyproject.toml."; \
	   echo "# Regenerate after changing dependencies: make lock"; \
	   $(BIN)/pip freeze --exclude-editable | grep -v '^agora'; } > constraints.txt.new
	@mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache artifacts

# The one command surface: what a person runs is what CI runs.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
CODE    = $(wildcard src tests bench)
# One stamp per kind of install, named after the dependency files: editing them reinstalls.
DEPS    = $(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
RUNTIME = $(VENV)/.installed-runtime-$(DEPS)
DEV     = $(VENV)/.installed-dev-$(DEPS)

.PHONY: run test check fix bench bench-refs install install-runtime lock proto clean help webui

help:
	@echo "make run    install, migrate and start Agora on http://127.0.0.1:8000 (embedded topology)"
	@echo "make test   run the whole test suite (needs PostgreSQL and Redis on this machine)"
	@echo "make check  ruff, format check, mypy --strict, import-linter"
	@echo "make bench  run the benchmarks in bench/"
	@echo "make bench-refs  Agora next to Flask + gunicorn and Express + pg: CPU per request"
	@echo "make webui  rebuild the web UI's bundle after editing its sources (needs Node.js and npm)"

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
# A worker that crashes ends the run with that test failed: pytest-xdist's replacement worker
# under loadscope left the run waiting forever.
test: install
	$(BIN)/pytest -n 2 --dist loadscope --max-worker-restart=0 --cov=agora --cov-report=
	@echo "coverage of src/agora: $$($(BIN)/coverage report --format=total)% of lines"

# The web UI's bundle (decision 0026) is committed: running Agora needs no Node. After editing
# src/agora/webui/static (js, css, index.html), rebuild it; tests/webui/test_build.py fails until then.
webui/node_modules/.package-lock.json: webui/package.json webui/package-lock.json
	cd webui && npm ci --no-audit --no-fund

webui: webui/node_modules/.package-lock.json
	cd webui && node build.mjs

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
	@for script in $(filter-out bench/references.py bench/benchcluster.py,$(wildcard bench/*.py)); do \
	  echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Not part of `make bench`: it installs the reference stacks into $(REFS) (PyPI and npm) on first
# use and needs wrk and Node.
REFS ?= artifacts/refs
bench-refs: install
	$(BIN)/python bench/references.py --refs-dir $(REFS)

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

# ---------------------------------------------------------------- containers and Kubernetes
# `make image` builds the image (and the Compose stack's data image) here, from a local Debian base
# and a wheelhouse; `make deploy-check` lints the Dockerfiles, the Compose file and every rendered
# Kustomize overlay (dev, prod, observability: each object against the Kubernetes API schemas), and
# runs the manifest tests; `make compose-test` runs the stack end to end.
K8S_VERSION ?= 1.37.0
COMPOSE     ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)

.PHONY: image image-observability compose-secrets deploy-check compose-test

image:
	deploy/image.sh

image-observability:
	AGORA_OBSERVABILITY=1 deploy/image.sh

compose-secrets:
	deploy/compose-secrets.sh

$(VENV)/.deploy-tools: deploy/requirements-check.txt | $(DEV)
	$(BIN)/python -m pip install --quiet -r deploy/requirements-check.txt
	@touch $@

deploy-check: install $(VENV)/.deploy-tools
	$(BIN)/hadolint deploy/Dockerfile deploy/data.Dockerfile deploy/prometheus.Dockerfile
	@secrets=$$(mktemp -d) && touch $$secrets/jwt-ed25519-private.pem $$secrets/jwt-ed25519-public.pem && \
	  AGORA_SECRETS_DIR=$$secrets $(COMPOSE) -f deploy/compose.yaml --profile observability --profile stack config -q && \
	  rm -rf $$secrets && echo "deploy/compose.yaml: valid"
	@for overlay in deploy/k8s/overlays/*/; do \
	  out=build/k8s/$$(basename $$overlay).yaml; mkdir -p build/k8s; \
	  kubectl kustomize $$overlay > $$out || exit 1; \
	  $(BIN)/kubernetes-validate --strict --quiet -k $(K8S_VERSION) $$out || exit 1; \
	  echo "$$overlay: $$(grep -c '^kind:' $$out) objects valid against Kubernetes $(K8S_VERSION)"; \
	done
	$(BIN)/pytest -q tests/deploy --ignore=tests/deploy/test_compose.py

compose-test: install
	AGORA_REQUIRE_DOCKER=1 $(BIN)/pytest -q tests/deploy/test_compose.py

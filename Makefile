# Two commands for a fresh machine: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
# The ephemeral Prefect server needs more than its default 20 s on a busy 2-core machine.
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 90
export PREFECT_HOME ?= $(CURDIR)/warehouse/.prefect
LOCK_FLAGS := --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes -q

.PHONY: run test lint lock install clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock requirements-bootstrap.txt requirements-duckdb14.txt pyproject.toml Makefile
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r requirements-bootstrap.txt
	# Bytecode compiled once, here: where PYTHONDONTWRITEBYTECODE is set (as on this machine) every
	# process would compile each module it imports from source (Great Expectations took 14.5 s to
	# import instead of 5 s, spaCy 1.5 s instead of 0.75 s), in every run and every worker process.
	$(UV) pip sync -q --python $(BIN)/python --require-hashes --compile-bytecode requirements.lock
	$(UV) pip install -q --python $(BIN)/python --no-deps --no-build-isolation -e .
	# DuckDB 1.4 LTS, the version BI drivers embed, kept apart to prove the published file opens with it.
	$(UV) pip install -q --python $(BIN)/python --require-hashes --target $(VENV)/duckdb14 -r requirements-duckdb14.txt
	touch $@

run: install
	$(BIN)/steppewatch run

test: install
	$(BIN)/ruff check flows tests
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check flows tests
	$(BIN)/ruff format --check flows tests

# Re-resolve the locked dependency set (needs the package registry).
lock: install
	$(UV) pip compile requirements.in $(LOCK_FLAGS) -o requirements.lock
	# Keep only the wheel hash checked for the spaCy model (brief: pin it by this hash).
	sed -i '/f237882f9c6ff55334232036e0d07a9d995564dafbed53a7898b935297df7c2e/d' requirements.lock
	echo 'duckdb==1.4.4' | $(UV) pip compile - $(LOCK_FLAGS) --no-header -o requirements-duckdb14.txt

clean:
	rm -rf $(VENV)

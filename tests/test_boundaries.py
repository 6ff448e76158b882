"""The architecture's import rules, enforced (shared/design/ARCHITECTURE.md, "Rules of the house").

- bedlink (the wire contract) imports only itself, binascii and hashlib: never Textual, pyserial,
  the host, the firmware, or the reference msgpack/cobs libraries;
- the portable firmware core (panel, but panel.ui) never imports `machine`, a board,
  or anything host-side; only board modules touch hardware;
- every firmware and protocol file compiles with mpy-cross for the board.
Checked twice: statically (every import statement, ast) and dynamically (a fresh
interpreter imports every module and its sys.modules is inspected).
Run alone: .venv/bin/pytest tests/test_boundaries.py
"""

import ast
import json
import subprocess
import sys

import pytest

from bedside.tools import mpy
from conftest import ROOT

BEDLINK = sorted((ROOT / "protocol" / "bedlink").glob("*.py"))
CORE = sorted(p for p in (ROOT / "firmware" / "panel").rglob("*.py") if "ui" not in p.relative_to(ROOT / "firmware" / "panel").parts)
HOST_SIDE = {"textual", "serial", "bedside", "msgpack", "cobs", "sqlalchemy", "typer", "rich", "platformdirs"}


def imported_roots(path):
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            roots.add((node.module or "").split(".")[0])
    return roots


def module_name(path, base):
    rel = path.relative_to(base).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


@pytest.mark.parametrize("path", BEDLINK, ids=lambda p: p.name)
def test_bedlink_imports_only_itself_binascii_and_hashlib(path):
    assert imported_roots(path) <= {"bedlink", "binascii", "hashlib"}


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_firmware_core_imports_no_hardware_and_nothing_host_side(path):
    roots = imported_roots(path)
    assert "machine" not in roots and "boards" not in roots and "framebuf" not in roots
    assert not roots & HOST_SIDE


def loaded_after_importing(modules):
    code = (
        "import importlib, json, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'machine':\n"
        "            raise ImportError('the portable core imported machine')\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    return {m.split(".")[0] for m in json.loads(res.stdout)}


def test_importing_bedlink_loads_nothing_host_side():
    loaded = loaded_after_importing([module_name(p, ROOT / "protocol") for p in BEDLINK])
    assert not loaded & (HOST_SIDE | {"panel", "machine"})


def test_importing_the_firmware_core_loads_no_machine_and_nothing_host_side():
    loaded = loaded_after_importing([module_name(p, ROOT / "firmware") for p in CORE])
    assert "machine" not in loaded and "boards" not in loaded
    assert not loaded & HOST_SIDE


def test_the_core_list_is_not_empty_and_ui_is_kept_apart():
    names = {module_name(p, ROOT / "firmware") for p in CORE}
    assert {"panel.app", "panel.board", "panel.version"} <= names
    assert not any(n.startswith("panel.ui") for n in names)


@pytest.mark.parametrize("src,rel", mpy.sources(), ids=lambda v: str(v) if not hasattr(v, "parts") else None)
def test_every_firmware_and_protocol_file_compiles_with_mpy_cross(src, rel, tmp_path):
    assert mpy.compile_one(src, tmp_path / rel.with_suffix(".mpy")) is None


def test_mpy_cross_really_rejects_micropython_syntax_errors(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("match x:\n    case 1:\n        pass\n")
    err = mpy.compile_one(bad, tmp_path / "bad.mpy")
    assert err and "SyntaxError" in err


def test_main_py_compiles_too(tmp_path):
    assert mpy.compile_one(ROOT / "firmware" / "main.py", tmp_path / "main.mpy") is None

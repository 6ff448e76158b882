"""make deploy: the dry run names every firmware module and main.py, compiled for the board; the freeze
manifest holds the same modules.

Numbers: the .mpy header's third byte carries the native architecture in its top six bits
(MicroPython py/persistentcode.h: MPY_FEATURE_ENCODE_ARCH, armv7emsp = 7); 0 means plain bytecode.
Run alone: .venv/bin/pytest tests/test_deploy.py
"""

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from bedside.tools import deploy, mpy
from conftest import ROOT



@pytest.fixture(scope="module")
def dry_run():
    res = subprocess.run([sys.executable, "-m", "bedside.tools.deploy", "--dry-run", "/dev/ttyACM0"],
                         capture_output=True, text=True, cwd=ROOT, timeout=240)
    assert res.returncode == 0, res.stderr
    return res.stdout.splitlines()


def _expected():
    # every module of firmware/ and protocol/bedlink but the unix-only simulator board files
    mods = {str(rel.with_suffix(".mpy")) for _src, rel in mpy.sources()}
    return (mods - {"boards/sim.mpy", "boards/walk.mpy", "boards/tapink_unix.mpy"}) | {"main.py"}


def test_dry_run_lists_every_firmware_module_and_main_py(dry_run):
    copies = {ln.split("copies ", 1)[1] for ln in dry_run if ln.startswith("  copies ")}
    assert copies == _expected()
    assert {"panel/app.mpy", "boards/pico2.mpy", "drivers/st7796.mpy", "bedlink/framing.mpy"} <= copies
    assert "boards/sim.mpy" not in copies
    assert dry_run[-1] == f"{len(copies)} files for /dev/ttyACM0 (dry run: nothing sent)"


def test_the_mpremote_command_copies_each_file_into_its_directory_then_resets(dry_run):
    cmd = shlex.split(dry_run[0])
    assert cmd[0].endswith("mpremote") and cmd[1:3] == ["connect", "/dev/ttyACM0"] and cmd[3] == "exec"
    assert cmd[-2:] == ["+", "reset"]
    out = deploy.OUT_DIR
    sent = {}
    groups = [[]]
    for word in cmd[5:]:
        if word == "+":
            groups.append([])
        else:
            groups[-1].append(word)
    assert groups[0] == [] and groups[-1] == ["reset"]
    assert groups[-2] == ["mip", "install", "usb-device-cdc"]  # the USB port with DTR (boards/pico2.py)
    for words in groups[1:-2]:
        assert words[:2] == ["fs", "cp"], words
        for src in words[2:-1]:
            sent[str(Path(src).relative_to(out))] = words[-1]
    assert set(sent) == _expected()
    for rel, dest in sent.items():
        assert dest == (":/main.py" if rel == "main.py" else ":/" + rel.rsplit("/", 1)[0] + "/")
    # the directories are made before anything is copied, parents first
    for d in {rel.rsplit("/", 1)[0] for rel in sent if "/" in rel}:
        assert f'"/{d}"' in cmd[4]


def test_every_module_is_plain_bytecode_for_any_cpu(dry_run):
    # No machine code is built on the PC: the viper byte swap is compiled by the board at import,
    # so every .mpy has no architecture and plain mpy-cross compiles every file.
    out = deploy.OUT_DIR
    for rel in _expected() - {"main.py"}:
        header = (out / rel).read_bytes()[:4]
        assert header[0:1] == b"M" and header[1] == 6, rel  # .mpy version 6
        assert header[2] >> 2 == 0, rel  # no -march
    assert b"@micropython.viper" in (ROOT / "firmware" / "drivers" / "rgb565_viper.py").read_bytes()
    assert (out / "main.py").read_bytes() == (ROOT / "firmware" / "main.py").read_bytes()


def test_make_deploy_passes_port_and_dry_run():
    res = subprocess.run(["make", "-n", "deploy", "PORT=/dev/ttyACM0", "DRY=1"], capture_output=True, text=True,
                         cwd=ROOT)
    assert "bedside.tools.deploy --dry-run /dev/ttyACM0" in res.stdout
    res = subprocess.run(["make", "-n", "deploy", "PORT=/dev/ttyACM0"], capture_output=True, text=True, cwd=ROOT)
    assert "bedside.tools.deploy  /dev/ttyACM0" in res.stdout


def test_the_freeze_manifest_holds_the_modules_a_deploy_copies():
    frozen = set()
    manifest = ROOT / "firmware" / "manifest.py"

    def package(name, files=None, base_path="."):
        base = (manifest.parent / base_path / name).resolve()
        assert base.is_dir(), base
        paths = [base / f for f in files] if files else sorted(base.rglob("*.py"))
        for p in paths:
            assert p.exists(), p
            frozen.add(str((p.relative_to(base.parent)).with_suffix(".mpy")))

    required = []
    env = {"include": lambda path: None, "package": package, "module": None, "require": required.append}
    exec(compile(manifest.read_text(), str(manifest), "exec"), env)
    assert frozen == _expected() - {"main.py"}
    assert tuple(required) == deploy.PACKAGES  # what a deploy installs with mip is frozen in a build

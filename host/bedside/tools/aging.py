"""Aged flash images: months of use, built by the firmware's own code, booted at the board's heap and synced.

tests/aging/images.py (run under MicroPython with a large heap) writes a simulator flash image
for each worst case of ARCHITECTURE.md's boot budget; this module builds them (cached under
build/aging by a digest of the firmware, the protocol and the builder, so a clean clone builds
them once), boots the real firmware on one with PanelSim at the board's heap, reads the free
heap after boot, and syncs every case off it into a database. Used by tests/test_aging.py and
`make bench`.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bedside.paths import FIRMWARE_DIR, PROTOCOL_DIR, REPO_ROOT, tool

BUILDER = REPO_ROOT / "tests" / "aging" / "images.py"
CACHE = REPO_ROOT / "build" / "aging"
BUILD_HEAP = "8wM"  # the builder's heap: a PC's, not the board's (it holds a 2 MB flash image in RAM)
# The worst cases the boot budget names (ARCHITECTURE.md, Budgets) and the builder's arguments.
KINDS = {
    "open_case": ["2000", "1000"],  # an open case of 2,000 events, 1,000 of them notes
    "boots": ["1000"],  # 1,000 boots with two syncs each
    "cases": ["200", "30"],  # 200 closed cases, none synced
    "full": ["12", "30"],  # closed unsynced cases until storage is full
}
# What images.py writes into every image: the panel's device id and a host paired with it.
DEVICE_ID = "sim-aging01"
HOST_ID = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
HOST_KEY = bytes(range(32))


@dataclass
class Image:
    kind: str
    path: Path
    cases: int
    events: int
    anchors: int


def digest() -> str:
    """A digest of everything an image depends on: the firmware, the protocol, the builder."""
    h = hashlib.sha256()
    for base in (FIRMWARE_DIR / "panel", FIRMWARE_DIR / "boards", PROTOCOL_DIR / "bedlink"):
        for p in sorted(base.rglob("*.py")):
            h.update(str(p.relative_to(REPO_ROOT)).encode())
            h.update(p.read_bytes())
    h.update(BUILDER.read_bytes())
    return h.hexdigest()[:16]


def _env() -> dict:
    path = [str(BUILDER.parent), str(FIRMWARE_DIR), str(PROTOCOL_DIR)]
    return dict(os.environ, MICROPYPATH=":".join(path))


def _command(kind: str, path: Path, args: list[str]) -> list[str]:
    return [str(tool("micropython")), "-X", f"heapsize={BUILD_HEAP}", str(BUILDER), kind, str(path), *args]


def _parse(kind: str, path: Path, out: str) -> Image:
    for line in out.splitlines():
        if line.startswith("IMAGE "):
            _, k, cases, events, anchors = line.split()
            return Image(k, path, int(cases), int(events), int(anchors))
    raise RuntimeError(f"the {kind} image was not built:\n{out}")


def build(kinds: dict[str, list[str]] | None = None, cache: Path = CACHE) -> dict[str, Image]:
    """Every image of `kinds` (default KINDS), built two at a time, or taken from the cache when fresh."""
    kinds = KINDS if kinds is None else kinds
    folder = cache / digest()
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Image] = {}
    todo = []
    for kind, args in kinds.items():
        name = "-".join([kind, *args])
        img, meta = folder / f"{name}.img", folder / f"{name}.json"
        if img.exists() and meta.exists():
            m = json.loads(meta.read_text())
            out[kind] = Image(kind, img, m["cases"], m["events"], m["anchors"])
        else:
            todo.append((kind, args, img, meta))
    running: list = []
    while todo or running:
        while todo and len(running) < 2:
            kind, args, img, meta = todo.pop(0)
            tmp = img.with_name(f"{img.name}.{os.getpid()}.tmp")
            proc = subprocess.Popen(_command(kind, tmp, args), env=_env(), stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
            running.append((kind, img, meta, tmp, proc))
        kind, img, meta, tmp, proc = running.pop(0)
        text = proc.communicate(timeout=600)[0]
        if proc.returncode != 0:
            raise RuntimeError(f"building the {kind} image failed:\n{text}")
        image = _parse(kind, img, text)
        os.replace(tmp, img)
        meta.write_text(json.dumps({"cases": image.cases, "events": image.events, "anchors": image.anchors}))
        out[kind] = image
    return out


def host_store(path: Path):
    """This workstation's pairing file holding the key every aged image's panel holds for HOST_ID."""
    from bedside.pairing import FORMAT, HostStore

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format": FORMAT, "host_id": HOST_ID, "host_name": "aging test host",
                                "devices": {DEVICE_ID: {"key": HOST_KEY.hex(), "paired_at": "2026-12-06T00:00:00Z"}}}))
    os.chmod(path, 0o600)
    return HostStore(path)


@dataclass
class Boot:
    heap_free: int  # bytes free after boot and a collection, as the unix port counts them (NwK: 64-bit words)
    safe: bool  # the panel started in safe mode
    log: str


def boot(image: Path, work: Path, heap: str | None = None, sync_db: str | None = None):
    """Boot the firmware on a copy of `image`; return (Boot, SyncSummary or None, seconds the sync took)."""
    from bedside.link import PanelLink
    from bedside.sim import BUDGET_HEAP, PanelSim

    work.mkdir(parents=True, exist_ok=True)
    flash = work / "flash.img"
    flash.write_bytes(image.read_bytes())
    sim = PanelSim(workdir=work / "panel", flash=flash, heap=heap or BUDGET_HEAP)
    summary = None
    seconds = 0.0
    try:
        sim.start().wait_ready(60)
        with PanelLink(sim.port, timeout=5) as link:
            link.hello()
            heap_free = link.ping()["heap_free"]
        if sync_db is not None:
            from bedside.store import Store
            from bedside.sync import sync_port

            store = Store(sync_db)
            try:
                t0 = time.perf_counter()
                summary = sync_port(sim.port, store, host_store(work / "host" / "pairing.json"), timeout=10)
                seconds = time.perf_counter() - t0
            finally:
                store.close()
        sim.check_alive()
        log = sim.log_text()
    finally:
        sim.stop()
    return Boot(heap_free, "SAFE MODE" in log, log), summary, seconds

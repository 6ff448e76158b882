"""make bench: measures what shared/design/ARCHITECTURE.md budgets, and prints the figures.

Figures, not pass/fail: tests assert behaviour, this reports numbers.
- clinical heap: the smallest heap in which tests/scenarios/full_case.py (findings,
  every score, a 200-event checklist, a reboot rebuilding the case) runs as .mpy;
- firmware heap: the smallest MicroPython heap (-X heapsize=NwK, N KB as a 32-bit board
  counts it) in which the simulated panel boots, shakes hands and answers a 256-byte
  ping; found by bisection, from source and from .mpy run in place from a ROMFS image as frozen
  firmware runs from a board's flash (budget: 128 KB for the whole
  scenario, which grows as features land);
- link: request/response round trips per second through pyserial and the pty, and
  wire bytes per payload byte for pongs of several sizes, plain and sealed (budget: <= 1.10 in bulk);
- sync of 20 cases of 200 events from the simulated panel, every frame sealed after
  authentication (protocol v3): wire bytes / payload
  bytes (payload = the journalled events' bytes), round trips per case (budget <= 3),
  the sync time at 115200 baud computed from the wire bytes (10 bits a byte) and the
  round trips (each costing the panel's measured turnaround), and the share of the
  line rate that carries payload (budget >= 85 %); the smallest firmware heap that
  runs that sync;
- host ingest rate, events/s, on SQLite and on PostgreSQL (BEDSIDE_TEST_PG_URL;
  `eval "$(sudo .ci/run pg-env)"` starts one);
- the cases table's query with 10,000 sample cases (bedside.samples) on SQLite, ms a page;
- exports (tests/bench_export.py): peak RSS and cases/s of `bedside export` in each format at 1,000 and
  10,000 sample cases (budget: <= 200 MB at 10,000, flat as cases grow);
- the panel UI: pixels sent per tap in the touch walkthrough, the floor the current item's text alone puts under
  that figure (tests/bench_floor.py), and the smallest heap the whole walkthrough runs in;
- the tap budget (bedside.tools.tapink, shared/design/HUMAN-FACTORS.md): over a runner walk that takes every item
  and option of every checklist, bytes on the display bus per checklist tap (mean <= 25 % of a frame, worst <=
  60 %) and the modelled tap-to-ink time on the reference board (p95 <= 50 ms at 40 MHz, <= 100 ms at the
  ST7796S datasheet's write clock), the model's assumptions printed beside the figures
  (`make tapink PORT=...` measures the same walk on a board);
- the workstation app (tests/app/appbench.py): start to the first screen in a fresh process,
  and search / sort / next page of the case list with 10,000 cases, to rows on screen;
- aged flash (tests/bench_aging.py): free heap after boot with each worst-case image, the heap the
  worst one needs, and the largest open case that still boots.
Run: make bench
"""

BAUD = 115200
CASES, EVENTS_PER_CASE = 20, 200
BOARD_TURNAROUND_S = 0.010  # USB/UART latency plus a slower MCU answering: a conservative guess, not measured

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bedlink import messages
from bedlink.framing import encode_frame
from bedside.link import LinkError, PanelLink
from bedside.sim import PanelDied, PanelSim
from bedside.pairing import HostStore
from bedside.scenarios import busy_case, whih_case, write
from bedside.store import Store, ingest_rate
from bedside.sync import pair, sync
from bedside.tools import heap, mpy

HEAP_BUDGET_KB = heap.BUDGET_KB


def scenario_fits(heap_kb: int, mpy_dir=None) -> bool:
    try:
        with PanelSim(heap=f"{heap_kb}wK", mpy_dir=mpy_dir, from_source=mpy_dir is None, open_serial=True) as sim:
            sim.wait_ready(5)
            with PanelLink(sim.serial, timeout=1.0, retries=0) as link:
                link.hello()
                ok = link.ping(bytes(256))["data"] == bytes(256)
            return ok and sim.alive()
    except (PanelDied, LinkError):
        return False


def smallest_heap(mpy_dir=None) -> int | None:
    """Smallest heap in KB (1 KB resolution) in which the panel boots and answers, or None."""
    return heap.smallest(lambda kb: scenario_fits(kb, mpy_dir), 4, 256)


def show_heap(label: str, kb: int | None) -> None:
    shown = f"{kb} KB" if kb else "more than the largest heap tried"
    ratio = f" ({kb / HEAP_BUDGET_KB:.2f} x the {HEAP_BUDGET_KB} KB budget)" if kb else ""
    print(f"{label}: {shown}{ratio}")


def round_trips(n=2000) -> float:
    with PanelSim(open_serial=True) as sim:
        with PanelLink(sim.serial) as link:
            link.hello()
            t0 = time.perf_counter()
            for i in range(n):
                link.ping()
            return n / (time.perf_counter() - t0)


def prepared_panel(tmp: Path) -> tuple[bytes, HostStore]:
    """A flash image holding 20 closed cases of 200 events, paired with a host, nothing synced."""
    script = []
    for _ in range(CASES):
        script += busy_case(EVENTS_PER_CASE)
    hosts = HostStore(tmp / "host.json", host_name="bench")
    with PanelSim(workdir=tmp / "prep", play=write(script, tmp / "script.jsonl"), speed=1000000) as sim:
        while "script played" not in sim.log_text():
            sim.check_alive()
            time.sleep(0.1)
        sim.open_pairing()
        with PanelLink(sim.port) as link:
            pair(link, hosts, lambda _d: sim.pairing_code())
        return (tmp / "prep" / "flash.img").read_bytes(), hosts


def sync_run(image: bytes, hosts: HostStore, tmp: Path, heap_kb: int | None = None):
    """Sync the prepared panel into a new SQLite store: (summary, wire bytes, payload bytes, turnaround s)."""
    run = Path(tempfile.mkdtemp(dir=tmp))
    (run / "flash.img").write_bytes(image)
    kw = {"heap": f"{heap_kb}wK"} if heap_kb else {}
    with PanelSim(workdir=run, **kw) as sim:
        store = Store(f"sqlite:///{run / 'host.db'}")
        try:
            with PanelLink(sim.port) as link:
                link.hello()
                pings = []
                for _ in range(50):
                    t0 = time.perf_counter()
                    link.ping()
                    pings.append(time.perf_counter() - t0)
                wire0 = link.bytes_in + link.bytes_out
                summary = sync(link, store, hosts)
                wire = link.bytes_in + link.bytes_out - wire0
            payload = sum(len(e.payload) for c in store.cases() for e in store.events(c.device_id, c.case_id))
            return summary, wire, payload, statistics.median(pings)
        finally:
            store.close()


def sync_figures() -> None:
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        image, hosts = prepared_panel(tmp)
        summary, wire, payload, turn = sync_run(image, hosts, tmp)
        trips = summary.round_trips
        seconds = wire * 10 / BAUD + trips * turn
        line_share = (payload * 10 / BAUD) / seconds
        print(f"sync of {CASES} cases x {EVENTS_PER_CASE} events: {summary.new} events, {payload:,} payload bytes, "
              f"{wire:,} wire bytes")
        print(f"link overhead in bulk sync, wire / payload bytes: {wire / payload:.3f} (budget <= 1.10)")
        print(f"round trips: {trips} in all, {trips / CASES:.2f} per case (budget <= 3)")
        print(f"panel turnaround per round trip (median ping over the pty): {turn * 1000:.2f} ms")
        print(f"sync time at {BAUD} baud, computed: {seconds:.1f} s; line rate carrying payload: "
              f"{line_share:.1%} (budget >= 85 %)")
        board = wire * 10 / BAUD + trips * BOARD_TURNAROUND_S
        print(f"  with a board's turnaround assumed at {BOARD_TURNAROUND_S * 1000:.0f} ms a round trip: {board:.1f} s, "
              f"{(payload * 10 / BAUD) / board:.1%}")

        def fits(kb: int) -> bool:
            try:
                return sync_run(image, hosts, tmp, kb)[0].new == CASES * EVENTS_PER_CASE
            except (PanelDied, LinkError):
                return False

        show_heap("firmware heap, boot + sync of those 20 cases, firmware in place (ROMFS)", heap.smallest(fits, 32, 512))


def whole_firmware_fits(heap_kb: int, tmp: Path) -> bool:
    """The real firmware at heap_kb plays the scripted WHIH case (findings, every score viewed, the
    checklist, outcomes), pairs, pushes live and syncs it: True if all of it completes."""
    run = Path(tempfile.mkdtemp(dir=tmp))
    hosts = HostStore(run / "host.json", host_name="bench")
    try:
        with PanelSim(workdir=run, heap=f"{heap_kb}wK", play=write(whih_case(), run / "whih.jsonl"),
                      speed=1000000) as sim:
            deadline = time.monotonic() + 30
            while "script played" not in sim.log_text():
                sim.check_alive()
                if "refused" in sim.log_text() or time.monotonic() > deadline:
                    return False
                time.sleep(0.05)
            sim.open_pairing()
            with PanelLink(sim.port) as link:
                pair(link, hosts, lambda _d: sim.pairing_code())
            store = Store(f"sqlite:///{run / 'host.db'}")
            try:
                with PanelLink(sim.port) as link:
                    ok = sync(link, store, hosts).new == 59
            finally:
                store.close()
            return ok and sim.alive() and "Error" not in sim.log_text()
    except (PanelDied, LinkError):
        return False


def ingest_figures() -> None:
    with tempfile.TemporaryDirectory() as tmpdir:
        print(f"host ingest, SQLite: {ingest_rate(f'sqlite:///{tmpdir}/bench.db'):,.0f} events/s")
    pg = os.environ.get("BEDSIDE_TEST_PG_URL")
    if pg:
        print(f"host ingest, PostgreSQL: {ingest_rate(pg):,.0f} events/s")
    else:
        print("host ingest, PostgreSQL: not measured (no server: eval \"$(sudo .ci/run pg-env)\" starts one)")


def case_list_figures(n: int = 10_000) -> None:
    """The cases table's query (one page of 100, refresh check included) over n sample cases, median of 5 (ms)."""
    from bedside.samples import fill
    from bedside.store.summaries import list_cases

    with tempfile.TemporaryDirectory() as tmpdir:
        store = Store(f"sqlite:///{tmpdir}/cases.db")
        try:
            t0 = time.perf_counter()
            fill(store, n)
            print(f"sample cases: {n:,} written in {time.perf_counter() - t0:.1f} s (SQLite)")
            for label, kw in (("newest first", {}), ("by operator", {"sort": "operator", "descending": False}),
                              ("search 'quill rca'", {"search": "quill rca"}), ("last page", {"offset": n - 100})):
                times = []
                for _ in range(5):
                    t0 = time.perf_counter()
                    list_cases(store, limit=100, **kw)
                    times.append(time.perf_counter() - t0)
                print(f"case-list query with {n:,} cases, {label}: {statistics.median(times) * 1000:.1f} ms")
        finally:
            store.close()


def panel_ui_figures() -> None:
    """Pixels sent per tap in the panel's touch walkthrough, and the smallest heap the full UI runs in."""
    from bedside.screens import build_ui_scenario, run_walkthrough, ui_scenario_fits

    screen = 480 * 320
    with tempfile.TemporaryDirectory() as tmpdir:
        log = run_walkthrough(Path(tmpdir) / "shots")
        taps = [e for e in log if "tap" in e]
        runner = [e for e in taps if e["screen"] == "runner"]
        actions = [e for e in runner if e["pixels"] < screen]  # taps answered on the runner, no dialog opened
        for label, group in (("checklist taps (runner screen, every tap)", runner),
                             ("checklist taps that stay on the runner (Done, options, Defer)", actions),
                             ("all taps of the walkthrough", taps)):
            avg = sum(e["pixels"] for e in group) / len(group) / screen
            print(f"panel pixels sent per tap, {label}: {avg:.1%} of the screen on average over {len(group)} "
                  f"taps (the tap budget below replaces the old <= 10 %)")
        from bench_floor import floor_figures

        floor_figures()
        from bedside.tools import tapink

        print("\n".join(tapink.report(tapink.walk_unix())))
        mpy_dir = build_ui_scenario(Path(tmpdir) / "mpy")
        kb = heap.smallest(lambda n: ui_scenario_fits(mpy_dir, n, Path(tmpdir) / "walk"), 32, 512)
        show_heap(f"firmware heap, full UI walkthrough (every screen, two checklists, {len(taps)} taps, band buffer "
                  "included), .mpy files loaded into the heap", kb)
        from bedside.tools import romfs

        image = Path(tmpdir) / "firmware.romfs"
        image.write_bytes(romfs.build_image(mpy_dir))
        image_kb = -(-image.stat().st_size // 2048)
        kb = heap.smallest(lambda n: ui_scenario_fits(mpy_dir, n + image_kb, Path(tmpdir) / "walk", image), 32, 512)
        show_heap(f"firmware heap, full UI walkthrough, firmware run in place from flash as frozen on the board "
                  f"(a {image.stat().st_size:,}-byte ROMFS image here, not counted)", kb)


def wire_ratio(data_len: int, sealed: bool = False) -> float:
    """Wire bytes per message byte of a pong; sealed: as in an authenticated session (protocol v3, 17 bytes more)."""
    from bedlink import seal

    message = messages.encode("pong", 1, {"data": bytes(range(256))[:data_len] or b"", "rx_frames": 1, "rx_dropped": 0})
    payload = seal.Channel(bytes(32), seal.PANEL).seal(message) if sealed else message
    return len(encode_frame(payload)) / len(message)


def main() -> int:
    print("Bedside benchmarks")
    with tempfile.TemporaryDirectory() as tmp:
        mpy_dir = Path(tmp) / "mpy"
        errors = mpy.build(mpy_dir)
        if errors:
            print("mpy-cross failed:", *errors, sep="\n  ")
            return 1
        for label, where in (("firmware in place (ROMFS)", mpy_dir), ("from source", None)):
            show_heap(f"firmware heap, boot + handshake + ping, {label}", smallest_heap(where))
        heap.build_scenario(mpy_dir)
        kb = heap.smallest(lambda n: heap.run_scenario(mpy_dir, n)[0])
        show_heap("clinical heap, full case (findings, all scores, 200-event checklist, reboot), .mpy", kb)
    rate = round_trips()
    print(f"link round trips through pyserial + pty: {rate:,.0f} per second")
    for n in (0, 16, 64, 256):
        print(f"wire bytes / payload bytes, pong with {n} data bytes: {wire_ratio(n):.3f} plain, "
              f"{wire_ratio(n, sealed=True):.3f} sealed (v3, after authentication)")
    sync_figures()
    with tempfile.TemporaryDirectory() as tmpdir:
        kb = heap.smallest(lambda n: whole_firmware_fits(n, Path(tmpdir)), 32, 512)
        show_heap("firmware heap, whole: boot, a WHIH case played (findings, scores viewed, checklist), "
                  "pairing, live push, sync, firmware in place (ROMFS)", kb)
    ingest_figures()
    case_list_figures()
    from bench_export import export_figures

    export_figures()
    panel_ui_figures()
    sys.path.insert(0, str(Path(__file__).resolve().parent / "app"))
    from appbench import app_figures

    app_figures()
    from bench_display import display_figures

    display_figures()
    from bench_aging import aging_figures

    aging_figures()
    return 0


if __name__ == "__main__":
    sys.exit(main())

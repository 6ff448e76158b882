"""make bench figures for the workstation app (tests/bench.py calls app_figures()).

- app start: a fresh Python process, from its start to the first screen (the case list)
  showing rows, headless (App.run_test), over an empty database and over 10,000 cases
  (median of 3 starts);
- case list with 10,000 sample cases (bedside.samples): the store's page query, and in the
  app the time from a search typed / a sort chosen to the table showing the new rows.
Figures, not pass/fail.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = 10_000

# Run in a fresh interpreter: imports count, as they do when a nurse starts the app.
START = r"""
import time; t0 = time.perf_counter()
import asyncio, sys
from bedside.app import AppContext, BedsideApp
from bedside.pairing import HostStore
from bedside.store import Store
from textual.widgets import DataTable

async def main():
    store = Store(sys.argv[1])
    ctx = AppContext(store=store, hosts=HostStore(sys.argv[2], host_name="bench"), ports=lambda: [], tick_seconds=0)
    app = BedsideApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        while not (type(app.screen).__name__ == "CasesScreen" and "case(s)" in str(app.screen.query_one("#count").render())):
            await pilot.pause(0.002)
        print((time.perf_counter() - t0) * 1000)
asyncio.run(main())
"""


def start_ms(url: str, tmp: Path, runs: int = 3) -> float:
    """Median of `runs` fresh starts (the first one after writing 10,000 cases also pays for SQLite's WAL)."""
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", START, url, str(tmp / "pairing.json")], capture_output=True,
                             text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


async def _interactions(app) -> dict:
    from textual.widgets import DataTable, Input

    out = {}
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        while not (type(app.screen).__name__ == "CasesScreen" and app.screen.query_one(DataTable).row_count):
            await pilot.pause(0.002)
        screen = app.screen

        async def timed(name, action):
            before = screen.serial
            t0 = time.perf_counter()
            action()
            while screen.serial == before or any(not w.is_finished for w in screen.workers):
                await pilot.pause(0.002)
            await pilot.pause()
            out[name] = (time.perf_counter() - t0) * 1000

        await timed("search", lambda: setattr(screen.query_one(Input), "value", "whih rca"))
        await timed("clear search", lambda: setattr(screen.query_one(Input), "value", ""))

        def sort():
            screen.sort, screen.descending = "operator", False
            screen.reload()

        await timed("sort by operator", sort)
        await timed("next page", screen.action_more)
        out["rows shown"] = screen.query_one(DataTable).row_count
    return out


def app_figures() -> None:
    from bedside import samples
    from bedside.app import AppContext, BedsideApp
    from bedside.pairing import HostStore
    from bedside.store import Store
    from bedside.store.summaries import list_cases

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = f"sqlite:///{tmp / 'empty.db'}"
        Store(empty).close()
        print(f"app start to the first screen, fresh process, empty database: {start_ms(empty, tmp):.0f} ms")
        url = f"sqlite:///{tmp / 'cases.db'}"
        store = Store(url)
        t0 = time.perf_counter()
        samples.fill(store, CASES)
        print(f"sample cases written: {CASES:,} in {time.perf_counter() - t0:.1f} s (bedside.samples.fill)")
        print(f"app start to the first screen, fresh process, {CASES:,} cases: {start_ms(url, tmp):.0f} ms")
        t0 = time.perf_counter()
        page = list_cases(store, limit=200)
        print(f"case list query, first page of 200 of {page.total:,}: {(time.perf_counter() - t0) * 1000:.1f} ms")
        ctx = AppContext(store=store, hosts=HostStore(tmp / "pairing.json", host_name="bench"), ports=lambda: [],
                         tick_seconds=0)
        figures = asyncio.run(_interactions(BedsideApp(ctx)))
        for name in ("search", "clear search", "sort by operator", "next page"):
            print(f"case list with {CASES:,} cases, {name} to rows on screen: {figures[name]:.0f} ms")
        store.close()


if __name__ == "__main__":
    app_figures()

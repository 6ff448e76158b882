"""The case list and the case detail: search, sort by column, paging, opening a case, every part of its detail.

Numbers: the deterministic sample cases of bedside.samples (seed and clock fixed), read
through the store's own query (bedside.store.summaries), so the table is checked
against the same rows the store returns.
Run alone: .venv/bin/pytest tests/app/test_app_cases.py
"""

import asyncio

from appfactory import SIZE, make_app
from appsnapshot import screen_text
from textual.widgets import DataTable, Input

from bedside.app.screens.cases import PAGE
from bedside.store.summaries import list_cases


async def settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def row_ids(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [table.get_row_at(i)[-1] for i in range(table.row_count)]


def test_the_table_shows_the_stores_rows_newest_first(tmp_path):
    async def go():
        app = make_app(tmp_path, n=30)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            expect = [r.case_id for r in list_cases(app.ctx.store, limit=100).rows]
            assert row_ids(app) == expect and len(expect) == 30
            assert "30 case(s), by date newest first" in screen_text(app)

    asyncio.run(go())


def test_search_filters_and_a_header_click_sorts(tmp_path):
    async def go():
        app = make_app(tmp_path, n=30)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("slash")
            await pilot.press(*"whih")
            await settle(app, pilot)
            whih = [r.case_id for r in list_cases(app.ctx.store, "whih", limit=100).rows]
            assert 0 < len(whih) < 30 and row_ids(app) == whih
            app.screen.query_one(Input).value = ""
            await settle(app, pilot)
            table = app.screen.query_one(DataTable)
            table.focus()
            # click the Operator header: ascending by operator, missing last
            await pilot.click(DataTable, offset=(26, 0))
            await settle(app, pilot)
            assert app.screen.sort == "operator" and not app.screen.descending
            ops = [table.get_row_at(i)[1] for i in range(table.row_count)]
            named = [o for o in ops if o != "—"]
            assert named == sorted(named) and ops[: len(named)] == named

    asyncio.run(go())


def test_a_long_list_loads_a_page_and_more_on_demand(tmp_path):
    async def go():
        app = make_app(tmp_path, n=PAGE + 20)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            table = app.screen.query_one(DataTable)
            assert table.row_count == PAGE
            assert f"{PAGE} of {PAGE + 20} case(s)" in screen_text(app)
            await pilot.press("m")
            await settle(app, pilot)
            assert table.row_count == PAGE + 20
            assert row_ids(app) == [r.case_id for r in list_cases(app.ctx.store, limit=1000).rows]

    asyncio.run(go())


def test_enter_opens_the_case_detail_with_every_part(tmp_path):
    async def go():
        app = make_app(tmp_path, n=5)
        async with app.run_test(size=(140, 60)) as pilot:
            await settle(app, pilot)
            # the second sample case: a calcified CTO whose wire-crossing timer ran past its 30-minute alert
            await pilot.press("down", "enter")
            await pilot.pause()
            screen = app.screen
            assert type(screen).__name__ == "CaseDetailScreen" and screen.case_id == "case-00001"
            text = screen_text(app)
            assert "Times are wall-clock UTC" in text and "Duration  1:29:11" in text
            assert "step took" in text
            for tab, expect in (("steps", "Timer Wire crossing: 56:58 of 30:00 — ⚠ ALERT after 30:00"),
                                ("findings", "not answered: they are unknown, not 'no'"),
                                ("scores", "? (1)  calcification: Calcification: not entered"),
                                ("outcome", "Procedural success"),
                                ("nurse", "No nurse entries for this case.")):
                screen.action_tab(tab)
                await pilot.pause()
                assert expect in screen_text(app), tab
            screen.action_tab("scores")
            await pilot.pause()
            text = screen_text(app)
            assert "(unverified)" in text and "[verify" not in text
            assert "very difficult ≥3: 10.0 % crossed within 30 min (derivation set)" in text
            await pilot.press("escape")
            await pilot.pause()
            assert type(app.screen).__name__ == "CasesScreen"

    asyncio.run(go())


def test_a_case_without_wall_clock_is_labelled_relative(tmp_path):
    async def go():
        from bedside import samples

        app = make_app(tmp_path, n=40)
        no_anchor = next(c for c in samples.sample_cases(40) if c.anchor is None)
        async with app.run_test(size=(140, 50)) as pilot:
            await settle(app, pilot)
            app.open_case(no_anchor.device_id, no_anchor.case_id)
            await pilot.pause()
            text = screen_text(app)
            assert "Times are RELATIVE to the case start" in text
            assert "wall time unknown (relative times only)" in text
            assert "+0:00 rel" in text

    asyncio.run(go())

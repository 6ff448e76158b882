"""The thin screens over the services: operators (profiles, add, refusals, push without a port), reports (the same
numbers as bedside.reports), export (CSV, JSON and a FHIR bundle the FHIR library accepts; de-identified).

Numbers: the deterministic sample cases (bedside.samples) through the services
themselves, so each screen is checked against what its service returns.
Run alone: .venv/bin/pytest tests/app/test_app_screens.py
"""

import asyncio
import json
from datetime import datetime, timezone

from appfactory import SIZE, make_app
from appsnapshot import screen_text
from textual.widgets import Checkbox, DataTable, Input, Select

from bedside import reports
from bedside.operators import profiles

WIDE = (160, 60)


async def settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_operators_table_is_the_services_profiles_and_adding_checks_input(tmp_path):
    async def go():
        app = make_app(tmp_path, start="operators", n=40)
        async with app.run_test(size=WIDE) as pilot:
            await settle(app, pilot)
            today = datetime.fromtimestamp(app.ctx.clock(), tz=timezone.utc)
            expect = profiles(app.ctx.store, today)
            table = app.screen.query_one(DataTable)
            assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [p.name for p in expect]
            first = expect[0]
            assert table.get_row_at(0)[3] == str(first.cases)
            assert table.get_row_at(0)[4] == ("—" if first.annual_volume is None else str(first.annual_volume))
            # what the records here cover, with each profile (issue 12 §4)
            assert table.get_row_at(0)[8] == (first.coverage or "—")
            # a refused entry says why and adds nothing
            app.screen.query_one("#name", Input).value = "Dr New"
            app.screen.query_one("#year", Input).value = "1850"
            await pilot.click("#add-button")
            await pilot.pause()
            assert "Not added: operator refused: first year of CTO practice must be 1960" in screen_text(app)
            assert table.row_count == len(expect)
            app.screen.query_one("#year", Input).value = "2020"
            app.screen.query_one("#year", Input).focus()
            await pilot.press("enter")
            await pilot.pause()
            assert table.row_count == len(expect) + 1, screen_text(app)
            row = next(table.get_row_at(i) for i in range(table.row_count) if table.get_row_at(i)[0] == "Dr New")
            assert row[3] == "0" and row[4] == "—"  # no case here: unknown, not zero
            table.focus()
            await pilot.press("u")
            await pilot.pause()
            assert "Choose the panel's port first" in screen_text(app)

    asyncio.run(go())


def test_reports_show_the_services_numbers(tmp_path):
    async def go():
        app = make_app(tmp_path, start="reports", n=60)
        async with app.run_test(size=WIDE) as pilot:
            await settle(app, pilot)
            rep = reports.report(app.ctx.store)
            text = screen_text(app)
            assert f"technical success {rep['technical_successes']}/{rep['known_outcome']}" in text
            best = max((s for s in rep["scores"] if s["auc"]["value"] is not None), key=lambda s: s["auc"]["value"])
            assert f"{best['auc']['value']:.3f}" in text
            assert "Which score predicts technical failure best here" in text
            # each score against its own endpoint: CASTLE publishes technical failure, so failures are counted
            app.screen.query_one("#score", Select).value = "castle"
            await pilot.pause()
            cats = next(s for s in rep["scores"] if s["id"] == "castle")["categories"]
            text = screen_text(app)
            assert "EuroCTO CASTLE: technical failure by category, beside the published rate of the same" in text
            # which technical success each side means: the panel's, and the paper's (not given in the reference)
            flat = " ".join(text.split())
            assert "Technical success observed here: this panel: TIMI 3 antegrade flow and residual stenosis <30 %" \
                in flat
            assert "in the published rates: its paper: as its paper defines it (not given in the clinical" in flat
            first = next(c for c in cats if c["observed_pct"] is not None)
            assert f"{first['observed_pct']:.1f} %" in text
            # PROGRESS-CTO complications: a major periprocedural complication is not recorded per case: no rate
            app.screen.query_one("#score", Select).value = "progress_compl"
            await pilot.pause()
            text = screen_text(app)
            assert "PROGRESS-CTO complications: cases by category; its endpoint" in text
            assert "technical success by category" not in text

    asyncio.run(go())


def test_export_writes_csv_json_and_a_validated_fhir_bundle(tmp_path):
    async def go():
        app = make_app(tmp_path, start="export", n=5)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            target = app.screen.query_one("#target", Input)
            assert target.value == str(tmp_path / "exports" / "bedside-export-20261101-1900")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert "Written:" in screen_text(app)
            assert sorted(p.name for p in (tmp_path / "exports" / "bedside-export-20261101-1900").iterdir()) == [
                "cases.csv", "events.csv", "scores.csv"]
            app.screen.query_one("#format", Select).value = "fhir"
            app.screen.query_one("#deid", Checkbox).value = True
            await pilot.pause()
            assert target.value.endswith("bedside-export-20261101-1900-deid.fhir.json")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            doc = json.loads((tmp_path / "exports" / "bedside-export-20261101-1900-deid.fhir.json").read_text())
            assert doc["resourceType"] == "Bundle"
            assert "Dr Ada Quill" not in json.dumps(doc)  # de-identified: no names
            from bedside.fhir import validate

            validate(doc)
            # a target the export cannot write says so
            (tmp_path / "blocker").write_text("a file where a folder should go")
            app.screen.query_one("#format", Select).value = "csv"
            await pilot.pause()
            target.value = str(tmp_path / "blocker" / "out")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert "Not exported:" in screen_text(app)

    asyncio.run(go())

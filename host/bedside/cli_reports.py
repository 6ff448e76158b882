"""The `bedside` subcommands over the synced cases: cases, case, nurse, report, export, operators, samples.

Registered on the main command by cli.py (register()); each is a thin shell over the
services the app's screens call.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

DB_HELP = "Database URL (sqlite:///FILE or postgresql+psycopg://...). Default: SQLite in the user data dir."


def register(app: typer.Typer, open_store, fail, on_panel) -> None:
    """Add this module's commands to `app`; open_store(db) opens a Store, fail(msg) exits 1,
    on_panel(port, db, talk) runs talk(link, pairing keys, store) with a panel (cli.py)."""

    @app.command("cases")
    def cases_cmd(
        search: str = typer.Option(None, help="Words that must all appear (case, panel, reference, operator, ...)."),
        sort: str = typer.Option("date", help="date, operator, vessel, techniques, outcome, sync, case, procedure, "
                                              "fluoro or contrast."),
        asc: bool = typer.Option(False, "--asc", help="Ascending (default: descending, newest first)."),
        limit: int = typer.Option(50, help="Rows to show."),
        offset: int = typer.Option(0, help="Rows to skip."),
        as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
        db: str = typer.Option(None, help=DB_HELP),
    ):
        """The table of cases: date, operator, vessel, techniques, outcome, sync state."""
        from bedside.store import StoreError
        from bedside.store.summaries import list_cases

        store = open_store(db)
        try:
            page = list_cases(store, search, sort, not asc, limit, offset)
        except StoreError as e:
            fail(str(e))
        finally:
            store.close()
        if as_json:
            rows = [asdict(r) | {"date": r.date.isoformat(), "sync": r.sync, "scores": r.scores} for r in page.rows]
            for r in rows:
                r.pop("scores_json")
            typer.echo(json.dumps({"total": page.total, "offset": offset, "rows": rows}, indent=1))
            return
        typer.echo(f"{page.total} cases; showing {offset + 1 if page.rows else 0}-{offset + len(page.rows)}")
        for r in page.rows:
            when = r.date.strftime("%Y-%m-%d %H:%M") + (" (host)" if r.date_source == "host" else "")
            typer.echo(f"{when:<23} {r.device_id}/{r.case_id:<14} {r.operator or '-':<18} {r.vessel or '-':<9} "
                       f"{r.techniques or '-':<22} {r.outcome:<8} {r.sync}")

    @app.command("case")
    def case_cmd(
        case_id: str = typer.Argument(..., help="The panel's case id."),
        device: str = typer.Option(None, help="The panel's device id (needed when two panels have that case id)."),
        as_json: bool = typer.Option(False, "--json", help="Print the whole detail as JSON."),
        db: str = typer.Option(None, help=DB_HELP),
    ):
        """One case in full: timeline with per-step durations, findings, every score with its basis, outcome."""
        from bedside.casetext import render
        from bedside.store import StoreError
        from bedside.store.summaries import case_detail, list_cases

        store = open_store(db)
        try:
            if device is None:
                matches = {(r.device_id, r.case_id) for r in list_cases(store, case_id, limit=1000).rows
                           if r.case_id == case_id}
                if len(matches) != 1:
                    fail(f"no case {case_id!r}" if not matches else
                         f"case {case_id!r} is on several panels: give --device")
                device = matches.pop()[0]
            detail = case_detail(store, device, case_id)
        except StoreError as e:
            fail(str(e))
        finally:
            store.close()
        typer.echo(json.dumps(detail, indent=1, ensure_ascii=False, default=str) if as_json else render(detail),
                   nl=as_json)

    @app.command("nurse")
    def nurse_cmd(
        kind: str = typer.Argument(..., help="contrast_ml, fluoro_min, dose_mgy, device, complication or note."),
        device: str = typer.Option(..., help="The panel's device id."),
        case: str = typer.Option(..., help="The panel's case id (the case may not be synced yet)."),
        by: str = typer.Option(..., help="Who makes the entry."),
        value: float = typer.Option(None, help="ml, min or mGy."),
        total: bool = typer.Option(False, "--total", help="The value is a running total read off the machine."),
        item: str = typer.Option(None, help="Device name, or complication id."),
        lot: str = typer.Option(None, help="Lot number of a device."),
        text: str = typer.Option(None, help="Text of a note (or of an 'other' complication)."),
        db: str = typer.Option(None, help=DB_HELP),
    ):
        """Add a nurse entry to a case: contrast, fluoroscopy time, dose, a device with its lot, a complication, a note."""
        from bedside.store import StoreError
        from bedside.store.nurse import add_entry

        store = open_store(db)
        try:
            new_id = add_entry(store, device, case, kind, entered_by=by, value=value, is_total=total, item=item,
                               lot=lot, text=text)
        except StoreError as e:
            fail(str(e))
        finally:
            store.close()
        typer.echo(f"nurse entry {new_id} added to case {case} of panel {device}")

    @app.command("report")
    def report_cmd(
        db: str = typer.Option(None, help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ):
        """Each score against technical success on this lab's cases (by category, AUC); time, fluoro, contrast."""
        from bedside.reports import render_text, report

        store = open_store(db)
        try:
            rep = report(store)
        finally:
            store.close()
        typer.echo(json.dumps(rep, indent=1, ensure_ascii=False) if as_json else render_text(rep), nl=as_json)

    @app.command("export")
    def export_cmd(
        fmt: str = typer.Option(..., "--format", "-f", help="csv (a directory of cases/events/scores.csv), json or fhir."),
        out: str = typer.Option(..., "--out", "-o", help="Directory (csv) or file (json, fhir) to write."),
        deidentify: bool = typer.Option(False, "--deidentify",
                                        help="No names, free text or ids; dates reduced to the year (see README)."),
        db: str = typer.Option(None, help=DB_HELP),
    ):
        """Export every case as CSV, JSON or an HL7 FHIR bundle (validated with fhir.resources' R4B models)."""
        from bedside.export import FORMATS, write

        if fmt not in FORMATS:
            fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        store = open_store(db)
        try:
            paths = write(store, fmt, out, deidentify)
        except OSError as e:
            fail(f"cannot write {out}: {e.strerror or e}")
        finally:
            store.close()
        for p in paths:
            typer.echo(str(p))

    from bedside.cli_errors import Typer

    ops = Typer(help="Operators: list (the default), add, push to a panel.", no_args_is_help=False)
    app.add_typer(ops, name="operators")

    def _list(db: str | None, as_json: bool) -> None:
        from bedside.operators import profiles
        from panel.content.outcomes import TECH_SUCCESS_DEFS

        store = open_store(db)
        try:
            items = profiles(store)
        finally:
            store.close()
        if as_json:
            typer.echo(json.dumps([asdict(p) | {"last_year_success_pct": p.last_year_success_pct,
                                                "coverage": p.coverage} for p in items],
                                  indent=1, default=str))
            return
        if not items:
            typer.echo("no operators yet: bedside operators add NAME --start-year YEAR")
        for p in items:
            def show(v):
                return "unknown" if v is None else v
            pct = "" if p.last_year_success_pct is None else f" ({p.last_year_success_pct} %)"
            typer.echo(f"{p.operator_id:>4}  {p.name}: {p.cases} cases here, annual volume {show(p.annual_volume)}, "
                       f"years {show(p.years)}, last year {show(p.last_year_successes)}/{show(p.last_year_cases)} "
                       f"technical success{pct}, {p.last_year_unknown} with unknown outcome; "
                       f"{p.coverage or 'no case here'}")
            for gap in p.gaps:
                typer.echo(f"        unknown: {gap}")
        if items:  # the last-year success feeds operator-CTO's >=90 % item: say which definition each side uses
            typer.echo(f"technical success here: {TECH_SUCCESS_DEFS[0][2]} (as recorded at the panel); "
                       f"operator-CTO's >=90 % is the {TECH_SUCCESS_DEFS[1][1]}'s: {TECH_SUCCESS_DEFS[1][2]}")

    @ops.callback(invoke_without_command=True)
    def ops_main(ctx: typer.Context, db: str = typer.Option(None, help=DB_HELP),
                 as_json: bool = typer.Option(False, "--json", help="Print as JSON.")):
        """List operators with their profiles computed from the synced cases."""
        if ctx.invoked_subcommand is None:
            _list(db, as_json)

    @ops.command("list")
    def ops_list(db: str = typer.Option(None, help=DB_HELP),
                 as_json: bool = typer.Option(False, "--json", help="Print as JSON.")):
        """List operators with their profiles computed from the synced cases."""
        _list(db, as_json)

    @ops.command("add")
    def ops_add(name: str = typer.Argument(..., help="The operator's name."),
                start_year: int = typer.Option(None, help="First year of CTO-PCI practice."),
                db: str = typer.Option(None, help=DB_HELP)):
        """Enter an operator."""
        from bedside.operators import add
        from bedside.store import StoreError

        store = open_store(db)
        try:
            new_id = add(store, name, start_year)
        except StoreError as e:
            fail(str(e))
        finally:
            store.close()
        typer.echo(f"operator {new_id}: {name.strip()}")

    @ops.command("push")
    def ops_push(port: str = typer.Option(..., "--port", "-p", help="Serial port of the panel."),
                 db: str = typer.Option(None, help=DB_HELP)):
        """Send every operator's profile to a paired panel (for the operator-CTO score)."""
        from bedside.operators import push

        stored = on_panel(port, db, push)
        typer.echo(f"the panel stored {len(stored)} operator profiles")

    @app.command("samples")
    def samples_cmd(
        n: int = typer.Option(200, "--n", help="How many sample cases."),
        db: str = typer.Option(..., help=DB_HELP + " Use an empty one: the cases are invented."),
        seed: int = typer.Option(None, help="Another set of cases (default: the fixed seed)."),
    ):
        """Fill a database with invented sample cases (deterministic), for trying the app and the reports."""
        from bedside.samples import SEED, fill
        from bedside.store import StoreError

        if n < 1:
            fail("--n must be at least 1")
        store = open_store(db)
        try:
            done = fill(store, n, SEED if seed is None else seed)
        except StoreError as e:
            fail(str(e))
        finally:
            store.close()
        typer.echo(f"{done['cases']} sample cases ({done['events']} events, {done['operators']} operators) in {db}")

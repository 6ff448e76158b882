"""The `bedside` subcommands over the synced cases: report, export, operators, samples (registered by cli.py)."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

DB_HELP = "Database URL (sqlite:///FILE or postgresql+psycopg://...). Default: SQLite in the user data dir."


def register(app: typer.Typer, open_store, fail) -> None:
    """Add report, export, operators and samples to `app`; open_store(db) opens a Store, fail(msg) exits 1."""

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

    ops = typer.Typer(help="Operators: list (the default), add, push to a panel.", no_args_is_help=False)
    app.add_typer(ops, name="operators")

    def _list(db: str | None, as_json: bool) -> None:
        from bedside.operators import profiles

        store = open_store(db)
        try:
            items = profiles(store)
        finally:
            store.close()
        if as_json:
            typer.echo(json.dumps([asdict(p) | {"last_year_success_pct": p.last_year_success_pct} for p in items],
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
                       f"technical success{pct}, {p.last_year_unknown} with unknown outcome")

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
        from bedside.link import LinkError, PanelLink
        from bedside.operators import push
        from bedside.pairing import HostStore, PairingError

        store = open_store(db)
        try:
            with PanelLink(port) as link:
                stored = push(link, HostStore(), store)
        except (LinkError, PairingError) as e:
            fail(str(e))
        finally:
            store.close()
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

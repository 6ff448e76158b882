"""The `bedside` command: every action of the workstation, headless."""

from __future__ import annotations

import json
import signal
import sys
import time

import typer

from bedside.cli_errors import Typer, fail, printable
from bedside.link import LinkError, PanelLink
from bedside.sim import DEFAULT_HEAP, PAIR_A_HOST, PanelDied, PanelSim

app = Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Bedside: the workstation side of the cath-lab bedside assistant.",
)

PORT_HELP = "Serial port of the panel: a board's /dev/ttyACM0, or the path `bedside panel-sim` printed."


_fail = fail  # error: one line, exit 1 (bedside.cli_errors: every command runs under its one error path)


def describe(reply: dict) -> str:
    """One line naming the panel from its handshake reply (what the panel sent, escaped where a terminal would act)."""
    return printable(
        f"panel {reply['device_id']}: firmware {reply['firmware']}, protocol v{reply['version']}, "
        f"clinical content {reply['content']}, max frame {reply['max_frame']} bytes"
    )


@app.command("panel-sim")
def panel_sim(
    flash: str = typer.Option(None, help="Flash image file (kept between runs). Default: in the user data dir."),
    heap: str = typer.Option(DEFAULT_HEAP, help="MicroPython heap, e.g. 128wK (the board's budget; see make bench)."),
    touch: str = typer.Option(None, help="JSON file of presses [[t_ms, x, y], ...] to replay."),
):
    """Start the simulated panel (the real firmware on MicroPython) and print its serial port."""
    from bedside.paths import user_data_dir

    if flash is None:
        flash = str(user_data_dir() / "panel-sim-flash.img")
    try:
        sim = PanelSim(flash=flash, heap=heap, touch_script=touch)
    except ValueError as e:
        _fail(str(e))
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    try:
        sim.start().wait_ready()
        typer.echo(sim.port)
        typer.echo(f"simulated panel running (flash {sim.flash}, log {sim.log_path}); Ctrl-C stops it", err=True)
        x, y = PAIR_A_HOST
        typer.echo(f"its touch: write presses 'x y' to {sim.control}; to open pairing (Pair a host on its home "
                   f"screen): echo '{x} {y}' >> {sim.control}, then the code is in the log", err=True)
        while not stop:
            sim.check_alive()
            time.sleep(0.2)
    except PanelDied as e:
        _fail(str(e))
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()


@app.command("hello")
def hello(
    port: str = typer.Option(..., "--port", "-p", help=PORT_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the handshake reply as JSON."),
    timeout: float = typer.Option(1.0, help="Seconds to wait for each answer."),
):
    """Connect to a panel, perform the handshake and print its answer."""
    try:
        with PanelLink(port, timeout=timeout) as link:
            reply = link.hello()
    except LinkError as e:
        _fail(str(e))
    typer.echo(json.dumps(reply, sort_keys=True) if as_json else describe(reply))


app.command("connect", help="Same as `hello`.")(hello)


@app.command("ping")
def ping(
    port: str = typer.Option(..., "--port", "-p", help=PORT_HELP),
    count: int = typer.Option(4, help="Number of pings."),
):
    """Ping a panel and print round-trip times and its link counters."""
    try:
        with PanelLink(port) as link:
            link.hello()
            for i in range(count):
                t0 = time.perf_counter()
                reply = link.ping(i.to_bytes(4, "big"))
                ms = (time.perf_counter() - t0) * 1000
                typer.echo(f"pong {i}: {ms:.2f} ms (panel: {reply['rx_frames']} frames, {reply['rx_dropped']} dropped)")
    except LinkError as e:
        _fail(str(e))


SHOWN = 10  # warnings and failures a sync prints; the audit log keeps them
DB_HELP = "Database URL (sqlite:///FILE or postgresql+psycopg://...). Default: SQLite in the user data dir."


def _store(db: str | None):
    from bedside.store import Store

    return Store(db or Store.default_url())


def _on_panel(port: str, db: str | None, talk):
    """talk(link, this workstation's pairing keys, store) with the panel on `port` and the database `db` open;
    its result, or a plain error (exit 1) when the link or the pairing fails. The database is closed after."""
    from bedside.pairing import HostStore, PairingError

    store = _store(db)
    try:
        with PanelLink(port) as link:
            return talk(link, HostStore(), store)
    except (LinkError, PairingError) as e:
        _fail(str(e))
    finally:
        store.close()


@app.command("pair")
def pair_cmd(
    port: str = typer.Option(..., "--port", "-p", help=PORT_HELP),
    code: str = typer.Option(None, help="The code the panel shows (asked for when not given)."),
    db: str = typer.Option(None, help=DB_HELP),
):
    """Pair this workstation with a panel: open pairing on the panel (Pair a host), then it shows a code to type here."""
    from bedside.sync import pair

    def read_code(device_id: str) -> str:
        if code:
            return code
        return typer.prompt(f"Code shown on panel {device_id}")

    device_id = _on_panel(port, db, lambda link, keys, store: pair(link, keys, read_code, store))
    typer.echo(f"paired with panel {device_id}")


@app.command("unpair")
def unpair_cmd(
    port: str = typer.Option(..., "--port", "-p", help=PORT_HELP),
    db: str = typer.Option(None, help=DB_HELP),
):
    """Remove this workstation's key from a panel (and from this workstation)."""
    from bedside.sync import unpair

    device_id = _on_panel(port, db, unpair)
    typer.echo(f"unpaired from panel {device_id}")


@app.command("sync")
def sync_cmd(
    port: str = typer.Option(..., "--port", "-p", help=PORT_HELP),
    db: str = typer.Option(None, help=DB_HELP),
    attempts: int = typer.Option(3, help="Reconnect and resume this many times if the link is lost."),
):
    """Copy every case on the panel into the database; resumes where a broken sync stopped.

    Exit status: 0 when every case is synced; 1 when something was not (each said on one line:
    `error: ...`); 130 after Ctrl-C (the events stored so far stay, the next sync resumes).
    A value from the panel the host cannot keep is stored as unknown and said (`warning: ...`).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from bedside.pairing import HostStore, PairingError
    from bedside.sync import SyncInterrupted, sync_port

    store = _store(db)
    try:
        with Progress(TextColumn("syncing"), BarColumn(), MofNCompleteColumn(), TextColumn("events"),
                      transient=True) as bar:
            task = bar.add_task("sync", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            summary = sync_port(port, store, HostStore(), attempts, progress)
    except (LinkError, PairingError) as e:
        _fail(str(e))
    except SyncInterrupted as e:
        s = e.summary
        stored = s.new if s.stored is None else s.stored
        typer.echo(f"sync interrupted (Ctrl-C): {stored} new events stored from {len(s.cases)} case(s) of panel "
                   f"{s.device_id}; the sync session is marked interrupted; run `bedside sync` again to resume",
                   err=True)
        raise typer.Exit(130) from None
    except KeyboardInterrupt:
        typer.echo("sync interrupted (Ctrl-C) before any event was stored; run `bedside sync` again", err=True)
        raise typer.Exit(130) from None
    finally:
        store.close()
    typer.echo(f"panel {summary.device_id}: {len(summary.cases)} cases, {summary.new} new events, "
               f"{summary.duplicate} already held, {summary.round_trips} round trips")
    for c in summary.cases:
        state = "closed" if c.closed else "open"
        typer.echo(f"  case {c.case_id} ({state}): {c.events} events, {c.new} new")
    for w in summary.warnings[:SHOWN]:
        typer.echo(f"warning: {printable(w)}", err=True)
    for f in summary.failures[:SHOWN]:
        typer.echo(f"error: {printable(f)}", err=True)
    hidden = max(0, len(summary.warnings) - SHOWN) + max(0, len(summary.failures) - SHOWN)
    if hidden:
        typer.echo(f"warning: {hidden} more not shown (the audit log keeps the first ones)", err=True)
    if summary.failures:
        raise typer.Exit(1)


@app.command("screens")
def screens_cmd(
    out: str = typer.Option(..., "--out", help="Directory for the PNG files (created if missing)."),
) -> None:
    """Render every panel screen of a scripted walkthrough to PNG files (the real firmware, driven by touch)."""
    from pathlib import Path

    from bedside.screens import run_walkthrough

    try:
        log = run_walkthrough(Path(out))
    except RuntimeError as e:
        _fail(str(e))
    snaps = [e for e in log if "snap" in e]
    for e in snaps:
        typer.echo(f"{out}/{e['snap']}.png  {e['title']}")
    typer.echo(f"{len(snaps)} screens written to {out}")


@app.command("score")
def score(
    json_file: str = typer.Argument("-", help="JSON file of findings (`-`, the default, reads standard input)."),
    as_json: bool = typer.Option(False, "--json", help="Print every score with its basis as JSON (for machines)."),
):
    """Evaluate findings with the panel's scoring engine; print every score with its basis as a table (or JSON)."""
    from bedside.scores import InputError, parse, render_text, score_report

    try:
        text = sys.stdin.read() if json_file == "-" else open(json_file, encoding="utf-8").read()
    except OSError as e:
        _fail(f"cannot read {json_file}: {e.strerror}")
    except UnicodeDecodeError as e:
        _fail(f"{json_file} is not UTF-8 text: {e.reason} at byte {e.start}")
    try:
        report = score_report(parse(text, json_file))
    except InputError as e:
        _fail(str(e))
    typer.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json else render_text(report), nl=as_json)


@app.command("app")
def app_cmd(
    db: str = typer.Option(None, help=DB_HELP),
    port: str = typer.Option(None, "--port", "-p", help=PORT_HELP + " Optional: the app lists the ports it finds."),
    screen: str = typer.Option("cases", help="First screen: cases, live, connect, reports, operators, export."),
    user: str = typer.Option(None, help="Who enters nurse entries on this workstation (default: the login name)."),
):
    """The Textual workstation: follow the case live, sync, read cases, reports and exports."""
    from bedside.app import AppContext, BedsideApp
    from bedside.pairing import HostStore

    if screen not in BedsideApp.MODES:
        _fail(f"no screen {screen!r}: choose one of {', '.join(BedsideApp.MODES)}")
    store = _store(db)
    try:
        ctx = AppContext(store=store, hosts=HostStore(), port=port)
        if user:
            ctx.user = user
        BedsideApp(ctx, start=screen).run()
    finally:
        store.close()


@app.command("demo")
def demo(
    speed: int = typer.Option(200, help="How many times faster than real time the scripted case plays."),
    db: str = typer.Option(None, help="Database to sync into. Default: a fresh SQLite file for the demo."),
    headless: bool = typer.Option(False, "--headless", help="Print the case as it happens instead of opening the app."),
):
    """The simulated panel plays a wires-hand-in-hand case; this host pairs, follows it live, then syncs it.

    Opens the workstation app on the live screen (on a terminal); --headless, or no terminal, prints instead.
    """
    if not headless and sys.stdout.isatty() and sys.stdin.isatty():
        from bedside.app.demo import run_demo

        try:
            run_demo(speed, db, echo=typer.echo)
        except (LinkError, PanelDied) as e:
            _fail(str(e))
        return
    import tempfile
    from pathlib import Path

    from bedlink.mpack import unpack
    from bedside.pairing import HostStore
    from bedside.scenarios import whih_case, write
    from bedside.store import Store
    from bedside.sync import authenticate, pair, sync

    work = Path(tempfile.mkdtemp(prefix="bedside-demo-"))
    script = write(whih_case(), work / "whih.jsonl")
    store = Store(db or f"sqlite:///{work / 'demo.db'}")
    hosts = HostStore(work / "pairing.json", host_name="demo workstation")
    typer.echo("starting the simulated panel (the real firmware on the MicroPython unix port) ...")
    try:
        with PanelSim(workdir=work / "panel", play=script, speed=speed) as sim:
            sim.wait_ready()
            typer.echo(f"panel is on {sim.port}; it plays a wires-hand-in-hand case at {speed}x")
            sim.open_pairing()  # the person at the table opens pairing (the simulator's touch input)
            typer.echo("pairing opened on the panel (Pair a host), as the person at the table would")
            with PanelLink(sim.port) as link:
                typer.echo(describe(link.hello()))
                device_id = pair(link, hosts, lambda _d: _show_and_return(sim.pairing_code()), store)
                typer.echo(f"paired with {device_id}; following the case live (each tap as it is recorded):")
                authenticate(link, hosts, device_id, store)
                while "script played" not in sim.log_text():
                    sim.check_alive()
                    for frame in link.poll_pushed(wait=0.5):
                        for raw in frame["events"]:
                            typer.echo("  " + _event_line(unpack(raw)))
                for frame in link.poll_pushed(wait=0.5):
                    for raw in frame["events"]:
                        typer.echo("  " + _event_line(unpack(raw)))
            with PanelLink(sim.port) as link:
                summary = sync(link, store, hosts)
    except (LinkError, PanelDied) as e:
        _fail(str(e))
    finally:
        store.close()
    typer.echo(f"synced: {len(summary.cases)} case(s), {summary.new} events stored, {summary.round_trips} round trips")
    typer.echo(f"database: {db or work / 'demo.db'}")


def _show_and_return(code: str) -> str:
    typer.echo(f"the panel shows pairing code {code}; entering it on this host")
    return code


def _event_line(ev: dict) -> str:
    """One readable line for a live event."""
    detail = {k: v for k, v in ev.items() if k not in ("seq", "t", "k", "b")}
    shown = ", ".join(f"{k}={v}" for k, v in detail.items() if not isinstance(v, (dict, bytes)))
    return f"#{ev['seq']:<3} {ev['k']:<13} {shown}"


# report, export, operators, samples: the same services the app's screens call.
from bedside.cli_reports import register as _register_case_commands  # noqa: E402

_register_case_commands(app, _store, _fail, _on_panel)


def main():
    app()


if __name__ == "__main__":
    sys.exit(main())

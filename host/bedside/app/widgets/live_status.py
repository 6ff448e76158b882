"""The live case at a glance: technique and step with their times, the cautions in force at that step (as the
panel's runner shows them, here in full with the time each applied from), the clocks, the timers with alerts, the
tallies.

Renders a LiveCase.status() dict (bedside.casefile); computes nothing itself.
An alert is said in words and marked with a sign, not by colour alone.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from bedside.app.format import MISSING, duration, value, when


def status_table(status: dict, tallies: dict | None = None) -> Table:
    """The rows of the live panel for one status (and the nurses' tallies, when known)."""
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold", no_wrap=True)
    t.add_column()
    tech = status.get("technique")
    step = status.get("step")
    if status.get("case_id") is None:
        t.add_row("Case", "waiting for the panel to start or continue a case")
    else:
        state = "closed" if status.get("closed") else "in progress"
        t.add_row("Case", f"{status['case_id']} ({state}, {status['events']} events)")
    t.add_row("Procedure clock", Text(duration(status.get("procedure_ms")), style="bold")
              if status.get("procedure_ms") is not None else MISSING)
    t.add_row("Technique", f"{tech['title']} (attempt {tech['attempt']})" if tech else "none running")
    if step:
        label = f"step {step['step']}: " if step.get("step") else ""
        t.add_row("Current step", f"{label}{step['text']}")
        t.add_row("In this step", duration(step.get("elapsed_ms")))
    else:
        t.add_row("Current step", MISSING)
    for tm in status.get("timers", []):
        t.add_row(tm["label"], timer_text(tm))
    if not status.get("timers"):
        t.add_row("Wire-crossing timer", "not running")
    labels = {tm["timer"]: tm["label"] for tm in status.get("timers", [])}
    for a in status.get("alerts", [])[-3:]:
        t.add_row(Text("⚠ ALERT", style="bold reverse"),
                  f"{labels.get(a['timer'], a['timer'])} passed its limit after {duration(a.get('after_ms'))}")
    for c in status.get("cautions", []):  # under the alerts, which call for action now
        t.add_row(Text("Caution", style="bold reverse"), caution_text(c))
    figs = status.get("panel_figures") or {}
    tallies = tallies or {}
    t.add_row("Contrast", _tally(figs.get("contrast_ml"), tallies.get("contrast_ml"), lambda v: value(v, "ml")))
    t.add_row("Fluoroscopy", _tally(figs.get("fluoro_s"), tallies.get("fluoro_s"), lambda v: duration(v * 1000)))
    t.add_row("Dose (nurse)", value(tallies.get("dose_mgy"), "mGy"))
    if status.get("missing"):
        t.add_row("Missing", f"events {status['missing'][0]}..{status['missing'][-1]} not yet received "
                             "(the sync brings them)")
    t.add_row("Clock", "live (panel ticks + time since the last event)" if status.get("clock") == "live"
              else "as of the last event")
    return t


def caution_text(c: dict) -> Text:
    """A caution in force, in full, with the time it applied from: 'extraplaque: no atherectomy, … (from 10:04:12)'."""
    return Text(f"{c['text']} (from {when(c.get('since'))})")


def timer_text(tm: dict) -> Text:
    """'12:04 of 30:00' or, past the limit, a worded alert (bold, reversed and signed)."""
    shown = duration(tm.get("ms"))
    limit = duration(tm["limit_s"] * 1000) if tm.get("limit_s") else None
    base = f"{shown} of {limit}" if limit else shown
    if not tm.get("on"):
        base += " (stopped)"
    if tm.get("due") or tm.get("alerted"):
        return Text(f"⚠ LIMIT PASSED: {base}: reassess the strategy", style="bold reverse")
    return Text(base)


def _tally(panel: list | None, nurse, fmt) -> str:
    """The panel's figure and the nurses' tally side by side; missing when neither is known."""
    parts = []
    if panel:
        parts.append(f"panel {fmt(panel[-1]['value'])}")
    if nurse is not None:
        parts.append(f"nurse {fmt(nurse)}")
    return ", ".join(parts) if parts else MISSING


class LiveStatus(Static):
    """Shows one LiveCase.status(); call show() with each new status."""

    DEFAULT_CSS = """
    LiveStatus { height: auto; padding: 0 1; border: round $primary; }
    LiveStatus.alert { border: double $error; }
    """

    def show(self, status: dict, tallies: dict | None = None) -> None:
        alert = any(t.get("due") or t.get("alerted") for t in status.get("timers", [])) or bool(status.get("alerts"))
        self.set_class(alert, "alert")
        self.border_title = "⚠ Now — ALERT" if alert else "Now"
        self.update(status_table(status, tallies))


def step_times_table(techniques: list[dict], limit: int = 6) -> Table | Text:
    """The running (or last) technique's steps visited so far, with the time spent in each, latest last."""
    if not techniques:
        return Text("No technique checklist yet.")
    tech = techniques[-1]
    t = Table(title=f"Steps of {tech['title']}", title_justify="left", expand=True, show_edge=False, box=None)
    t.add_column("step")
    t.add_column("time", justify="right", width=8)
    t.add_column("status", width=14)
    visited = [st for st in tech["steps"] if st.get("visits")]
    for st in visited[-limit:]:
        status = st["status"] + (f": {st['option_label']}" if st.get("option_label") else "")
        t.add_row(st["text"], duration(st.get("time_ms")) if st.get("time_ms") is not None else "running", status)
    if not visited:
        t.add_row("no step finished yet", "", "")
    return t


class StepTimes(Static):
    """Shows step_times_table() of a casefile summary's techniques."""

    DEFAULT_CSS = "StepTimes { height: auto; max-height: 10; padding: 0 1; border-bottom: solid $primary; }"

    def show(self, techniques: list[dict]) -> None:
        self.update(step_times_table(techniques))

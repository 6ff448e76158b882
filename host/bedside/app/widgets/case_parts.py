"""The parts of a case's detail as Rich renderables, from summaries.case_detail() (bedside.store).

Nothing is computed here: every number comes from the casefile summary. Missing
stays missing; an item the clinical reference has not verified carries the one unverified mark.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from bedside.app.format import MISSING, duration, value, wall, when

CLOCKS = {
    "wall": "Times are wall-clock UTC (the panel's clock was set by a host during the case).",
    "relative": "Times are RELATIVE to the case start (+m:ss): the panel's clock was never set for this case.",
    "mixed": "Times are wall-clock UTC where the panel's clock was set, otherwise relative to the case start "
             "(+m:ss, marked rel).",
}


def header(d: dict) -> Table:
    s = d["summary"]
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold")
    t.add_column()
    op = d.get("host_operator") or (s.get("operator") or {}).get("name")
    t.add_row("Case", f"{d['case_id']} on panel {d['device_id']}" + (f", reference {d['reference']}"
                                                                        if d.get("reference") else ""))
    start = s.get("start") or {}
    t.add_row("Started", wall(start.get("wall_ms"), with_date=True) if start.get("wall_ms") is not None
              else "wall time unknown (relative times only)")
    t.add_row("Duration", duration(s.get("duration_ms")) + ("" if s.get("closed") else " (case not closed)"))
    t.add_row("Operator", op or MISSING)
    t.add_row("Vessel", s.get("vessel") or MISSING)
    sync = d.get("sync")
    if sync:
        t.add_row("Sync", f"{sync['stored']} of {sync['panel_events']} events on this workstation ({sync['state']})")
    if s.get("missing_from"):
        t.add_row("Missing", f"events from {s['missing_from']} are not on this workstation yet: sync the panel")
    if s.get("replay_error"):
        t.add_row("Replay", f"stopped at event {s['replay_error']['seq']}: {s['replay_error']['reason']}")
    t.add_row("Clock", CLOCKS.get(s.get("clock"), ""))
    return t


def timeline(s: dict) -> Table:
    """Every event with its time, time since start and, where it ended a step, how long the step took."""
    took: dict[int, list[int | None]] = {}
    for seg in s.get("segments", []):
        took.setdefault(seg["end"]["seq"], []).append(seg["ms"])
    t = Table(expand=True, show_edge=False)
    t.add_column("#", justify="right", width=4)
    t.add_column("time", width=14, no_wrap=True)
    t.add_column("since start", width=11, no_wrap=True)
    t.add_column("step took", width=9, no_wrap=True)
    t.add_column("event")
    for r in s.get("timeline", []):
        steps = took.get(r["seq"])
        t.add_row(str(r["seq"]), when(r), duration(r.get("rel_ms")),
                  ", ".join(duration(ms) for ms in steps) if steps else "",
                  r["text"] + (" (undone)" if r.get("undone") else ""))
    return t


def steps(s: dict) -> Group:
    """Each technique run with its steps, the time spent in each, its timers and its cautions (from when)."""
    parts = []
    if not s.get("techniques"):
        parts.append(Text("No technique checklist was run in this case."))
    for tech in s.get("techniques", []):
        end = tech.get("end_label") or ("running" if tech.get("end") is None else tech.get("end_id"))
        parts.append(Text(f"{tech['title']}: {duration(tech.get('ms'))}, {end}", style="bold"))
        t = Table(expand=True, show_edge=False)
        t.add_column("step", width=5)
        t.add_column("item")
        t.add_column("status", width=10)
        t.add_column("time", width=8)
        t.add_column("visits", width=6)
        for st in tech["steps"]:
            status = st["status"] + (f": {st['option_label']}" if st.get("option_label") else "")
            t.add_row("" if st.get("step") is None else str(st["step"]), st["text"], status,
                      duration(st.get("time_ms")) if st.get("visits") else MISSING, str(st.get("visits", 0)))
        parts.append(t)
        for c in tech.get("cautions", []):
            again = f", attempt {c['attempt']}" if c.get("attempt", 1) > 1 else ""
            parts.append(Text(f"  Caution from {when(c.get('since'))}{again}: {c['text']}"))
        for tm in tech.get("timers", []):
            alerts = "; ".join(f"ALERT after {duration(a['after_ms'])} at {when(a)}" for a in tm.get("alerts", []))
            parts.append(Text(f"  Timer {tm['label']}: {duration(tm.get('ms'))} of "
                              f"{duration((tm.get('limit_s') or 0) * 1000)}"
                              f"{' (still running)' if tm.get('stop') is None else ''}"
                              + (f" — ⚠ {alerts}" if alerts else "")))
        parts.append(Text(""))
    for sc in s.get("strategy", []):
        parts.append(Text(f"Strategy change at event {sc['seq']}: {sc['from']} → {sc['to'] or 'none'} ({sc['why']})"))
    return Group(*parts)


def findings(s: dict) -> Group:
    t = Table(expand=True, show_edge=False)
    t.add_column("finding")
    t.add_column("answer")
    t.add_column("source", width=10)
    for f in s.get("findings", []):
        v = f["value"]
        t.add_row(f["label"], value(v, f.get("unit") or ""), f.get("source") or "panel")
    n = len(s.get("unanswered", []))
    note = Text(f"{n} finding(s) not answered: they are unknown, not 'no' (scores that need them are ranges).")
    return Group(t, note)


def scores(s: dict) -> Group:
    """Every score as the panel shows it (bedside.scores.basis_lines): its total or range and what is true of its
    category, each rate with its endpoint and cohort, the strategy, the basis of each point, the source."""
    from bedside.scores import basis_lines
    from panel.scoretext import UNVERIFIED

    op = s.get("operator") or {}
    coverage = op.get("coverage") if op.get("source", "host") == "host" else None
    styles = {"head": "bold", "line": "", "source": "dim"}
    parts = []
    for sc in s.get("scores", []):
        parts += [Text(text, style=styles[kind]) for text, kind in basis_lines(sc, coverage)]
        parts.append(Text(""))
    parts.append(Text(f"{UNVERIFIED}: not confirmed by the clinical reference; not established fact", style="dim"))
    return Group(*parts)


def outcome(d: dict) -> Group:
    s = d["summary"]
    o = s["outcome"]
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold")
    t.add_column()
    for key, label in (("technical_success", "Technical success"), ("device_success", "Device success"),
                       ("in_hospital_mace", "In-hospital MACE"), ("procedural_success", "Procedural success")):
        v = o[key]
        t.add_row(label, f"{v['value'] or 'not recorded'}" + (f" ({v['source']})" if v.get("source") else ""))
    t.add_row("Complications", ", ".join(c["text"] for c in o["complications"]) or "none recorded on the panel")
    figs = d.get("figures", {})
    for key, label, show in (("procedure_s", "Procedure time", lambda v: duration(v * 1000)),
                             ("fluoro_s", "Fluoroscopy", lambda v: duration(v * 1000)),
                             ("contrast_ml", "Contrast", lambda v: f"{v} ml"),
                             ("dose_mgy", "Dose", lambda v: f"{v} mGy")):
        f = figs.get(key) or {}
        if f.get("value") is None:
            t.add_row(label, MISSING)
        else:
            others = [a for a in f.get("all", [])[1:]]
            more = "; also " + ", ".join(f"{show(a['value'])} ({a['source']})" for a in others) if others else ""
            t.add_row(label, f"{show(f['value'])} ({f['source']}){more}")
    notes = [Text(f"Note (event {n['seq']}): {n['text']}") for n in s.get("notes", [])]
    return Group(t, *notes)


def nurse_entries(entries: list[dict]) -> Table | Text:
    if not entries:
        return Text("No nurse entries for this case.")
    t = Table(expand=True, show_edge=False)
    t.add_column("entered", width=20, no_wrap=True)
    t.add_column("by", width=14)
    t.add_column("what")
    for e in entries:
        t.add_row(e["entered_at"][:19].replace("T", " ") + " UTC", e["entered_by"], entry_text(e))
    return t


def entry_text(e: dict) -> str:
    """One nurse entry in words."""
    kind = e["kind"]
    total = " (running total)" if e.get("is_total") else ""
    if kind == "contrast_ml":
        return f"Contrast {e['value']:g} ml{total}"
    if kind == "fluoro_min":
        return f"Fluoroscopy {e['value']:g} min{total}"
    if kind == "dose_mgy":
        return f"Dose {e['value']:g} mGy{total}"
    if kind == "device":
        return f"Device {e['item']}" + (f", lot {e['lot']}" if e.get("lot") else ", lot not entered")
    if kind == "complication":
        return f"Complication: {e['item']}" + (f" ({e['text']})" if e.get("text") else "")
    return f"Note: {e.get('text')}"

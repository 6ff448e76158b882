"""A case's detail as plain text (the `bedside case` command): what the case-detail screen shows, for a terminal.

Times are labelled honestly: wall-clock times (UTC) only where the panel's clock was set
for that boot, else "+h:mm:ss" from the case's start, and "?" where neither is known.

Public API: duration(ms) -> str; moment(at) -> str; render(detail) -> str (detail from store.summaries.case_detail).
"""

from __future__ import annotations

from datetime import datetime, timezone


def _printable(line: str) -> str:
    """A line with the characters a terminal would act on (escapes, bidi overrides, NUL) shown as \\x.. escapes:
    notes and reasons come from the panel and may hold anything."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in line)


def duration(ms: int | None) -> str:
    """1:02:03 or 2:03 (min:s); "?" when unknown."""
    if ms is None:
        return "?"
    s = ms // 1000
    h, m, sec = s // 3600, s // 60 % 60, s % 60
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def moment(at: dict | None) -> str:
    """A time {"rel_ms", "wall_ms"}: the wall clock when known, else relative to the start."""
    if at is None:
        return "?"
    if at.get("wall_ms") is not None:
        return datetime.fromtimestamp(at["wall_ms"] / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    if at.get("rel_ms") is not None:
        return "+" + duration(at["rel_ms"])
    return "?"


def _score_lines(sc: dict) -> list[str]:
    """One score: its total, range or grade and what is true of its category in words (bedside.scores)."""
    from bedside.scores import summary_lines
    from panel.scoretext import total_text

    lines = summary_lines(sc)
    if sc["applicable"] is False:
        return [f"  {sc['name']}: {lines[0]}"] + [f"    {x}" for x in lines[1:]]
    total = total_text(sc)
    value = f"grade {total}" if sc.get("grade") else total
    return [f"  {sc['name']}: {value} — {lines[0]}"] + [f"    {x}" for x in lines[1:]]


def _operator(s: dict) -> list[str]:
    """Where the operator facts of operator-CTO came from (the workstation's records, with what they cover)."""
    op = s.get("operator") or {}
    if not op:
        return []
    src = "from the workstation's records" if op.get("source") == "host" else "entered by hand"
    cover = f": {op['coverage']}" if op.get("coverage") else ""
    return [f"  operator facts for operator-CTO {src}{cover}"]


def render(detail: dict) -> str:
    from panel.scoretext import answer_text

    s = detail["summary"]
    clock = {"wall": "wall clock (UTC)", "relative": "relative to the case's start (the panel's clock was not set)",
             "mixed": "wall clock where the panel's clock was set, else relative to the start"}[s["clock"]]
    out = [f"Case {detail['case_id']} of panel {detail['device_id']}"
           + (f", reference {detail['reference']}" if detail["reference"] else ""),
           f"  start {moment(s['start'])}; end {moment(s['end'])}; duration {duration(s['duration_ms'])}; "
           f"times: {clock}",
           f"  operator: {detail['host_operator'] or (s['operator'] or {}).get('name') or 'unknown'}; "
           f"vessel: {s['vessel'] or 'unknown'}; {'closed' if s['closed'] else 'open'}; {s['events']} events"]
    if detail["sync"]:
        out.append(f"  sync: {detail['sync']['stored']} of {detail['sync']['panel_events']} events on the host")
    if s["replay_error"]:
        out.append(f"  replay stopped at event {s['replay_error']['seq']}: {s['replay_error']['reason']}")
    if s["missing_from"]:
        out.append(f"  events from {s['missing_from']} on are not here yet")
    out.append("Findings:")
    out += [f"  {answer_text(f['id'], f['value'], f['source'])}" for f in s["findings"]] or ["  none entered"]
    out.append("Scores (a range while findings are missing; (unverified): not confirmed by the clinical reference):")
    out += [line for sc in s["scores"] for line in _score_lines(sc)]
    out += _operator(s)
    for t in s["techniques"]:
        out.append(f"Technique: {t['title']} — {t['end_label'] or 'not ended'}; {duration(t['ms'])}"
                   + (f"; {len(t['attempts'])} earlier attempt(s)" if t["attempts"] else ""))
        for st in t["steps"]:
            if st["status"] == "branch_skipped" and not st["visits"]:
                continue
            answer = st["option_label"] or ""
            out.append(f"  {st['step'] or '-':>2} {st['text']:<38} {st['status']:<8} {duration(st['time_ms']):>8}"
                       + (f"  {answer}" if answer else ""))
        for c in t.get("cautions", []):  # every caution that applied, from when (the first attempt it applied in)
            again = f" (attempt {c['attempt']})" if c["attempt"] > 1 else ""
            out.append(f"  caution from {moment(c['since'])}{again}: {c['text']}")
        for tm in t["timers"]:
            alert = f"; ALERT after {duration(tm['alerts'][0]['after_ms'])}" if tm["alerts"] else ""
            out.append(f"  timer {tm['label']}: {duration(tm['ms']) if tm['stop'] else 'running'}{alert}")
    o = s["outcome"]
    out.append("Outcome:")
    for key in ("technical_success", "device_success", "in_hospital_mace", "procedural_success"):
        v = o[key]
        out.append(f"  {key.replace('_', ' ')}: {v['value'] or 'unknown'}" + (f" ({v['source']})" if v["value"] else ""))
    if o["complications"]:
        out.append("  complications: " + ", ".join(c["text"] for c in o["complications"]))
    out.append("Figures (first source shown; others in brackets):")
    for key, label, unit, scale in (("procedure_s", "procedure time", "min", 60), ("fluoro_s", "fluoroscopy", "min", 60),
                                    ("contrast_ml", "contrast", "ml", 1), ("dose_mgy", "dose", "mGy", 1)):
        f = detail["figures"][key]
        if f["value"] is None:
            out.append(f"  {label}: unknown")
            continue
        rest = "; ".join(f"{a['source']}: {round(a['value'] / scale, 1)}" for a in f["all"][1:])
        out.append(f"  {label}: {round(f['value'] / scale, 1)} {unit} ({f['source']})" + (f" [{rest}]" if rest else ""))
    if detail["nurse_entries"]:
        out.append("Nurse entries:")
        for e in detail["nurse_entries"]:
            what = " ".join(str(x) for x in (e["value"], e["item"], e["lot"] and f"lot {e['lot']}", e["text"]) if x)
            out.append(f"  {e['entered_at']} {e['entered_by']}: {e['kind']} {what}"
                       + (" (running total)" if e["is_total"] else ""))
    out.append("Timeline:")
    for r in s["timeline"]:
        out.append(f"  #{r['seq']:<4} {moment(r):>23}  {r['text']}" + ("  [undone]" if r["undone"] else ""))
    return "\n".join(_printable(line) for text in out for line in str(text).split("\n")) + "\n"

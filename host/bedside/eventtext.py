"""One readable line per case event, in the words of the panel's content (labels, item texts, units)."""

from __future__ import annotations

from panel.checklist import CASE, fmt, is_pick
from panel.content.checklists import INDEX, load
from panel.content.findings import FINDINGS
from panel.content.outcomes import COMPLICATIONS, OUTCOMES

_FINDINGS = {f[0]: f for f in FINDINGS}
_OUTCOMES = {o[0]: o for o in OUTCOMES}
_TITLES = {cid: title for cid, title, _m in INDEX}


def checklist_title(cid: str | None) -> str | None:
    """The title of checklist `cid` (the id itself if the content has no such checklist)."""
    return None if cid is None else _TITLES.get(cid, cid)


def item_of(cid: str | None, iid: str | None) -> dict | None:
    """The item dict of item `iid` of checklist `cid`, or None."""
    if cid is None or iid is None:
        return None
    try:
        items = load(cid)["items"]
    except ValueError:
        return None
    for it in items:
        if it["id"] == iid:
            return it
    return None


def _choice_label(entry, value) -> str:
    for opt, label in entry[4]:
        if opt == value:
            return label
    return str(value)


def answer_text(entry, value) -> str:
    """A finding's or outcome's answer as people read it: a choice label, a number with its unit."""
    if value is None:
        return "unknown"
    kind = entry[1]
    if kind == "choice":
        return _choice_label(entry, value)
    if kind == "int":
        return f"{value} {entry[4][0]}"
    return str(value)


def finding_text(fid: str, value) -> str:
    entry = _FINDINGS.get(fid)
    if entry is None:
        return f"{fid}: {value}"
    return f"{entry[2]}: {answer_text(entry, value)}"


def outcome_text(oid: str, value) -> str:
    entry = _OUTCOMES.get(oid)
    if entry is None:
        return f"{oid}: {value}"
    if oid == "complication":
        return "Complication: " + dict(COMPLICATIONS).get(value, str(value))
    return f"{entry[2]}: {answer_text(entry, value)}"


def measure_spec(cid: str | None, iid: str | None, mid: str):
    """The measure tuple of measure `mid` on item `iid` (or the checklist's case records), or None."""
    if cid is None:
        return None
    try:
        cl = load(cid)
    except ValueError:
        return None
    specs = cl.get("rec", ()) if iid == CASE else (item_of(cid, iid) or {}).get("m", ())
    for m in specs:
        if m[0] == mid:
            return m
    return None


def measure_text(cid: str | None, ev: dict) -> str:
    m = measure_spec(cid, ev.get("item"), ev.get("m"))
    val = ev.get("val")
    if m is None:
        shown = f"{ev.get('m')}: {val}"
    elif is_pick(m):
        shown = f"{m[1]}: " + dict(m[2]).get(val, str(val))
    else:
        shown = f"{m[1]}: {fmt(val, m[5])} {m[2]}"
    if ev.get("text"):
        shown += f" ({ev['text']})"
    return shown


def event_text(ev: dict, cid: str | None) -> str:
    """One line for event `ev` (decoded); `cid` is the checklist running when it was recorded."""
    k = ev.get("k")
    item = item_of(cid, ev.get("item"))
    item_t = item["t"] if item else ev.get("item")
    if k == "open":
        return f"Case opened (content {ev.get('cv')}, firmware {ev.get('fw')})"
    if k == "finding":
        return finding_text(ev.get("f"), ev.get("v"))
    if k == "profile":
        p = ev.get("p") or {}
        return f"Operator profile: {p.get('name', 'unnamed')} ({ev.get('src', 'host')})"
    if k == "score_viewed":
        return f"Score viewed: {ev.get('score')}"
    if k == "cl_start":
        return f"Started {checklist_title(ev.get('cl'))}"
    if k == "strategy":
        to = ev.get("to")
        return f"Strategy change to {checklist_title(to) if to else 'no checklist'}: {ev.get('why', '')}".rstrip(": ")
    if k == "confirm":
        return f"Done: {item_t}"
    if k == "decide":
        label = ev.get("opt")
        for o in (item or {}).get("o", ()):
            if o[0] == label:
                label = o[1]
        return f"{item_t}: {label}"
    if k == "measure":
        return measure_text(cid, ev)
    if k == "skip":
        return f"Skipped: {item_t} ({ev.get('why')}{', ' + ev['text'] if ev.get('text') else ''})"
    if k == "defer":
        return f"Deferred: {item_t}"
    if k in ("timer_start", "timer_stop"):
        return f"Timer {ev.get('timer')} {'started' if k == 'timer_start' else 'stopped'}"
    if k == "timer_alert":
        return f"ALERT: timer {ev.get('timer')} passed its limit"
    if k in ("abandon", "reset"):
        verb = "Abandoned" if k == "abandon" else "Reset"
        return f"{verb} ({ev.get('why')}{', ' + ev['text'] if ev.get('text') else ''})"
    if k == "note":
        return f"Note: {ev.get('text')}"
    if k == "outcome":
        return outcome_text(ev.get("o"), ev.get("v"))
    if k == "undo":
        return f"Undo of event {ev.get('ref')}"
    if k == "close":
        return "Case closed"
    return str(k)

"""Export the synced cases: CSV (cases, events, scores), JSON (everything), an HL7 FHIR bundle; optionally de-identified.

De-identification (deidentify=True) — the rule:
- no names: operators' and nurses' names, and the operator profile's name, are removed;
- no free text: notes, strategy-change reasons, "other" texts and nurse notes become
  "[removed]" (so the case still replays through the panel's engine), lot numbers go;
- no identifiers: panel (device) ids, the panel's case ids, boot ids and the host's
  reference are replaced by "case-1", "case-2", ... in date order, and boot 1, 2, ... per case;
- no dates: every date is reduced to its year; wall-clock times are dropped and only times
  relative to the case's start (and durations) are kept;
- ages of 90 and over are given as 90 (as HIPAA Safe Harbor aggregates them).
What stays: findings, scores, steps, relative times, outcomes, figures, device names.
This removes direct identifiers; it does not make a small series anonymous (a rare lesion on
a known day in a small lab can still point to a person): share exports as such data.

Public API: collect(store, deidentify=False) -> list of case records; write(store, fmt, out,
deidentify=False) -> [paths] with fmt csv (out is a directory: cases.csv, events.csv,
scores.csv), json or fhir (out is a file). The FHIR side is bedside.fhir.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

from bedside.casefile import as_event, span_ms, summarize
from bedside.store import nurse
from bedside.store.summaries import case_detail, list_cases

REMOVED = "[removed]"
FORMATS = ("csv", "json", "fhir")
FREE_TEXT = {"note": ("text",), "strategy": ("why",), "skip": ("text",), "abandon": ("text",),
             "reset": ("text",), "measure": ("text",)}


def _scrub_event(data: dict, pseudonym: str, boots: dict) -> dict:
    d = dict(data)
    if "b" in d:
        d["b"] = boots.setdefault(d["b"], len(boots) + 1)
    for key in FREE_TEXT.get(d["k"], ()):
        if d.get(key):
            d[key] = REMOVED
    if d["k"] == "open":
        d["case"] = pseudonym
    if d["k"] == "profile" and isinstance(d.get("p"), dict):
        d["p"] = {k: v for k, v in d["p"].items() if k not in ("name",)}
    if d["k"] == "finding" and d.get("f") == "age" and isinstance(d.get("v"), int) and d["v"] >= 90:
        d["v"] = 90
    return d


def _date(dt: datetime | None, deidentify: bool) -> str | None:
    if dt is None:
        return None
    return str(dt.year) if deidentify else dt.astimezone(timezone.utc).isoformat()


def collect(store, deidentify: bool = False) -> list[dict]:
    """Every case as one record: key, date, operator, summary, nurse entries, figures, events (date order).

    With deidentify the record follows the rule in the module docstring.
    """
    rows = []
    page_size, offset = 500, 0
    while True:
        page = list_cases(store, sort="date", descending=False, limit=page_size, offset=offset,
                          refresh=offset == 0)
        rows.extend(page.rows)
        offset += page_size
        if offset >= page.total:
            break
    out = []
    for n, row in enumerate(rows, 1):
        detail = case_detail(store, row.device_id, row.case_id)
        stored = store.events(row.device_id, row.case_id)
        entries = nurse.entries(store, row.device_id, row.case_id)
        if deidentify:
            name, boots = f"case-{n}", {}
            evs = [as_event(_scrub_event(as_event(e).data, name, boots)) for e in stored]
            summary = summarize(evs)
            nurse_rows = [{"kind": e.kind, "value": e.value, "is_total": e.is_total, "item": e.item,
                           "text": REMOVED if e.text else None, "entered": str(e.entered_at.year),
                           "at_seq": e.at_seq} for e in entries]
        else:
            name = row.case_id
            evs = [as_event(e) for e in stored]
            summary = detail["summary"]
            nurse_rows = detail["nurse_entries"]
        first = evs[0] if evs else None
        out.append({
            "case": name,
            "device_id": None if deidentify else row.device_id,
            "reference": None if deidentify else row.reference,
            "date": _date(row.date, deidentify), "date_source": row.date_source,
            "operator": None if deidentify else row.operator,
            "sync": row.sync, "row": row, "summary": summary, "nurse_entries": nurse_rows,
            "figures": detail["figures"],
            "events": [{"seq": e.seq, "kind": e.kind, "boot": e.boot, "ticks": e.ticks,
                        "wall_ms": None if deidentify else e.wall_ms,
                        "rel_ms": span_ms(first, e) if first else None, "fields": e.data} for e in evs],
            "deidentified": deidentify,
        })
    return out


CASE_COLUMNS = ("case", "device_id", "reference", "date", "date_source", "operator", "vessel", "techniques",
                "technical_success", "technical_success_source", "procedural_success", "complications",
                "procedure_s", "procedure_source", "fluoro_s", "fluoro_source", "contrast_ml", "contrast_source",
                "dose_mgy", "dose_source", "events", "closed", "sync")
EVENT_COLUMNS = ("case", "seq", "kind", "boot", "ticks", "wall_ms", "rel_ms", "text", "fields")
SCORE_COLUMNS = ("case", "score", "name", "total", "min", "max", "category", "complete", "missing", "unverified")


def case_row(rec: dict) -> dict:
    s, f = rec["summary"], rec["figures"]
    tech = s["outcome"]["technical_success"]
    return {
        "case": rec["case"], "device_id": rec["device_id"], "reference": rec["reference"], "date": rec["date"],
        "date_source": rec["date_source"], "operator": rec["operator"], "vessel": s["vessel"],
        "techniques": " ".join(t["checklist"] for t in s["techniques"]),
        "technical_success": tech["value"], "technical_success_source": tech["source"],
        "procedural_success": s["outcome"]["procedural_success"]["value"],
        "complications": " ".join(c["id"] for c in s["outcome"]["complications"]),
        "procedure_s": f["procedure_s"]["value"], "procedure_source": f["procedure_s"]["source"],
        "fluoro_s": f["fluoro_s"]["value"], "fluoro_source": f["fluoro_s"]["source"],
        "contrast_ml": f["contrast_ml"]["value"], "contrast_source": f["contrast_ml"]["source"],
        "dose_mgy": f["dose_mgy"]["value"], "dose_source": f["dose_mgy"]["source"],
        "events": s["events"], "closed": s["closed"], "sync": rec["sync"],
    }


def score_rows(rec: dict) -> list[dict]:
    out = []
    for sc in rec["summary"]["scores"]:
        cats = [c["label"] for c in sc["categories"]]
        out.append({
            "case": rec["case"], "score": sc["id"], "name": sc["name"],
            "total": sc.get("grade") if sc.get("grade") is not None else sc["total"],
            "min": sc["min"], "max": sc["max"], "category": " | ".join(cats), "complete": sc["complete"],
            "missing": " ".join(sc["missing"]), "unverified": "; ".join(sc["unverified"]),
        })
    return out


def event_rows(rec: dict) -> list[dict]:
    texts = {r["seq"]: r["text"] for r in rec["summary"]["timeline"]}
    return [{"case": rec["case"], "seq": e["seq"], "kind": e["kind"], "boot": e["boot"], "ticks": e["ticks"],
             "wall_ms": e["wall_ms"], "rel_ms": e["rel_ms"], "text": texts.get(e["seq"]),
             "fields": json.dumps(e["fields"], sort_keys=True, ensure_ascii=False)} for e in rec["events"]]


def _write_csv(path: Path, columns, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns)
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if r[k] is None else r[k] for k in columns})
    return path


def to_json(records: list[dict]) -> dict:
    """The JSON document: every case with its summary, nurse entries, figures and events."""
    cases = []
    for rec in records:
        cases.append({k: v for k, v in rec.items() if k != "row"} | {"row": case_row(rec)})
    return {"format": "bedside-export", "version": 1, "deidentified": bool(records and records[0]["deidentified"]),
            "cases": cases}


def write(store, fmt: str, out: str | Path, deidentify: bool = False) -> list[Path]:
    """Export every case in format `fmt` to `out`; returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"export format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    out = Path(out)
    records = collect(store, deidentify)
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        return [
            _write_csv(out / "cases.csv", CASE_COLUMNS, [case_row(r) for r in records]),
            _write_csv(out / "events.csv", EVENT_COLUMNS, [e for r in records for e in event_rows(r)]),
            _write_csv(out / "scores.csv", SCORE_COLUMNS, [s for r in records for s in score_rows(r)]),
        ]
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        doc = to_json(records)
    else:
        from bedside.fhir import bundle, validate

        doc = bundle(records)
        validate(doc)
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    return [out]

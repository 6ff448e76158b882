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

Streaming: records(store) reads the cases a page at a time (bedside.store.summaries.iter_cases)
and every writer writes each case as it comes, so memory stays flat however many cases there
are (make bench: peak memory at 1,000 and 10,000 cases). The JSON document and the FHIR bundle
hold one case (one entry) a line. A file is written beside its target
and renamed over it only when whole: a failed export leaves no half file and no older one
changed. The FHIR bundle is validated case by case (bedside.fhir.validate on each case's entries).

Public API: records(store, deidentify=False) -> iterator of case records; collect(store,
deidentify=False) -> list of them (small stores, tests); write(store, fmt, out, deidentify=False,
progress=None) -> [paths] with fmt csv (out is a directory: cases.csv, events.csv, scores.csv),
json or fhir (out is a file). ExportError: a case that does not make a valid FHIR resource.
"""

from __future__ import annotations

import csv
import gc
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from bedside.casefile import Ev, as_event, figures, span_ms, summarize
from bedside.panelvalues import jsonable
from bedside.store import nurse
from bedside.store.summaries import case_pages

REMOVED = "[removed]"
FORMATS = ("csv", "json", "fhir")
FREE_TEXT = {"note": ("text",), "strategy": ("why",), "skip": ("text",), "abandon": ("text",),
             "reset": ("text",), "measure": ("text",)}


def _scrub_event(ev: Ev, pseudonym: str, boots: dict) -> dict:
    d = dict(ev.data, seq=ev.seq)  # a stored row keeps its seq whatever its payload says
    if "b" in d:
        d["b"] = boots.setdefault(ev.boot, len(boots) + 1) if ev.boot is not None else None
    kind = ev.kind
    for key in FREE_TEXT.get(kind, ()):
        if d.get(key):
            d[key] = REMOVED
    if kind == "open":
        d["case"] = pseudonym
    if kind == "profile" and isinstance(d.get("p"), dict):
        d["p"] = {k: v for k, v in d["p"].items() if k not in ("name",)}
    if kind == "finding" and d.get("f") == "age" and type(d.get("v")) is int and d["v"] >= 90:
        d["v"] = 90
    if ev.problem is not None:  # an event the host could not read: nothing of it but its place
        d = {"seq": ev.seq, "k": kind, "t": ev.ticks, "b": d.get("b"), "unreadable": REMOVED}
    return d


def _date(dt: datetime | None, deidentify: bool) -> str | None:
    if dt is None:
        return None
    return str(dt.year) if deidentify else dt.astimezone(timezone.utc).isoformat()


class ExportError(ValueError):
    """A case cannot be exported in the format asked (its FHIR resources do not validate); one line says which."""


PAGE = 200  # cases read at a time: their events, about 1 MB, are what an export holds


def records(store, deidentify: bool = False, page: int = PAGE) -> Iterator[dict]:
    """Every case as one record, in date order: key, date, operator, summary, nurse entries, figures, events.

    Read `page` cases at a time; with deidentify the record follows the rule in the module docstring.
    """
    n = 0
    for page in case_pages(store, page):
        keys = [(row.device_id, row.case_id) for row in page]
        events, notes = store.events_of_cases(keys), nurse.entries_of_cases(store, keys)
        for row, key in zip(page, keys):
            n += 1
            yield _record(n, row, events.pop(key), notes.pop(key), deidentify)
        gc.collect()  # the FHIR validators' models hold cycles: free them a page at a time, not when Python gets to it


def _record(n: int, row, stored: list, entries: list, deidentify: bool) -> dict:
    """The export record of the n-th case (date order): its summary row, stored events and nurse entries."""
    evs = [as_event(e) for e in stored]
    summary = summarize(evs)
    figs = figures(summary, nurse.tallies(entries))
    if deidentify:
        name, boots = f"case-{n}", {}
        evs = [as_event(_scrub_event(e, name, boots)) for e in evs]
        summary = summarize(evs)
        nurse_rows = [{"kind": e.kind, "value": e.value, "is_total": e.is_total, "item": e.item,
                       "text": REMOVED if e.text else None, "entered": str(e.entered_at.year),
                       "at_seq": e.at_seq} for e in entries]
    else:
        name = row.case_id
        nurse_rows = [nurse.as_dict(e) for e in entries]
    first = evs[0] if evs else None
    return {
        "case": name,
        "device_id": None if deidentify else row.device_id,
        "reference": None if deidentify else row.reference,
        "date": _date(row.date, deidentify), "date_source": row.date_source,
        "operator": None if deidentify else row.operator,
        "sync": row.sync, "row": row, "summary": summary, "nurse_entries": nurse_rows,
        "figures": figs,
        "events": [{"seq": e.seq, "kind": e.kind, "boot": e.boot, "ticks": e.ticks,
                    "wall_ms": None if deidentify else e.wall_ms,
                    "rel_ms": span_ms(first, e) if first else None, "fields": jsonable(e.data)} for e in evs],
        "deidentified": deidentify,
    }


def collect(store, deidentify: bool = False) -> list[dict]:
    """Every record of records() in one list: for a few cases (tests); an export streams instead."""
    return list(records(store, deidentify))


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
             "fields": json.dumps(e["fields"], sort_keys=True, ensure_ascii=False, default=str)} for e in rec["events"]]


def _csv_value(v):
    return "" if v is None else v


@contextmanager
def _replacing(path: Path):
    """A text file written beside `path` and renamed over it only when the block ends without an error."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            yield fh
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _json_case(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if k != "row"} | {"row": case_row(rec)}


def to_json(records: list[dict]) -> dict:
    """The JSON document of a few records at once (write() streams the same document)."""
    return {"format": "bedside-export", "version": 1, "deidentified": bool(records and records[0]["deidentified"]),
            "cases": [_json_case(rec) for rec in records]}


def _line(obj) -> str:
    """`obj` as one line of JSON (json's C encoder: with indent it falls back to its pure-Python one, 15x slower)."""
    return json.dumps(obj, ensure_ascii=False, default=str, separators=(",", ":"))


def _write_csv(out: Path, recs, progress) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "cases.csv", out / "events.csv", out / "scores.csv"]
    with _replacing(paths[0]) as f_cases, _replacing(paths[1]) as f_events, _replacing(paths[2]) as f_scores:
        writers = []
        for fh, columns in ((f_cases, CASE_COLUMNS), (f_events, EVENT_COLUMNS), (f_scores, SCORE_COLUMNS)):
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            writers.append((w, columns))
        for n, rec in enumerate(recs, 1):
            for (w, columns), rows in zip(writers, ([case_row(rec)], event_rows(rec), score_rows(rec))):
                w.writerows({k: _csv_value(r[k]) for k in columns} for r in rows)
            if progress:
                progress(n)
    return paths


def _write_json(out: Path, recs, deidentify: bool, progress) -> list[Path]:
    with _replacing(out) as fh:
        fh.write('{\n "format": "bedside-export",\n "version": 1,\n "deidentified": %s,\n "cases": ['
                 % json.dumps(deidentify))
        for n, rec in enumerate(recs, 1):
            fh.write(("," if n > 1 else "") + "\n" + _line(_json_case(rec)))
            if progress:
                progress(n)
        fh.write("\n ]\n}")
    return [out]


def _write_fhir(out: Path, recs, progress) -> list[Path]:
    from bedside.fhir import case_entries, validate

    with _replacing(out) as fh:
        fh.write('{\n "resourceType": "Bundle",\n "type": "collection",\n "entry": [')
        first = True
        for n, rec in enumerate(recs, 1):
            entries = case_entries(rec)
            try:
                validate({"resourceType": "Bundle", "type": "collection", "entry": entries})
            except Exception as e:  # noqa: BLE001 - pydantic's and fhirclient's errors: one line naming the case
                why = str(e).strip().splitlines()
                raise ExportError(f"case {rec['case']} does not make valid FHIR resources "
                                  f"({why[0] if why else type(e).__name__}); nothing was written") from e
            for entry in entries:
                fh.write(("" if first else ",") + "\n" + _line(entry))
                first = False
            if progress:
                progress(n)
        fh.write("\n ]\n}")
    return [out]


def write(store, fmt: str, out: str | Path, deidentify: bool = False, progress=None, page: int = PAGE) -> list[Path]:
    """Export every case in format `fmt` to `out`, a case at a time; returns the files written.

    progress(n) is called after each case. Raises ExportError (a case that is not valid FHIR) or OSError
    (the target cannot be written); either way no file is left half written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"export format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    out = Path(out)
    recs = records(store, deidentify, page)
    if fmt == "csv":
        return _write_csv(out, recs, progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        return _write_json(out, recs, deidentify, progress)
    return _write_fhir(out, recs, progress)

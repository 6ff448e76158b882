"""bedside.export and bedside.fhir: CSV, JSON and the FHIR bundle of the synced cases, plain and de-identified.

Covers, on SQLite and PostgreSQL: two cases (the scripted WHIH case with a time anchor, a
host reference, a host operator and a note; the general-strategy case with nurse entries
naming a nurse, a lot number and a note) and an unsynced live case's entries; the three
CSV files (one row per case, per event, per score); the JSON document; the FHIR bundle
parsed by fhir.resources' R4B models (the pinned 8.3.0 has no R4 4.0.1 package) and every
resource re-parsed by its own class; a tampered bundle refused; the de-identified exports
contain no name, free text, lot number, panel or case id, reference, full date or wall
time, and ages of 90+ read 90. Numbers come from tests/test_casefile.py's scripts.
Run alone: .venv/bin/pytest tests/test_export.py
"""

import csv
import json
from datetime import datetime, timezone

import pytest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from pydantic import ValidationError

from bedlink.mpack import pack
from bedside import export
from bedside.fhir import bundle, validate
from bedside.scenarios import whih_case
from bedside.store import nurse
from test_casefile import record, strategy_case

START = datetime(2026, 11, 20, 8, 30, tzinfo=timezone.utc)
SECRETS = ("panel-A", "whih-1", "strat-1", "REF-4711", "Dr Jane Roe", "RN Sam Poe", "LOT-99Z", "tips 4.5 mm apart",
           "wire looked odd", "2026-11-20", "T08:30")


@pytest.fixture
def filled(store):
    whih = record(whih_case(), boot=11, case_id="whih-1")
    strat = record(strategy_case(), boot=12, case_id="strat-1")
    for case_id, evs in (("whih-1", whih), ("strat-1", strat)):
        store.upsert_case("panel-A", case_id, "closed", len(evs), 0)
        store.ingest("panel-A", case_id, [(e["seq"], pack(e), e["k"], e["b"], e["t"]) for e in evs])
    store.add_anchors("panel-A", [(11, whih[0]["t"], int(START.timestamp() * 1000))])
    op = store.add_operator("Dr Jane Roe", 2012)
    store.assign_case("panel-A", "whih-1", reference="REF-4711", operator_id=op)
    for kind, kw in (("contrast_ml", {"value": 120, "is_total": True}), ("fluoro_min", {"value": 33.5}),
                     ("device", {"item": "Corsair Pro", "lot": "LOT-99Z"}), ("note", {"text": "wire looked odd"})):
        nurse.add_entry(store, "panel-A", "strat-1", kind, entered_by="RN Sam Poe", **kw)
    nurse.add_entry(store, "panel-A", "live-9", "note", text="wire looked odd", entered_by="RN Sam Poe")
    return store


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_csv_files(filled, tmp_path):
    paths = export.write(filled, "csv", tmp_path / "out")
    assert [p.name for p in paths] == ["cases.csv", "events.csv", "scores.csv"]
    cases = read_csv(paths[0])
    assert [c["case"] for c in cases] == ["strat-1", "whih-1"] or [c["case"] for c in cases] == ["whih-1", "strat-1"]
    by = {c["case"]: c for c in cases}
    assert by["whih-1"]["operator"] == "Dr Jane Roe" and by["whih-1"]["date"] == START.isoformat()
    assert by["whih-1"]["technical_success"] == "yes" and by["whih-1"]["technical_success_source"] == "entered"
    assert by["strat-1"]["contrast_ml"] == "180" and by["strat-1"]["contrast_source"] == "panel outcome"
    assert by["strat-1"]["fluoro_s"] == "2010" and by["strat-1"]["fluoro_source"] == "nurse entries"  # 33.5 min
    assert by["strat-1"]["date_source"] == "host"  # no anchor for boot 12
    events = read_csv(paths[1])
    assert len(events) == len(record(whih_case())) + len(record(strategy_case()))
    scores = read_csv(paths[2])
    assert len(scores) == 2 * 10  # ten scores a case
    jcto = next(s for s in scores if s["case"] == "whih-1" and s["score"] == "jcto")
    assert jcto["complete"] == "True" and jcto["total"] == jcto["min"] == jcto["max"]


def test_json_document(filled, tmp_path):
    (path,) = export.write(filled, "json", tmp_path / "cases.json")
    doc = json.loads(path.read_text())
    assert doc["format"] == "bedside-export" and doc["deidentified"] is False
    (strat,) = [c for c in doc["cases"] if c["case"] == "strat-1"]
    assert [e["kind"] for e in strat["nurse_entries"]] == ["contrast_ml", "fluoro_min", "device", "note"]
    assert strat["nurse_entries"][2]["lot"] == "LOT-99Z" and strat["nurse_entries"][0]["entered_by"] == "RN Sam Poe"
    assert strat["summary"]["alerts"][0]["after_ms"] == 30 * 60 * 1000
    assert len(strat["events"]) == strat["summary"]["events"]


def test_fhir_bundle_is_valid_r4b_and_r4(filled, tmp_path):
    (path,) = export.write(filled, "fhir", tmp_path / "bundle.json")
    doc = json.loads(path.read_text())
    model = validate(doc)
    assert model.type == "collection"
    urls = {e["fullUrl"] for e in doc["entry"]}
    kinds = {"Procedure": Procedure, "Observation": Observation, "Patient": Patient}
    for e in doc["entry"]:
        kinds[e["resource"]["resourceType"]].model_validate(e["resource"])  # each by its own class too
        for ref in e["resource"].get("partOf", []) + [e["resource"].get("subject") or {}]:
            assert not ref or ref["reference"] in urls  # every reference resolves inside the bundle
    procs = [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "Procedure"]
    assert len(procs) == 2
    whih = next(p for p in procs if p["identifier"][0]["value"] == "whih-1")
    assert whih["performedPeriod"]["start"] == START.isoformat()
    assert whih["outcome"]["text"] == "technical success" and whih["performer"][0]["actor"]["display"] == "Dr Jane Roe"
    obs = [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "Observation"]
    scores = [o for o in obs if o["code"]["coding"][0]["code"].startswith("score:")]
    assert any("valueRange" in o for o in scores)  # operator-CTO without a profile: a range, not 0
    assert any("unverified" in n["text"] for o in scores for n in o.get("note", []))
    fluoro = [o for o in obs if o["code"]["coding"][0]["code"] == "figure:fluoro_s"]
    assert {o["valueQuantity"]["value"] for o in fluoro} == {96.0, 33.5}  # WHIH record 96 min; nurses 33.5 min
    bad = json.loads(json.dumps(doc))
    bad["entry"][1]["resource"]["status"] = None
    with pytest.raises(ValidationError):
        validate(bad)
    with pytest.raises(ValueError, match="format must be one of"):
        export.write(filled, "xml", tmp_path / "x")


def test_deidentified_exports_hold_no_identifiers(filled, tmp_path):
    texts = []
    for fmt, out in (("csv", tmp_path / "csv"), ("json", tmp_path / "d.json"), ("fhir", tmp_path / "f.json")):
        for p in export.write(filled, fmt, out, deidentify=True):
            texts.append(p.read_text(encoding="utf-8"))
    blob = "\n".join(texts)
    for secret in SECRETS:
        assert secret not in blob, secret
    assert "case-1" in blob and "case-2" in blob and "[removed]" in blob
    doc = json.loads(texts[3])
    assert doc["deidentified"] and {c["date"] for c in doc["cases"]} == {"2026"}
    assert all(e["wall_ms"] is None for c in doc["cases"] for e in c["events"])
    # the summaries still replay: the steps and the wire-crossing alert survive
    strat = next(c for c in doc["cases"] if c["summary"]["vessel"] == "lad")
    assert strat["summary"]["replay_error"] is None and len(strat["summary"]["alerts"]) == 1
    validate(json.loads(texts[4]))


def test_age_over_89_is_given_as_90(store):
    script = [[0, "new_case", {}], [1000, "finding", {"f": "age", "v": 95}], [1000, "close", {}]]
    evs = record(script, case_id="old-1")
    store.ingest("panel-B", "old-1", [(e["seq"], pack(e), e["k"], e["b"], e["t"]) for e in evs])
    (rec,) = export.collect(store, deidentify=True)
    assert rec["summary"]["findings"][0]["value"] == 90
    assert export.collect(store)[0]["summary"]["findings"][0]["value"] == 95
    assert bundle([rec])["entry"][0]["resource"]["resourceType"] == "Patient"


def test_fhir_bundle_is_valid_r4_4_0_1_as_fhirclient_reads_it(filled, tmp_path):
    from fhirclient.models.bundle import Bundle as R4Bundle
    from fhirclient.models.fhirabstractbase import FHIRValidationError

    (path,) = export.write(filled, "fhir", tmp_path / "bundle.json")
    doc = json.loads(path.read_text())
    r4 = R4Bundle(doc, strict=True)  # the models are generated from FHIR 4.0.1
    assert r4.type == "collection" and {type(e.resource).__name__ for e in r4.entry} == {
        "Patient", "Procedure", "Observation"}
    for change in ({"bogus": 1}, {"status": 12}):  # an element R4 does not know; a wrong type
        bad = json.loads(json.dumps(doc))
        bad["entry"][1]["resource"].update(change)
        with pytest.raises(FHIRValidationError):
            R4Bundle(bad, strict=True)
        with pytest.raises((FHIRValidationError, ValidationError)):
            validate(bad)

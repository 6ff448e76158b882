"""The cases as an HL7 FHIR bundle: one Procedure per case with its Observations (scores, findings, outcome, figures).

Validated twice, by two libraries: against FHIR R4 (4.0.1) with fhirclient 4.4.0 (SMART on FHIR's
models, generated from 4.0.1, in strict mode: every element's type, required elements, no unknown
elements), and against R4B (4.3.0) with fhir.resources 8.3.0 (pydantic models: structure, types,
cardinality), which has no R4 package. Neither checks terminology bindings.

Codes: no SNOMED CT or LOINC code is claimed. Each resource has a human-readable
code.text and a coding in Bedside's own code system (CODE_SYSTEM: the finding, score or
outcome id of the panel's content). Units are UCUM. The panel stores no patient
identity: each case has a Patient with no name (identifier: the host's reference, when
one was assigned and the export is not de-identified).

Public API: case_entries(record) -> the entries of one case; bundle(records) -> dict (records from
bedside.export.records); validate(doc) -> Bundle model.
"""

from __future__ import annotations

import uuid

from bedside.eventtext import answer_text
from panel.content.findings import FINDINGS
from panel.content.outcomes import COMPLICATIONS

CODE_SYSTEM = "https://bedside.invalid/fhir/CodeSystem/bedside"
IDENT_SYSTEM = "https://bedside.invalid/fhir/NamingSystem/case"
UCUM = "http://unitsofmeasure.org"
NAMESPACE = uuid.UUID("6b3c1f0e-9d0a-4c8e-8f6b-2f1e0d9c8b7a")
_FINDINGS = {f[0]: f for f in FINDINGS}
_UNITS = {"years": "a", "mm": "mm", "deg": "deg", "cases/year": "/a", "cases": "1"}


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _code(code: str, text: str) -> dict:
    return {"coding": [{"system": CODE_SYSTEM, "code": code, "display": text}], "text": text}


def _qty(value, unit: str, code: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _when(rec: dict, ms: int | None) -> str | None:
    """A dateTime for a moment `ms` after the case's start, when the start is a wall time; a year if de-identified."""
    date = rec["date"]
    if date is None:
        return None
    if rec["deidentified"]:
        return date  # "2026": dateTime allows year precision
    if rec["date_source"] != "panel" or ms is None:
        return None
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(date) + timedelta(milliseconds=ms)).isoformat()


def _finding_value(fid: str, value) -> dict:
    f = _FINDINGS[fid]
    if f[1] == "yn":
        return {"valueBoolean": value == "yes"}
    if f[1] == "int":
        unit = f[4][0]
        return {"valueQuantity": _qty(value, unit, _UNITS.get(unit, unit))}
    return {"valueCodeableConcept": _code(f"{fid}:{value}", answer_text(f, value))}


def _observation(rec, key, code, text, value: dict, notes=(), method: str | None = None, component=None) -> dict:
    obs = {
        "resourceType": "Observation", "id": _id(rec["case"], rec["device_id"], key), "status": "final",
        "code": _code(code, text), "subject": {"reference": f"urn:uuid:{_id(rec['case'], rec['device_id'], 'patient')}"},
        "partOf": [{"reference": f"urn:uuid:{_id(rec['case'], rec['device_id'], 'procedure')}"}], **value,
    }
    when = _when(rec, (rec["summary"]["start"] or {}).get("rel_ms"))
    if when:
        obs["effectiveDateTime"] = when
    if notes:
        obs["note"] = [{"text": n} for n in notes]
    if method:
        obs["method"] = {"text": method}
    if component:
        obs["component"] = component
    return obs


def _score(rec: dict, sc: dict) -> dict:
    if sc.get("grade") is not None:
        value = {"valueCodeableConcept": _code(f"{sc['id']}:{sc['grade']}", f"grade {sc['grade']}")}
    elif sc.get("min2") is None:
        value = {"dataAbsentReason": {"text": "unknown: the grade is not entered"}}
    elif sc["min2"] == sc["max2"]:
        value = {"valueQuantity": _qty(sc["min2"] / 2, "points", "{score}")}
    else:
        value = {"valueRange": {"low": _qty(sc["min2"] / 2, "points", "{score}"),
                                "high": _qty(sc["max2"] / 2, "points", "{score}")}}
    notes = []
    if sc["missing"]:
        notes.append("a range: unanswered findings " + ", ".join(sc["missing"]))
    if sc["unverified"]:
        notes.append("unverified (tagged [verify] in the clinical reference): " + "; ".join(sc["unverified"]))
    component = [{"code": _code("category", "category"),
                  "valueCodeableConcept": _code(f"{sc['id']}:{c['label']}", c["label"])} for c in sc["categories"]]
    method = f"{sc['name']}: {sc['citation']}"
    return _observation(rec, "score/" + sc["id"], "score:" + sc["id"], sc["name"], value, notes, method,
                        component or None)


def _yes_no(rec, oid, text, outcome) -> dict | None:
    if outcome["value"] is None:
        return None
    return _observation(rec, "outcome/" + oid, "outcome:" + oid, text, {"valueBoolean": outcome["value"] == "yes"},
                        method=f"source: {outcome['source']}")


def _case_resources(rec: dict) -> list[dict]:
    s = rec["summary"]
    pid = _id(rec["case"], rec["device_id"], "patient")
    patient = {"resourceType": "Patient", "id": pid}
    if rec["reference"]:
        patient["identifier"] = [{"system": IDENT_SYSTEM, "value": rec["reference"]}]
    proc = {
        "resourceType": "Procedure", "id": _id(rec["case"], rec["device_id"], "procedure"),
        "status": "completed" if s["closed"] else "in-progress",
        "code": _code("cto-pci", "Percutaneous intervention of a chronic total occlusion"),
        "subject": {"reference": f"urn:uuid:{pid}"},
        "identifier": [{"system": IDENT_SYSTEM, "value": rec["case"]}],
    }
    start = _when(rec, 0)
    end = _when(rec, (s["end"] or {}).get("rel_ms"))
    if start and end and not rec["deidentified"]:
        proc["performedPeriod"] = {"start": start, "end": end}
    elif start:
        proc["performedDateTime"] = start
    if rec["operator"]:
        proc["performer"] = [{"actor": {"display": rec["operator"]}}]
    if s["vessel"]:
        proc["bodySite"] = [_code("vessel:" + s["vessel"], answer_text(_FINDINGS["vessel"], s["vessel"]))]
    tech = s["outcome"]["technical_success"]["value"]
    if tech is not None:
        proc["outcome"] = _code("technical_success:" + tech,
                                "technical success" if tech == "yes" else "technical success not met")
    compl = dict(COMPLICATIONS)
    if s["outcome"]["complications"]:
        proc["complication"] = [_code("complication:" + c["id"], compl.get(c["id"], c["id"]))
                                for c in s["outcome"]["complications"]]
    if s["techniques"]:
        proc["usedCode"] = [_code("checklist:" + t["checklist"], t["title"]) for t in s["techniques"]]
    if rec["summary"]["notes"] and not rec["deidentified"]:
        proc["note"] = [{"text": n["text"]} for n in s["notes"]]
    out = [patient, proc]
    out += [_score(rec, sc) for sc in s["scores"] if sc["applicable"] is not False]
    for f in s["findings"]:
        out.append(_observation(rec, "finding/" + f["id"], "finding:" + f["id"], f["label"],
                                _finding_value(f["id"], f["value"]),
                                method=f"source: {f['source']}" if f["source"] else None))
    for oid, text in (("technical_success", "Technical success"), ("device_success", "Device success"),
                      ("in_hospital_mace", "In-hospital MACE"), ("procedural_success", "Procedural success")):
        o = _yes_no(rec, oid, text, s["outcome"][oid])
        if o:
            out.append(o)
    for key, text, unit, code, scale in (("contrast_ml", "Contrast volume", "mL", "mL", 1),
                                         ("fluoro_s", "Fluoroscopy time", "min", "min", 60),
                                         ("procedure_s", "Procedure time", "min", "min", 60),
                                         ("dose_mgy", "Radiation dose", "mGy", "mGy", 1)):
        fig = rec["figures"][key]
        if fig["value"] is not None:
            others = [f"{a['source']}: {a['value']}" for a in fig["all"][1:]]
            out.append(_observation(rec, "figure/" + key, "figure:" + key, text,
                                    {"valueQuantity": _qty(round(fig["value"] / scale, 1), unit, code)},
                                    notes=["other sources: " + "; ".join(others)] if others else (),
                                    method=f"source: {fig['source']}"))
    return out


def case_entries(rec: dict) -> list[dict]:
    """The Bundle entries of one record: its Patient, Procedure and Observations."""
    return [{"fullUrl": f"urn:uuid:{res['id']}", "resource": res} for res in _case_resources(rec)]


def bundle(records: list[dict]) -> dict:
    """A FHIR R4B Bundle (type collection) of every record's Patient, Procedure and Observations."""
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [e for rec in records for e in case_entries(rec)]}


def validate(doc: dict):
    """Validate `doc` as an R4B Bundle (fhir.resources: pydantic.ValidationError naming every problem), then as
    an R4 (4.0.1) Bundle (fhirclient, strict: FHIRValidationError naming every problem); returns the R4B model."""
    from fhir.resources.R4B.bundle import Bundle
    from fhirclient.models.bundle import Bundle as R4Bundle

    model = Bundle.model_validate(doc)
    R4Bundle(doc, strict=True)
    return model

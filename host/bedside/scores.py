"""Evaluate findings given as JSON with the panel's own scoring engine (the `bedside score` command).

The input is a JSON object: finding id -> value, or -> {"value": v, "source": s};
an optional "operator" object (annual_volume, years, last_year_cases,
last_year_successes, and "source": "host" or "entered") fills operator-CTO's
operator variables. Every problem is reported at once, by finding name.
"""

from __future__ import annotations

from panel.content import CONTENT_VERSION
from panel.findings import FindingError, Findings
from panel.profile import apply_profile
from panel.scoring import evaluate_all


class InputError(ValueError):
    """The findings JSON cannot be evaluated; the message lists every problem."""


def findings_from_json(data) -> Findings:
    if not isinstance(data, dict):
        raise InputError("findings must be a JSON object of finding id -> value")
    findings = Findings()
    problems = []
    for fid in sorted(k for k in data if k != "operator"):
        raw = data[fid]
        value, source = raw, None
        if isinstance(raw, dict):
            unknown = set(raw) - {"value", "source"}
            if unknown:
                problems.append(f"{fid}: unexpected keys {sorted(unknown)} (use value and source)")
                continue
            if "value" not in raw:
                problems.append(f"{fid}: no value (use value and source)")
                continue
            value, source = raw.get("value"), raw.get("source")
        try:
            findings.set(fid, value, source)
        except FindingError as e:
            problems.append(str(e))
    operator = data.get("operator")
    if operator is not None:
        if not isinstance(operator, dict):
            problems.append("operator must be an object")
        else:
            try:
                apply_profile(findings, operator, operator.get("source", "entered"))
            except FindingError as e:
                problems.append(f"operator: {e}")
    if problems:
        raise InputError("; ".join(problems))
    return findings


def score_report(data) -> dict:
    """The JSON document `bedside score` prints."""
    findings = findings_from_json(data)
    return {
        "content_version": CONTENT_VERSION,
        "findings": {fid: {"value": findings.values[fid], "source": findings.sources.get(fid)}
                     for fid in findings.known()},
        "scores": evaluate_all(findings),
    }

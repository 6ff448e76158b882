"""Evaluate findings given as JSON with the panel's own scoring engine (the `bedside score` command).

The input is a JSON object: finding id -> value, or -> {"value": v, "source": s};
an optional "operator" object (annual_volume, years, last_year_cases,
last_year_successes, and "source": "host" or "entered") fills operator-CTO's
operator variables. Every problem is reported at once, by finding name.
"""

from __future__ import annotations

import json
import math

from panel.content import CONTENT_VERSION
from panel.findings import FindingError, Findings
from panel.profile import apply_profile
from panel.scoring import evaluate_all


class InputError(ValueError):
    """The findings JSON cannot be evaluated; the message lists every problem."""


MAX_DEPTH = 8  # findings nest three levels (object, finding, {"value", "source"}); the rest is not findings
MAX_DIGITS = 20  # no finding or operator figure has more digits


class _Refused:
    """A JSON value parsed but refused (too many digits, NaN, Infinity); the key it sat under is named later."""

    def __init__(self, why: str):
        self.why = why


def _too_deep(text: str) -> int | None:
    """The offset where `text` opens a container more than MAX_DEPTH deep (strings skipped), else None."""
    depth, in_str, escaped = 0, False, False
    for i, ch in enumerate(text):
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return i
        elif ch in "]}":
            depth -= 1
    return None


def _int(digits: str):
    n = len(digits.lstrip("-"))
    return _Refused(f"an integer of {n} digits") if n > MAX_DIGITS else int(digits)


def _float(text: str):
    value = float(text)
    return value if math.isfinite(value) else _Refused(f"{text[:20]} is not a finite number")


def _object(pairs: list) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise InputError(f"key {key!r} is given twice (once is the rule: which one is meant?)")
        out[key] = value
    return out


def _refusals(value, path: str) -> list[str]:
    if isinstance(value, _Refused):
        return [f"{path or 'the value'}: {value.why}"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _refusals(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _refusals(v, f"{path}[{i}]")]
    return []


def parse(text: str, name: str):
    """The JSON in `text` (read from `name`), or InputError in one line: not JSON, a key given twice,
    nesting deeper than MAX_DEPTH, an integer of more than MAX_DIGITS digits, NaN or Infinity."""
    at = _too_deep(text)
    if at is not None:
        raise InputError(f"{name} is nested more than {MAX_DEPTH} levels deep (at character {at}): "
                         "findings are an object of values")
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_int=_int, parse_float=_float,
                          parse_constant=lambda c: _Refused(f"{c} is not a number"))
    except json.JSONDecodeError as e:
        raise InputError(f"{name} is not valid JSON: {e}") from None
    except RecursionError:
        raise InputError(f"{name} is nested too deeply") from None
    problems = _refusals(data, "")
    if problems:
        raise InputError("; ".join(problems))
    return data


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

"""Evaluate findings given as JSON with the panel's own scoring engine (the `bedside score` command).

The input is a JSON object: finding id -> value, or -> {"value": v, "source": s};
an optional "operator" object (annual_volume, years, last_year_cases,
last_year_successes, and "source": "host" or "entered") fills operator-CTO's
operator variables. A key that is not a finding (or, in "operator", not one of its
keys) is refused with the keys that are; a choice whose options are numbers may be
given as the number (Rentrop 2); two answers that contradict each other are refused,
naming both. Every problem is reported at once. The report has every total as a JSON
number (4.5, not "4.5"); render_text() is the table `bedside score` prints by default.
"""

from __future__ import annotations

import json
import math
import textwrap

from panel.content import CONTENT_VERSION
from panel.content.findings import FINDINGS
from panel.findings import FindingError, Findings, coerce
from panel.profile import PROFILE_FINDINGS, apply_profile
from panel.scoretext import (UNVERIFIED, answer_text, answers_text, category_heading, endpoint_text, mark, points_text, rates_text,
                             state_text, strategy_text, total_text, variable_text)
from panel.scoring import evaluate_all

KNOWN = [f[0] for f in FINDINGS] + ["operator"]
OPERATOR_KEYS = [k for k, _ in PROFILE_FINDINGS] + ["source"]


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


def _unknown(keys, known: list[str], where: str) -> str:
    names = ", ".join(repr(k) for k in keys)
    return f"{where} {names} {'is' if len(keys) == 1 else 'are'} not known (the keys are: {', '.join(known)})"


def findings_from_json(data) -> Findings:
    if not isinstance(data, dict):
        raise InputError("findings must be a JSON object of finding id -> value")
    findings = Findings()
    problems = []
    unknown = sorted(k for k in data if k not in KNOWN)
    if unknown:
        problems.append(_unknown(unknown, KNOWN, "finding" if len(unknown) == 1 else "findings"))
    for fid in sorted(k for k in data if k != "operator" and k in KNOWN):
        raw = data[fid]
        value, source = raw, None
        if isinstance(raw, dict):
            extra = sorted(set(raw) - {"value", "source"})
            if extra:
                problems.append(f"{fid}: " + _unknown(extra, ["value", "source"], "key" if len(extra) == 1 else "keys"))
                continue
            if "value" not in raw:
                problems.append(f"{fid}: no value (use value and source)")
                continue
            value, source = raw.get("value"), raw.get("source")
        try:
            findings.set(fid, coerce(fid, value), source)
        except FindingError as e:
            problems.append(str(e))
    operator = data.get("operator")
    if operator is not None:
        if not isinstance(operator, dict):
            problems.append("operator must be an object")
        elif sorted(k for k in operator if k not in OPERATOR_KEYS):
            extra = sorted(k for k in operator if k not in OPERATOR_KEYS)
            problems.append("operator: " + _unknown(extra, OPERATOR_KEYS, "key" if len(extra) == 1 else "keys"))
        else:
            try:
                apply_profile(findings, operator, operator.get("source", "entered"))
            except FindingError as e:
                problems.append(f"operator: {e}")
    if problems:
        raise InputError("; ".join(problems))
    return findings


def _number(half: str | None):
    """A total as the engine writes it ("4.5", "-1") as a JSON number (4.5, -1); None stays None."""
    if half is None:
        return None
    return float(half) if "." in half else int(half)


def numbers(result: dict) -> dict:
    """One score result with every total, bound and point as a number (the engine keeps them as text)."""
    out = dict(result)
    for key in ("total", "min", "max"):
        out[key] = _number(out.get(key))
    out["reachable"] = [_number(x) for x in out.get("reachable", [])]
    out["uncategorised"] = [_number(x) for x in out.get("uncategorised", [])]
    out["categories"] = [{**c, "from": _number(c["from"]), "to": _number(c["to"])} for c in out["categories"]]
    out["basis"] = [{**b, "points": _number(b["points"]) if b.get("points2") is not None else None,
                     "scored": _number(b["scored"]) if b.get("points2") is not None else None}
                    for b in out["basis"]]
    return out


def score_report(data) -> dict:
    """The JSON document `bedside score --json` prints."""
    findings = findings_from_json(data)
    return {
        "content_version": CONTENT_VERSION,
        "findings": {fid: {"value": findings.values[fid], "source": findings.sources.get(fid)}
                     for fid in findings.known()},
        "scores": [numbers(r) for r in evaluate_all(findings)],
    }


def _half(v) -> str:
    """A JSON number of the report back as the engine's text (4.5 -> "4.5", 4 -> "4")."""
    return None if v is None else (str(v) if isinstance(v, int) else f"{v:g}")


def _textual(r: dict) -> dict:
    """A result of score_report with its numbers as the engine's text again, for scoretext."""
    out = dict(r)
    for key in ("total", "min", "max"):
        out[key] = _half(r[key])
    out["categories"] = [{**c, "from": _half(c["from"]), "to": _half(c["to"])} for c in r["categories"]]
    out["basis"] = [{**b, "points": _half(b["points"]) if b.get("points2") is not None else b["points"],
                     "scored": _half(b["scored"]) if b.get("points2") is not None else b["scored"]}
                    for b in r["basis"]]
    return out


def summary_lines(r: dict) -> list[str]:
    """What is true of one score (engine result, text totals), in words: its category with the published rates
    (endpoint and cohort), or what it needs, or that it does not apply and why; then the strategy it is for."""
    line = state_text(r)
    if r["state"] == "category" and r["categories"][0]["rates"]:
        line += ": " + rates_text(r["categories"][0])
    return [line] + ([strategy_text(r)] if strategy_text(r) else [])


def basis_lines(r: dict, coverage: str | None = None) -> list[tuple[str, str]]:
    """One score in full (engine result, text totals) as (text, kind) lines, kind "head", "line" or "source": its
    total and what is true of it, the strategy, each variable with its answers and points, the categories with
    their rates in words, which technical success each side means, the notes, the source; `coverage`: what the
    workstation's records behind operator-CTO's operator facts cover."""
    total = total_text(r)
    if r["applicable"] is False:
        out = [(f"{r['name']}: does not apply: {r['why_not']}", "head")]
    else:
        out = [(f"{r['name']}: {total} — {state_text(r)}", "head")]
        if r["state"] == "category" and r["categories"][0]["rates"]:
            out.append((f"  published: {rates_text(r['categories'][0])}", "line"))
        if strategy_text(r):
            out.append((f"  {strategy_text(r)}", "line"))
        for b in r["basis"]:
            out.append((f"  {points_text(b):>7}  {variable_text(b)}: {answers_text(b)}", "line"))
            out += [(f"           {mark(c, True)}", "line") for c in b.get("caveats", ())]
            out += [(f"           {answer_text(f, v)}, beside it, not scored", "line") for f, v in b.get("beside", ())]
        out += [(f"  {answer_text(f, v)}, collected, not summed", "line") for f, v in r.get("collected", ())]
        if coverage and r["id"] == "operator_cto":
            out.append((f"  operator facts from the workstation's records: {coverage}", "line"))
        for c in r["categories"] if r["state"] != "category" else []:
            out.append((f"  {category_heading(c)}: {rates_text(c)}", "line"))
        if "success_published" in r:
            who, text = r["success_published"]
            out.append((f"  technical success in the published rates ({who}): {text}", "line"))
            out.append((f"  technical success recorded at this panel: {r['success_recorded']}", "line"))
    for note in r["notes"] if r["applicable"] is not False else []:  # a note may hold a rate
        if not note["about"]:
            out.append((f"  note: {mark(note['text'], note['unverified'])}", "line"))
    out.append((f"  {r['citation']}; endpoint: {endpoint_text(r)}", "source"))
    return out


def render_text(report: dict, width: int = 100) -> str:
    """The report as a readable table (what `bedside score` prints without --json): each score's total or range and
    what is true of its category with the published rate in words, then each score's basis."""
    scores = [_textual(r) for r in report["scores"]]
    n = len(report["findings"])
    out = [f"{n} finding{'s' if n != 1 else ''} entered; clinical content {report['content_version']}. "
           "A range while findings are missing (unknown is not no).", ""]
    name_w = max(len(r["short"]) for r in scores) + 2
    out.append(f"{'score':<{name_w}}{'total':<8}category and published rate")
    lead = " " * (name_w + 8)
    for r in scores:
        first = True
        for text in summary_lines(r):
            for piece in textwrap.wrap(text, width - len(lead)) or [""]:
                head = f"{r['short']:<{name_w}}{total_text(r) or '-':<8}" if first else lead
                out.append(head + piece)
                first = False
    for r in scores:
        out.append("")
        out += [text for text, _kind in basis_lines(r)]
    out += ["", f"{UNVERIFIED}: not confirmed by the clinical reference (shared/clinical/SCORES.md); not established "
            "fact"]
    return "\n".join(out) + "\n"

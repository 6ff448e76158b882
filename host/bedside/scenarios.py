"""Scripted cases the simulated panel plays as if tapped: the demo and the sync tests' data.

A script is a list of steps [delay_ms, kind, fields] (panel/player.py), written as JSON lines: wait, then
record one event exactly as a tap would. Every script here is checked by
replaying it through the panel's own case engine (check()), so the simulated
panel never refuses a step.
"""

from __future__ import annotations

import json
from pathlib import Path

from panel.case import Case

SEC = 1000
MIN = 60 * SEC

# A 68-year-old man, RCA CTO, retrograde planned: the wires hand-in-hand series' setting.
WHIH_FINDINGS = (
    ("age", 68), ("sex", "male"), ("vessel", "rca"), ("length_mm", 32), ("ostial", "no"), ("in_stent", "no"),
    ("retry", "no"), ("calcification", "moderate"), ("blunt_stump", "yes"), ("stump_visible", "yes"),
    ("cap_ambiguity", "no"), ("bending_45", "yes"), ("tortuosity", "moderate"), ("curvature", "no"),
    ("interventional_collaterals", "yes"), ("rentrop", "2"), ("distal_disease", "no"), ("prior_cabg", "no"),
    ("prior_cabg_target", "no"), ("prior_mi", "yes"), ("retrograde_planned", "yes"), ("adr_planned", "no"),
)

# The WHIH checklist (TECHNIQUES.md A) the way to technical success: tip-in achieved,
# antegrade MC not across, MCs brought together, hand-in-hand, rendezvous.
WHIH_STEPS = (
    (20 * SEC, "cl_start", {"cl": "whih"}),
    (40 * SEC, "measure", {"item": "in_guide", "m": "wire", "val": "gaia"}),
    (5 * SEC, "measure", {"item": "in_guide", "m": "channel", "val": "septal"}),
    (5 * SEC, "confirm", {"item": "in_guide"}),
    (3 * MIN, "measure", {"item": "retro_mc", "m": "mc", "val": "corsair"}),
    (5 * SEC, "decide", {"item": "retro_mc", "opt": "no"}),
    (4 * MIN, "decide", {"item": "tip_in", "opt": "yes"}),
    (5 * MIN, "decide", {"item": "ante_mc", "opt": "no"}),
    (6 * MIN, "measure", {"item": "close_mcs", "m": "gap", "val": 45}),
    (5 * SEC, "confirm", {"item": "close_mcs"}),
    (30 * SEC, "note", {"text": "tips 4.5 mm apart in two views"}),
    (8 * MIN, "measure", {"item": "hand_in_hand", "m": "wire", "val": "sion_black"}),
    (5 * SEC, "confirm", {"item": "hand_in_hand"}),
    (4 * MIN, "confirm", {"item": "rendezvous"}),
    (2 * MIN, "decide", {"item": "device_ok", "opt": "yes"}),
    (3 * MIN, "decide", {"item": "ivus", "opt": "intraplaque"}),
    (25 * MIN, "confirm", {"item": "prep_stent"}),
    (2 * MIN, "decide", {"item": "tech_ok", "opt": "yes"}),
    (30 * SEC, "measure", {"item": "case", "m": "guides", "val": "bilateral"}),
    (5 * SEC, "measure", {"item": "case", "m": "approach", "val": "primary"}),
    (5 * SEC, "measure", {"item": "case", "m": "fluoro", "val": 96}),
    (5 * SEC, "measure", {"item": "case", "m": "proc", "val": 182}),
    (5 * SEC, "measure", {"item": "case", "m": "contrast", "val": 240}),
    (10 * SEC, "outcome", {"o": "technical_success", "v": "yes"}),
    (5 * SEC, "outcome", {"o": "device_success", "v": "yes"}),
    (5 * SEC, "outcome", {"o": "contrast_ml", "v": 240}),
    (5 * SEC, "close", {}),
)

SCORES_VIEWED = ("jcto", "progress", "progress_compl", "progress_mace", "castle", "ora", "recharge", "cl",
                 "operator_cto")


def whih_case() -> list:
    """The scripted wires-hand-in-hand case: findings, every score viewed, the checklist, outcomes."""
    steps: list = [[2 * SEC, "new_case", {}]]
    steps += [[8 * SEC, "finding", {"f": f, "v": v}] for f, v in WHIH_FINDINGS]
    steps += [[4 * SEC, "score_viewed", {"score": s}] for s in SCORES_VIEWED]
    steps += [[d, k, dict(f)] for d, k, f in WHIH_STEPS]
    return steps


def busy_case(events: int) -> list:
    """A case of exactly `events` events (open included): findings, then notes — bulk sync data."""
    steps: list = [[0, "new_case", {}]]
    steps += [[0, "finding", {"f": f, "v": v}] for f, v in WHIH_FINDINGS[: max(0, min(len(WHIH_FINDINGS), events - 2))]]
    while len(steps) < events - 1:
        steps.append([0, "note", {"text": f"step {len(steps)}: wire position checked in two views"}])
    steps.append([0, "close", {}])
    return steps


def check(script: list) -> int:
    """Replay a script through the panel's case engine; return the number of events it records.

    Raises CaseError at the first step a finger could not take. Every "new_case" starts a fresh case.
    """
    case = None
    count = 0
    t = 0
    for delay, kind, fields in script:
        t += delay
        if kind == "new_case":
            case = Case.open("script", t)
        else:
            if case is None:
                raise ValueError("a script starts with new_case")
            case.record(kind, t, fields or None)
        count += 1
    return count


def write(script: list, path: Path) -> Path:
    """Write a script as JSON lines, one step a line (the panel reads it a step at a time)."""
    path.write_text("".join(json.dumps(step) + "\n" for step in script))
    return path

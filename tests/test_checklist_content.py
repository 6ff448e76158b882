"""The technique checklists against their one source, shared/clinical/TECHNIQUES.md (CPython only).

Parses the .md into sections A-H (title, seed citation, preamble text, numbered steps)
and checks that the data in firmware/panel/content/checklists says what it says:
source = the section's seed; title = the start of its heading; indication, cautions,
success definitions, reported figures and every item's detail text are the .md's own
words (after removing ** and joining lines; in a detail text "…" marks words left out); every numbered step is covered by an item;
every step the .md marks as a decision is a decision item; every "(measure ...)" step
carries measures and the examples it names are among the picks; the case records, the
"log each tried" lists, the standing cautions and limits, and each "checklist C/E/F"
hand-over are all in the data; item text is one short line starting with a verb. And the corrections of
issue 12 §3, each against the .md's words: WHIH's no tip-in leaves by the exit gate and its lesion preparation
offers rotational atherectomy only on an IVUS-confirmed intraplaque track, with D's extraplaque cautions otherwise;
D's extraplaque path and the IVL perforation caution; POB's limits; IVUS-first's puncture caution, calcium note and
J-BTK grade read from the findings (no checklist asks a finding again); H's ADR conditions and the approaches still
open; both definitions of technical success.
The expected tables below are read off the .md by hand; each names its step.
Run alone: .venv/bin/pytest tests/test_checklist_content.py
"""

import re

import pytest

from conftest import CLINICAL
from panel.checklist import ABANDONED, MAX_TEXT, SWITCH, replay
from panel.checklist_check import validate
from panel.content.checklists import INDEX, load

MD = (CLINICAL / "TECHNIQUES.md").read_text()
LETTERS = dict(zip("ABCDEFGH", (e[0] for e in INDEX)))


def norm(text):
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def parse(md):
    """{letter or "out": {"head", "seed", "pre", "steps": {n: text}, "all"}} from the .md."""
    out = {}
    for chunk in re.split(r"^## ", md, flags=re.M)[1:]:
        head, _, body = chunk.partition("\n")
        steps, pre, cur = {}, [], None
        for line in body.splitlines():
            m = re.match(r"^(\d+)\. (.*)", line)
            if m:
                cur = int(m.group(1))
                steps[cur] = [m.group(2)]
            elif cur is not None and line.startswith("   "):
                steps[cur].append(line)
            else:
                cur = None
                pre.append(line)
        key = head[0] if re.match(r"^[A-H]\. ", head) else "out"
        seed = re.search(r"\(seed: (.*)\)$", head)
        out[key] = {
            "head": norm(head[3:] if key != "out" else head),
            "seed": seed.group(1) if seed else None,
            "pre": norm("\n".join(pre)),
            "steps": {n: norm("\n".join(v)) for n, v in steps.items()},
            "all": norm(chunk),
        }
    return out


SECTIONS = parse(MD)
WHOLE = norm(MD)
CASES = [(letter, cid) for letter, cid in LETTERS.items()]


def test_the_md_parses_into_eight_sections_and_the_outcome_definitions():
    assert sorted(SECTIONS) == list("ABCDEFGH") + ["out"]
    assert [len(SECTIONS[x]["steps"]) for x in "ABCDEFGH"] == [10, 11, 4, 8, 3, 2, 8, 5]
    assert "Technical success (coronary)" in SECTIONS["out"]["pre"]


@pytest.mark.parametrize("letter,cid", CASES)
def test_source_and_title_are_the_sections_own(letter, cid):
    cl, sec = load(cid), SECTIONS[letter]
    assert cl["src"] == sec["seed"]
    assert sec["head"].startswith(cl["title"])


def pieces(text):
    return [p.strip().rstrip(".").strip() for p in re.split(r"…|\. ", text) if p.strip().rstrip(".").strip()]


@pytest.mark.parametrize("letter,cid", CASES)
def test_indication_cautions_success_and_reports_are_the_md_words(letter, cid):
    cl = load(cid)
    for p in pieces(cl["ind"]):
        assert p in WHOLE, p
    for c in cl["cau"]:
        assert norm(c[1]).rstrip(".") in WHOLE, c
    for label, text in cl["ok"]:
        assert text in SECTIONS[letter]["all"] or text in SECTIONS["out"]["pre"], text
        assert "success" in label.lower()
    if "rep" in cl:
        assert cl["rep"] in SECTIONS[letter]["all"]


@pytest.mark.parametrize("letter,cid", CASES)
def test_every_item_detail_is_its_steps_text_and_every_step_is_covered(letter, cid):
    cl, sec = load(cid), SECTIONS[letter]
    for it in cl["items"]:
        s = it["s"]
        where = sec["pre"] + " " + SECTIONS["out"]["pre"] if s == 0 else sec["steps"][s]
        at = 0
        for piece in it["d"].split("…"):  # "…" marks words of the step left out, the rest in order
            found = where.find(piece.strip(), at)
            assert piece.strip() and found >= 0, (it["id"], it["d"], piece)
            at = found + len(piece.strip())
    covered = {it["s"] for it in cl["items"]}
    assert set(sec["steps"]) <= covered, set(sec["steps"]) - covered


@pytest.mark.parametrize("letter,cid", CASES)
def test_every_decision_of_the_md_is_a_decision_item(letter, cid):
    cl, sec = load(cid), SECTIONS[letter]
    marked = [n for n, text in sec["steps"].items() if "decision" in text]
    assert marked or letter in "EH"
    for n in marked:
        assert [it for it in cl["items"] if it["s"] == n and it["k"] == "dec"], (cid, n)


# Examples each "(measure ...)" step names, to be found among its item's pick labels
# (or, for a number, the measure label and unit).
MEASURE_EXAMPLES = {
    ("A", 1): ["Pilot", "Gaia", "UB3", "Septal", "Epicardial", "Ipsilateral epicardial"],
    ("A", 2): ["Finecross", "Corsair", "RAD-pass", "Turnpike"],
    ("A", 5): ["Gap between MC tips", "mm"],
    ("B", 1): ["7-Fr crossover", "Heparin dose", "IU"],
}
# "pick, log each tried" lists: step -> the options the .md names (BASE/BAM are hand-overs).
TRIED = {
    ("B", 2): ["Antegrade wiring", "Intentional subintimal/PIER", "Re-entry device (Outback)",
               "Retrograde via distal puncture", "Looped wire"],
    ("D", 1): ["Stiffer wires", "More support", "Penetrating MC (Tornus, Turnpike Gold)",
               "Carlino (contrast micro-injection)", "Intravascular lithotripsy (IVL)", "Retrograde"],
    ("D", 5): ["Stronger guide support", "Low-profile balloon <1.5 mm", "Guide extension", "Anchoring balloon",
               "Special MC (Tornus, Turnpike)", "Rotational/orbital/laser atherectomy", "Side-BASE",
               "Power knuckle", "RDR"],
    ("G", 8): ["Flow-limiting dissection", "Wire perforation", "Distal embolisation", "Puncture-site bleeding"],
}


def labels_of(items):
    out = []
    for it in items:
        for m in it.get("m", ()):
            out.append(m[1])
            if type(m[2]) is tuple:
                out += [p[1] for p in m[2]]
            else:
                out.append(m[2])
    return out


def test_every_measure_step_of_the_md_carries_measures():
    for letter, cid in CASES:
        cl = load(cid)
        for n, text in SECTIONS[letter]["steps"].items():
            # a "(crossover ...) (record it)" is recorded by the decision itself (G step 5)
            if re.search(r"\(measure|[Rr]ecord (the failed|complications)|Complications to record", text):
                assert [it for it in cl["items"] if it["s"] == n and it.get("m")], (cid, n)
    for (letter, n), want in MEASURE_EXAMPLES.items():
        got = labels_of([it for it in load(LETTERS[letter])["items"] if it["s"] == n])
        assert set(want) <= set(got), (letter, n, set(want) - set(got))


def test_log_each_tried_lists_keep_every_entry_and_name_the_md_options():
    for (letter, n), want in TRIED.items():
        its = [it for it in load(LETTERS[letter])["items"] if it["s"] == n and it.get("m")]
        multi = [m for it in its for m in it["m"] if type(m[2]) is tuple and m[3] == 1]
        assert multi, (letter, n)
        assert set(want) <= {p[1] for p in multi[0][2]}, (letter, n, set(want) - {p[1] for p in multi[0][2]})


def test_the_series_gap_fits_the_gap_range():
    # WHIH step 5: median 4.5 mm, range 2-20 mm: tenths of a mm, 0..100.0 mm
    gap = [m for it in load("whih")["items"] for m in it.get("m", ()) if m[0] == "gap"][0]
    assert gap[2:] == ("mm", 0, 1000, 1)
    for tenths in (20, 45, 200):  # range low end, median, range high end
        assert gap[3] <= tenths <= gap[4]


def test_case_records_are_the_mds():
    rec = load("whih")["rec"]
    assert [m[1] for m in rec] == ["Guide configuration", "Approach", "Fluoroscopy time", "Procedure time",
                                   "Contrast volume"]
    assert [p[1] for p in rec[0][2]] == ["Bilateral", "Ping-pong", "Single", "Other"]
    assert [p[1] for p in rec[1][2]][:2] == ["Primary retrograde", "Retrograde after failed antegrade"]
    assert "Record for the case: guide configuration" in SECTIONS["A"]["pre"]
    assert [m[1] for m in load("ivus_btk")["rec"]] == ["Rutherford category"]  # the J-BTK grade is a finding


def test_ivus_btk_reads_the_jbtk_grade_from_the_findings_and_no_checklist_asks_a_finding_again():
    assert ("The J-BTK grade is a lesion finding, entered once with the findings; the checklist reads it, never asks"
            " for it a second time.") in SECTIONS["G"]["pre"]
    from panel.content.findings import FINDINGS

    label = {f[0]: f[2] for f in FINDINGS}
    assert load("ivus_btk")["fin"] == ("jbtk_grade",) and label["jbtk_grade"] == "J-BTK grade"
    findings = {f[2].lower() for f in FINDINGS}
    for _letter, cid in CASES:
        cl = load(cid)
        asked = [m[1] for m in cl["rec"]] + [m[1] for it in cl["items"] for m in it.get("m", ())]
        assert [a for a in asked if a.lower() in findings or "j-btk" in a.lower()] == [], cid


def test_ivus_btk_puncture_caution_and_the_calcium_note_in_the_references_words():
    g = SECTIONS["G"]["all"]
    assert "Caution: distal puncture carries puncture-site complications (bleeding, haematoma, vessel injury at the" \
        " puncture); IVUS-guided wiring avoids them." in g
    cau = {c[0]: c for c in load("ivus_btk")["cau"]}
    assert cau["puncture_site"][1] == ("distal puncture carries puncture-site complications (bleeding, haematoma,"
                                       " vessel injury at the puncture); IVUS-guided wiring avoids them.")
    assert cau["puncture_site"][2] == "puncture"  # the distal puncture step, and on from there
    note = cau["calcium_crossover"][1]
    assert "in this 34-lesion study severe calcification was associated with crossover to distal puncture" in note
    assert "predict" not in note.replace("not a validated predictor", "")
    assert note.endswith("(an association in a small cohort, not a validated predictor).")


def test_limits_and_standing_cautions_of_the_md_are_in_the_data():
    limits = re.search(r"Limits \(standing cautions\): (.*?)\.", SECTIONS["B"]["pre"]).group(1).split("; ")
    nre = load("nre")
    assert [c[1] for c in nre["cau"] if c[2] is None] == limits
    # C: the limits POB shows before Start, also when it is started on its own
    pob = re.search(r"Limits \(shown before Start, also when POB is started on its own\): (.*?)\.(?: |$)",
                    SECTIONS["C"]["pre"]).group(1).split("; ")
    assert pob == ["infrainguinal (femoropopliteal) occlusions only, never suprainguinal",
                   "the needle goes in from the distal thigh",
                   "the same access and anticoagulation as NRE (checklist B)"]
    assert [c[1] for c in load("pob")["cau"] if c[2] is None] == pob
    found = 0
    for letter, cid in CASES:
        texts = " ".join(norm(c[1]) for c in load(cid)["cau"])
        for m in re.finditer(r"Standing (?:caution|note)[^:]*: (.+?\.)(?= |$)", SECTIONS[letter]["all"]):
            assert m.group(1) in texts, (cid, m.group(1))
            found += 1
    assert found == 3  # D step 2, D step 5, G step 2


# Where a section names another checklist without handing over to it: its cautions or its set-up
# apply here (each checked where this content carries it: WHIH and POB tests below).
NOT_HAND_OVERS = {
    ("A", "D"): "otherwise checklist D's extraplaque cautions apply",
    ("C", "B"): "the same access and anticoagulation as NRE (checklist B)",
}


def test_every_hand_over_to_another_checklist_is_an_end():
    for letter, cid in CASES:
        ends = [e[0] for e in load(cid)["ends"]]
        for m in re.finditer(r"checklist ([A-H])\b", SECTIONS[letter]["all"]):
            if (letter, m.group(1)) in NOT_HAND_OVERS:
                assert NOT_HAND_OVERS[(letter, m.group(1))] in SECTIONS[letter]["all"]
                continue
            assert SWITCH + LETTERS[m.group(1)] in ends, (cid, m.group(0))


def item(cid, iid):
    return [it for it in load(cid)["items"] if it["id"] == iid][0]


def test_whih_no_tip_in_leaves_by_the_exit_gate():
    # A step 3: "tip-in achieved? no → WHIH cannot go on ...; leave through the exit gate to another strategy"
    assert "tip-in achieved? no → WHIH cannot go on" in SECTIONS["A"]["steps"][3]
    assert "leave through the exit gate to another strategy" in SECTIONS["A"]["steps"][3]
    tip = item("whih", "tip_in")
    assert {o[0]: o[2] for o in tip["o"]} == {"yes": "ante_mc", "no": ABANDONED}  # no branch that carries on
    run = replay(load("whih"), [{"k": "confirm", "item": "in_guide"}, {"k": "decide", "item": "retro_mc", "opt": "no"},
                                {"k": "decide", "item": "tip_in", "opt": "no"}])
    assert run.end == ABANDONED and run.cur is None and run.why == ("strategy_switch", "tip_in:no")
    assert [i for i, st in run.statuses() if st == "done"] == ["in_guide", "retro_mc", "tip_in"]
    assert "close_mcs" not in run.reached


def test_whih_atherectomy_only_once_ivus_confirms_the_track_intraplaque():
    step9 = SECTIONS["A"]["steps"][9]
    assert "rotational atherectomy for heavy calcium (3 of 14 cases) only once IVUS confirms the track is" \
        " intraplaque" in step9
    assert "otherwise checklist D's extraplaque cautions apply (no atherectomy, no very high-pressure balloon)" in step9
    cl = load("whih")
    to = {o[0]: o[2] for o in item("whih", "ivus")["o"]}
    assert sorted(to) == ["intraplaque", "not_intraplaque"]
    mentions = [it["id"] for it in cl["items"] if "atherectomy" in it["d"] and "no atherectomy" not in it["d"]]
    assert mentions == [to["intraplaque"]]  # the one item that offers it, behind IVUS: intraplaque
    assert item("whih", to["not_intraplaque"])["t"] == "Prepare lesion: no atherectomy"
    # the other branch carries checklist D's extraplaque cautions, word for word, from its first item on
    d = {c[0]: c[1] for c in load("calcified")["cau"]}
    carried = [c for c in cl["cau"] if c[0] in ("extraplaque", "no_high_pressure")]
    assert [(c[0], c[1], c[2]) for c in carried] == [
        ("extraplaque", d["extraplaque"], to["not_intraplaque"]),
        ("no_high_pressure", d["no_high_pressure"], to["not_intraplaque"])]


def test_outcome_definitions_back_the_success_ends():
    out = SECTIONS["out"]["pre"]
    for cid in ("whih", "calcified", "strategy"):
        cl = load(cid)
        assert ("Technical success", "TIMI 3 antegrade flow and residual stenosis <30 %") in cl["ok"]
        assert ("Procedural success", "technical success with no in-hospital MACE") in cl["ok"]
    assert "WHIH — the antegrade wire crossed into the distal vessel" in out
    # both definitions of technical success are in the content, in the reference's words
    from panel.content.outcomes import TECH_SUCCESS, TECH_SUCCESS_DEFS

    clause = "and no related complications during the operation"
    assert "Technical success (coronary): " + TECH_SUCCESS + ". The operator-CTO paper adds \"" + clause + "\"" in out
    assert "wherever observed success is set against a score's published rate, say which definition each side uses" \
        in out
    assert [d[2] for d in TECH_SUCCESS_DEFS] == [TECH_SUCCESS, TECH_SUCCESS + " " + clause]
    assert load("whih")["ok"][0] == ("Device success", "the antegrade wire has crossed the CTO into the distal vessel")


VERBS = {
    "Advance", "Check", "Choose", "Confirm", "Cross", "Characterise", "Dissect", "Do", "Engage", "Escalate",
    "Get", "Image", "Implant", "Inflate", "Insert", "Modify", "Penetrate", "Perform", "Pre-dilate", "Prepare",
    "Puncture", "Push", "Re-dilate", "Record", "Review", "Run", "Steer", "Track", "Treat", "Wire", "Withdraw",
}


@pytest.mark.parametrize("letter,cid", CASES)
def test_item_text_is_one_short_line_starting_with_a_verb(letter, cid):
    for it in load(cid)["items"]:
        t = it["t"]
        assert len(t) <= MAX_TEXT and "\n" not in t, t
        assert re.split(r"[ :,]", t)[0] in VERBS, t


@pytest.mark.parametrize("letter,cid", CASES)
def test_validates_clean_with_every_switch_known(letter, cid):
    assert validate(load(cid), [e[0] for e in INDEX]) == []


def test_every_timer_is_the_30_minute_wire_crossing_timer_of_the_reference():
    # The threshold traces to J-CTO's endpoint (SCORES.md §1: "guidewire crossing of the CTO within
    # 30 minutes"); TECHNIQUES.md names the wire-crossing attempt as the timer's example.
    scores_md = (CLINICAL / "SCORES.md").read_text()
    assert "guidewire crossing of the CTO within 30 minutes" in scores_md
    assert "a step can start a timer (e.g. wire-crossing attempt) with an alert threshold" in norm(MD)
    timers = [tm for _cid, _title, _mod in INDEX for tm in load(_cid)["tm"]]
    assert timers, "no checklist starts the wire-crossing timer"
    for tid, label, seconds in timers:
        assert (tid, label, seconds) == ("wire", "Wire crossing", 30 * 60)
    with_timer = sorted(cid for cid, _t, _m in INDEX if load(cid)["tm"])
    assert with_timer == ["calcified", "ivus_btk", "strategy"]  # where a wire-crossing attempt starts


def test_calcified_the_issues_extraplaque_path_carries_the_caution_and_offers_no_atherectomy():
    # D's last paragraph and step 7; the path the issue reproduced: knuckle -> re-entry -> NC balloon not
    # expanded -> superficial calcium (every path is walked in tests/portable/test_checklist_cautions.py)
    assert 'carries the standing caution "extraplaque: no atherectomy, no very high-pressure balloon" on every' \
        " later item, in phase 2 and phase 3 alike" in WHOLE
    assert "IVL (caution: perforations with IVL have been described)" in SECTIONS["D"]["steps"][7]
    cl = load("calcified")
    cau = {c[0]: c[1] for c in cl["cau"]}
    assert cau["extraplaque"] == "extraplaque: no atherectomy, no very high-pressure balloon"
    assert cau["ivl_perforation"] == "perforations with IVL have been described"
    run = replay(cl, [{"k": "confirm", "item": "assess"}, {"k": "decide", "item": "cap", "opt": "yes"},
                      {"k": "decide", "item": "track", "opt": "knuckle"},
                      {"k": "decide", "item": "reentry", "opt": "yes"},
                      {"k": "decide", "item": "device_x", "opt": "yes"}, {"k": "confirm", "item": "nc_x"},
                      {"k": "decide", "item": "expanded_x", "opt": "no"},
                      {"k": "decide", "item": "calcium_x", "opt": "superficial"}])
    assert run.cur == "superficial_x"
    assert [c[0] for c in run.cautions()][:2] == ["extraplaque", "no_high_pressure"]
    picks = [p[1] for m in item("calcified", "superficial_x")["m"] for p in m[2]]
    assert picks == ["Cutting/scoring balloon", "IVL", "Other"]  # no atherectomy, no (very) high pressure
    # the same calcium on an IVUS-confirmed intraplaque track offers atherectomy, without the caution
    run = replay(cl, [{"k": "confirm", "item": "assess"}, {"k": "decide", "item": "cap", "opt": "yes"},
                      {"k": "decide", "item": "track", "opt": "yes"}, {"k": "decide", "item": "device", "opt": "yes"},
                      {"k": "confirm", "item": "nc"}, {"k": "decide", "item": "expanded", "opt": "no"},
                      {"k": "decide", "item": "ivus_track", "opt": "intraplaque"},
                      {"k": "decide", "item": "calcium", "opt": "superficial"}])
    assert run.cur == "superficial" and run.cautions() == []
    assert "Rotational/orbital atherectomy" in [p[1] for m in item("calcified", "superficial")["m"] for p in m[2]]
    # and at eccentric calcium the IVL option carries the perforation caution, on both tracks
    for track, calcium in (("intraplaque", "calcium"), ("extraplaque", "calcium_x")):
        run = replay(cl, [{"k": "confirm", "item": "assess"}, {"k": "decide", "item": "cap", "opt": "yes"},
                          {"k": "decide", "item": "track", "opt": "yes"},
                          {"k": "decide", "item": "device", "opt": "yes"}, {"k": "confirm", "item": "nc"},
                          {"k": "decide", "item": "expanded", "opt": "no"},
                          {"k": "decide", "item": "ivus_track", "opt": track},
                          {"k": "decide", "item": calcium, "opt": "eccentric"}])
        assert "ivl_perforation" in [c[0] for c in run.cautions()], track
        assert "IVL" in [p[1] for m in run.item(run.cur)["m"] for p in m[2]]


def test_strategy_adr_conditions_are_listed_and_not_met_leads_to_the_approaches_still_open():
    from test_checklist_paths import paths

    h4 = SECTIONS["H"]["steps"][4]
    assert "the panel lists these three conditions where it asks" in h4
    assert 'ADR not possible → the other approaches still open (retrograde if usable collaterals and not yet tried)' \
        ' before "not crossed"' in h4
    cl = load("strategy")
    checks = [it for it in cl["items"] if it["t"] == "Check ADR conditions: all 3 met?"]
    assert [it["id"] for it in checks] == ["adr_check", "adr_check_r"]
    for it in checks:  # where it asks, the three conditions: one option each, and all three met
        assert "the distal vessel is free of severe diffuse disease, the landing zone spares large branches and the" \
            " occlusion is longer than 20 mm" in it["d"]
        assert [o[1] for o in it["o"]] == ["No: distal vessel diseased", "No: large branch at landing",
                                           "No: length ≤20 mm", "Yes: all 3 met"]
    # on every path, ADR not possible offers retrograde exactly when it has not been tried, before "not crossed"
    retro = ("retrograde", "retrograde_last")
    n = 0
    for steps, end in paths(cl):
        ids = [s[0] for s in steps]
        for i, (iid, opt) in enumerate(steps):
            if iid in ("adr_check", "adr_check_r") and opt != "yes":
                n += 1
                tried = [x for x in ids[:i] if x in retro]
                nxt = steps[i + 1][0] if i + 1 < len(steps) else end
                if tried:
                    assert nxt == "end:not_crossed", ids
                else:
                    assert nxt == "adr_open", ids
                    offered = [o for o in item("strategy", "adr_open")["o"]]
                    assert [o[2] for o in offered] == ["retrograde_last", "end:not_crossed"]
    assert n > 0

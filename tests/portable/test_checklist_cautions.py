# tests/portable/test_checklist_cautions.py — every caution the reference requires, active wherever it applies, on every path.
#
# Walks every path of every checklist (the enumerator of test_checklist_paths, which reads
# the content graph independently of the engine) through the engine, and at every item the
# cursor reaches asserts, for each caution TECHNIQUES.md requires, that Run.cautions()
# holds it exactly when the rule below says it applies — and not before or elsewhere.
# The rules (one for every caution of every checklist) are written from shared/clinical/TECHNIQUES.md by
# the choices a path makes, not from the content's "from" items, so a caution tied to the wrong item fails
# here; the runner (tests/mponly/test_runner_cautions.py) and the host's live model
# (tests/test_live_cautions.py) are held to the same rules:
#   D: every path on which the wire is or may be extraplaque carries "extraplaque: no
#      atherectomy, no very high-pressure balloon" (and step 2's standing caution) on every
#      later item: after a knuckle or a wire tracked extraplaque (step 2), a device crossed by
#      an extraplaque alternative (step 5), a track IVUS has not shown intraplaque (step 8);
#      the IVL perforation caution at eccentric calcium; <14 atm where eccentric and extraplaque.
#      And what is offered: no atherectomy and no high-pressure balloon while the extraplaque
#      caution stands; in phase 3 atherectomy only after IVUS showed the track intraplaque.
#   A: step 9: D's extraplaque cautions once IVUS has not shown the track intraplaque, and
#      rotational atherectomy only after it has.
#   C: the limits from the first item, also when POB is started on its own; B: its limits.
#   E: the knuckle in the extraplaque space (step 3) carries D's extraplaque cautions.
#   G: the distal puncture step carries the puncture-site caution, from that step on; step 2's
#      standing note from the crossing decision on; the imaging-only caution while IVUS guides the wire.
#   Notes of one step ("at" in the content): ADR's condition at re-entry (D step 3), the order of
#   the escalation (D step 5), step 8's rule at the undilatable lesion (D), IVUS before atherectomy (A step 9).
# Run alone: .venv/bin/pytest tests/portable/test_checklist_cautions.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_checklist_cautions

from panel.checklist import Run
from panel.content.checklists import INDEX, load
from test_checklist_paths import events_for, graph, paths

XP_D = (("track", "knuckle"), ("track", "no"), ("uncrossable", "xcrossed"), ("ivus_track", "extraplaque"))


def took(*choices):
    """Rule: the caution applies once the path has made any of these (item, option) choices."""
    return lambda taken, visited, cur: [c for c in choices if c in taken] != []


def visited_any(*items):
    """Rule: the caution applies from the moment the cursor reaches any of these items."""
    return lambda taken, visited, cur: [i for i in items if i in visited or i == cur] != []


def always(taken, visited, cur):
    return True


def on(*items):
    """Rule: the caution applies while the cursor is on one of these items (a note of that step)."""
    return lambda taken, visited, cur: cur in items


# checklist id -> ((caution id, rule), ...): every caution of every checklist, where TECHNIQUES.md says it applies
REQUIRED = {
    "calcified": (
        ("extraplaque", took(*XP_D)),
        ("no_high_pressure", took(*XP_D)),
        ("adr_vessel", on("reentry")),  # step 3: the condition of ADR, where re-entry is attempted
        ("intraplaque_first", on("uncrossable")),  # step 5: the order of the stepwise escalation
        ("ivl_perforation", took(("calcium", "eccentric"), ("calcium_x", "eccentric"))),
        ("eccentric", took(("calcium_x", "eccentric"))),
        ("undilatable", on("undilatable")),  # step 8, on the intraplaque track (extraplaque: the standing ones)
    ),
    "whih": (
        ("last_resort", always),
        ("devices", always),
        ("atherectomy_ivus", on("ivus")),  # step 9: where IVUS shows the track
        ("extraplaque", took(("ivus", "not_intraplaque"))),
        ("no_high_pressure", took(("ivus", "not_intraplaque"))),
    ),
    "pob": (("infrainguinal", always), ("thigh", always), ("as_nre", always)),
    "nre": (("suprainguinal", always), ("balloon", always), ("back_side", always)),
    "base": (("extraplaque", visited_any("knuckle")), ("no_high_pressure", visited_any("knuckle"))),
    "bam": (),
    "ivus_btk": (
        ("calcium_crossover", visited_any("crossed")),  # step 2's standing note, from the crossing decision on
        ("imaging_only", on("ivus", "second_wire", "ivus_crossed")),  # steps 3-5: the IVUS catheter in use
        ("puncture_site", visited_any("puncture")),
        ("no_stenting", visited_any("predilate")),
    ),
    "strategy": (("log_change", always),),
}


ATHERECTOMY = "therectomy"
HIGH_PRESSURE = ("High-pressure", "high pressure", "OPN")


def offers(it, words):
    """Labels of the picks and options item `it` offers that contain any of `words`."""
    labels = [o[1] for o in it.get("o", ())]
    for m in it.get("m", ()):
        if type(m[2]) is tuple:
            labels += [p[1] for p in m[2]]
    return [lb for lb in labels if [w for w in words if w in lb]]


def walk(cid, check):
    """Drive every path of checklist cid; call check(run, item, taken, visited) at every item reached."""
    cl = load(cid)
    items, _nxt = graph(cl)
    n = 0
    for steps, _terminal in paths(cl):
        run = Run(cl)
        taken = []
        visited = {}
        t = 1000
        for step in steps:
            assert run.cur == step[0], (cid, step, run.cur)
            check(run, items[step[0]], taken, visited)
            n += 1
            for ev in events_for(cl, step, t):
                run.apply(ev)
            t += 10
            visited[step[0]] = 1
            if step[1] is not None:
                taken.append(step)
    return n


def expected(cid, taken, visited, cur):
    """The caution ids that apply at item `cur` of checklist cid, by the rules above, in content order."""
    rules = dict(REQUIRED[cid])
    return [c[0] for c in load(cid)["cau"] if rules[c[0]](taken, visited, cur)]


def test_every_caution_of_every_checklist_has_its_rule():
    assert sorted(REQUIRED) == sorted([e[0] for e in INDEX])
    for cid in REQUIRED:
        assert sorted([c[0] for c in REQUIRED[cid]]) == sorted([c[0] for c in load(cid)["cau"]]), cid


def test_every_required_caution_is_active_exactly_where_it_applies_on_every_path():
    for cid in REQUIRED:
        rules = REQUIRED[cid]

        def check(run, it, taken, visited, rules=rules, cid=cid):
            active = [c[0] for c in run.cautions()]
            for cau, rule in rules:
                want = rule(taken, visited, it["id"])
                assert (cau in active) == want, (cid, it["id"], cau, want, taken)

        assert walk(cid, check) > 0


def test_pob_started_on_its_own_shows_its_limits_before_the_first_step():
    run = Run(load("pob"))  # not handed over from NRE: a fresh run
    assert [c[0] for c in run.cautions()] == ["infrainguinal", "thigh", "as_nre"]
    assert [c[2] for c in load("pob")["cau"]] == [None, None, None]  # shown before Start, and throughout


def test_calcified_offers_no_atherectomy_or_high_pressure_where_the_wire_is_or_may_be_extraplaque():
    seen = {"athero": 0, "xp": 0}

    def check(run, it, taken, visited):
        xp = "extraplaque" in [c[0] for c in run.cautions()]
        if xp:
            seen["xp"] += 1
            assert offers(it, (ATHERECTOMY,)) == [], (it["id"], taken)
            assert offers(it, HIGH_PRESSURE) == [], (it["id"], taken)
        if offers(it, (ATHERECTOMY,)):
            seen["athero"] += 1
            assert not xp, (it["id"], taken)
            if it["s"] >= 6:  # phase 3: only once IVUS has shown the track intraplaque (step 8)
                assert ("ivus_track", "intraplaque") in taken, (it["id"], taken)
            else:  # phase 2: step 5's list, on the wire tracked intraplaque
                assert it["s"] == 5 and ("track", "yes") in taken, (it["id"], taken)

    walk("calcified", check)
    assert seen["athero"] > 0 and seen["xp"] > 0


def test_whih_offers_rotational_atherectomy_only_once_ivus_showed_the_track_intraplaque():
    seen = []

    def check(run, it, taken, visited):
        if "atherectomy" in it["d"] and "no atherectomy" not in it["d"]:
            seen.append(it["id"])
            assert ("ivus", "intraplaque") in taken, taken
            assert "extraplaque" not in [c[0] for c in run.cautions()]

    walk("whih", check)
    assert seen

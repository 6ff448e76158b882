"""The score content checked against its reference, shared/clinical/SCORES.md, by parsing it (CPython only).

Covers panel/content/scores/ against SCORES.md: every score section has exactly one
content score and every content score a section (matched by citation), and no section
goes unhandled (a new one, e.g. a worked example, fails until it is checked here);
citations and endpoints; for every table with an `id` and a `points` column the set of
variable ids (content var id = table id) and each weight (x2 = points2; "+1", "−1",
"1.5", unicode minus); the comparison (>, ≥, <) and number of every threshold in the
table's variable column against the content predicate; each table row's confidence tag;
the stated ranges ("Range 0–5", "−4 to +9", "max 6") against the content range and
against the arithmetic of the weights; every category cut-off and every published rate
(parsed from the prose where it has a regular form; written here as literals, next to an
assertion that the exact source fragment is still in SCORES.md, for the prose-only
sections 3b, 6 and 9); every number in a content label or note traces to its section;
every [verify] item of SCORES.md is tagged "verify" in the content, and a [verify]
category or rate has no value in the content.
Numbers: all from SCORES.md as it is read at run time; the literals below quote it.
Run alone: .venv/bin/pytest tests/test_scores_reference.py
"""

import re

import pytest

from conftest import CLINICAL
from panel.content.scores import SCORES

REFERENCE = CLINICAL / "SCORES.md"
TEXT = REFERENCE.read_text(encoding="utf-8")
BY_ID = {s["id"]: s for s in SCORES}
MINUS = "\u2212"


def flat(text):
    """Whitespace collapsed, so fragments match across SCORES.md's line wrapping."""
    return re.sub(r"\s+", " ", text).strip()


# -- sections -------------------------------------------------------------------------------

HEADING = re.compile(r"^(#{2,3}) (\S+)\. (.*)$", re.M)
SCORE_HEADING = re.compile(r"^(.*?) \(([^()]*et al\.[^()]*)\)(.*)$")
# sections that are not scores: what each is, so a new section cannot slip through unread
NOT_SCORES = {
    "3": "PROGRESS-CTO complication scores",  # holds 3a and 3b
    "10": "CT-based calcium items",
    "11": "Gradings the panel asks for",
    "12": "How the scores are used at the table",
}


def sections():
    """number -> (heading rest, body up to the next heading of any level)."""
    marks = list(HEADING.finditer(TEXT))
    out = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else TEXT.index("\n## Sources")
        out[m.group(2)] = (m.group(3), TEXT[m.end():end])
    return out


SECTIONS = sections()


def score_sections():
    """content score id -> (number, name, citation, heading tail, body)."""
    out = {}
    for num, (head, body) in SECTIONS.items():
        m = SCORE_HEADING.match(head)
        if not m:
            continue
        matches = [s["id"] for s in SCORES if s["citation"] == m.group(2)]
        key = matches[0] if len(matches) == 1 else f"§{num} ({m.group(2)}): content scores {matches}"
        out[key] = (num, m.group(1), m.group(2), m.group(3), body)
    return out


SCORE_SECTIONS = score_sections()


def body(sid):
    return SCORE_SECTIONS[sid][4]


def test_every_score_of_scores_md_has_a_content_entry_and_vice_versa():
    assert sorted(SCORE_SECTIONS) == sorted(BY_ID)
    assert len(SCORES) == len(BY_ID) == 10
    for num, (head, _) in SECTIONS.items():
        if num in NOT_SCORES:
            assert head.startswith(NOT_SCORES[num]), f"§{num} is now {head!r}"
            assert not SCORE_HEADING.match(head), f"§{num} now cites a paper: is it a score?"
            continue
        assert SCORE_HEADING.match(head), (
            f"SCORES.md §{num} {head!r} is neither a score this content carries nor a section this test "
            "knows: add it to the content (or, if it is a worked example, turn it into test cases) "
            "and teach this test about it")
    assert "worked example" not in TEXT.lower(), (
        "SCORES.md now has a worked example: add it to tests/test_score_cli.py as a lesion with its totals")
    # §10: KCCT and CT-RECTOR are not totalled until their totals are verified
    assert "KCCT and CT-RECTOR totals are [verify]" in flat(SECTIONS["10"][1])
    for s in SCORES:
        assert "kcct" not in s["id"] and "rector" not in s["id"].lower(), s["id"]


def test_citations_match_the_section_headings():
    for sid, (num, name, citation, _, _) in SCORE_SECTIONS.items():
        assert BY_ID[sid]["citation"] == citation, sid
        # the content name is the section's name, or (3a, 3b) the parent score's name with the kind
        if num in ("3a", "3b"):
            assert BY_ID[sid]["name"].startswith("PROGRESS-CTO"), sid
            assert name.split()[0].lower().rstrip("s") in BY_ID[sid]["name"].lower(), (sid, name)
        else:
            assert BY_ID[sid]["name"] == re.sub(r" score$", "", name), (sid, name)


# Every word of a content endpoint must appear in its SCORES.md section.
ENDPOINT_WORDS_NOT_IN_REFERENCE = {}


def test_endpoints_trace_to_their_sections():
    for sid, (num, _, _, tail, text) in SCORE_SECTIONS.items():
        endpoint = BY_ID[sid]["endpoint"]
        words = set(flat(tail + " " + text).lower().replace(".", " ").replace(",", " ").split())
        if endpoint is None:
            assert sid == "recharge" and "endpoint" not in text.lower()
            continue
        missing = {w for w in endpoint.lower().split() if w not in words}
        assert missing == ENDPOINT_WORDS_NOT_IN_REFERENCE.get(sid, set()), (sid, missing)


# -- tables ---------------------------------------------------------------------------------

def tables(text):
    """Every markdown table in `text`: list of row dicts (header -> cell)."""
    out = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-| ]+\|$", lines[i + 1]):
            head = [c.strip() for c in lines[i].strip("|").split("|")]
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip("|").split("|")]
                rows.append(dict(zip(head, cells)))
                i += 1
            out.append(rows)
        else:
            i += 1
    return out


def points2(cell):
    """A weight as SCORES.md writes it ("1", "+1", "−1", "1.5", "−2") in half points."""
    m = re.fullmatch(r"([+\-" + MINUS + r"]?)(\d+)(\.5)?", cell)
    assert m, f"weight {cell!r}"
    p2 = int(m.group(2)) * 2 + (1 if m.group(3) else 0)
    return -p2 if m.group(1) in ("-", MINUS) else p2


def point_tables():
    """content score id -> rows of its id/points table."""
    out = {}
    for sid in SCORE_SECTIONS:
        found = [t for t in tables(body(sid)) if t and "id" in t[0] and "points" in t[0]]
        assert len(found) <= 1, sid
        if found:
            out[sid] = found[0]
    return out


POINT_TABLES = point_tables()


def test_the_tables_found_are_the_expected_ones():
    assert sorted(POINT_TABLES) == sorted(
        ["jcto", "progress", "progress_compl", "castle", "ora", "cl", "operator_cto"])
    # every id/points table of the file belongs to a score section
    assert sum(1 for t in tables(TEXT) if t and "id" in t[0] and "points" in t[0]) == len(POINT_TABLES)


@pytest.mark.parametrize("sid", sorted(POINT_TABLES))
def test_table_variables_and_weights_equal_the_content(sid):
    rows = POINT_TABLES[sid]
    content = {v[0]: v[2] for v in BY_ID[sid]["vars"]}
    table = {r["id"]: points2(r["points"]) for r in rows}
    assert len(table) == len(rows), "duplicate ids"
    assert set(table) == set(content), (sid, set(table) ^ set(content))
    assert table == content, sid
    # and in the table's order
    assert [r["id"] for r in rows] == [v[0] for v in BY_ID[sid]["vars"]], sid


def comparisons(pred):
    """Every (op, finding, number) threshold in a predicate."""
    if pred[0] in ("any", "first"):
        return [c for p in pred[1:] for c in comparisons(p)]
    if pred[0] in ("gt", "ge", "lt"):
        return [(pred[0], pred[1], pred[2])]
    if pred[0] == "pct_ge":
        return [("ge", pred[1], pred[3])]
    if pred[0] == "in" and pred[1] == "rentrop":  # Rentrop <n as the grades below n
        grades = sorted(int(g) for g in pred[2])
        assert grades == list(range(grades[-1] + 1))
        return [("lt", "rentrop", grades[-1] + 1)]
    return []


OPS = {">": "gt", "≥": "ge", "<": "lt"}


@pytest.mark.parametrize("sid", sorted(POINT_TABLES))
def test_table_thresholds_equal_the_content_predicates(sid):
    preds = {v[0]: v[3] for v in BY_ID[sid]["vars"]}
    labels = {v[0]: v[1] for v in BY_ID[sid]["vars"]}
    for row in POINT_TABLES[sid]:
        stated = re.sub(r"\([^()]*\)", "", row["variable"])  # the item, not its parenthesised comments
        said = [(OPS[op], int(n)) for op, n in re.findall(r"([>≥<])\s*(\d+)", stated)]
        got = [(op, n) for op, _, n in comparisons(preds[row["id"]])]
        assert sorted(set(got)) == sorted(set(said)), (sid, row["id"], row["variable"], got)
        # the label the panel shows says the same comparison ("≥" written ">=")
        for op, n in said:
            sign = {"gt": ">", "ge": ">=", "lt": "<"}[op]
            assert f"{sign}{n}" in labels[row["id"]].replace(" ", ""), (sid, row["id"], labels[row["id"]])


TAG = re.compile(r"\[(seed|abstract|secondary|verify)\b")


@pytest.mark.parametrize("sid", sorted(POINT_TABLES))
def test_table_row_tags_equal_the_content_tags(sid):
    tags = {v[0]: v[4] for v in BY_ID[sid]["vars"]}
    for row in POINT_TABLES[sid]:
        line = " ".join(row.values())
        if "verify]" in line:  # "[verify]" or "boundary [verify]": the whole variable is unverified
            assert tags[row["id"]] == "verify", (sid, row["id"], line)
        elif TAG.search(line):
            assert tags[row["id"]] == TAG.search(line).group(1), (sid, row["id"], line)


# -- ranges ---------------------------------------------------------------------------------

RANGE = re.compile(r"[Rr]ange ([" + MINUS + r"+\-]?\d+)\s*(?:–|to)\s*([" + MINUS + r"+\-]?\d+)")


def number2(text):
    return points2(text.lstrip("+"))


def test_stated_ranges_equal_the_content_and_the_weights():
    for sid, s in BY_ID.items():
        text = flat(body(sid))
        stated = RANGE.findall(text)
        if sid == "progress_compl":
            assert stated == []  # §3a states no range: the arithmetic below is the check
        elif sid == "jbtk":
            assert stated == [] and "(max 6)" in text
            stated = [("0", "6")]
        else:
            assert len(stated) == 1, (sid, stated)
        if stated:
            assert s["range"] == (number2(stated[0][0]), number2(stated[0][1])), (sid, stated)
        if s["kind"] == "points":
            pts = [v[2] for v in s["vars"]]
            assert s["range"] == (sum(p for p in pts if p < 0), sum(p for p in pts if p > 0)), sid
    assert "Range −4 to +9 (arithmetic from the weights)" in TEXT
    assert BY_ID["operator_cto"]["range"] == (-8, 18)
    assert "Range 0–8 in half points" in TEXT and BY_ID["cl"]["range"] == (0, 16)


# -- categories and rates -------------------------------------------------------------------

def bounds(spec, floor2):
    """A band as SCORES.md writes it ("0", "≥3", "≤2", "0–2", "3.5–4.5", "6") -> (lo2, hi2 or None)."""
    spec = spec.strip()
    if spec.startswith("≥"):
        return number2(spec[1:]), None
    if spec.startswith("≤"):
        return floor2, number2(spec[1:])
    if "–" in spec:
        lo, hi = spec.split("–")
        return number2(lo), number2(hi)
    return number2(spec), number2(spec)


BAND = r"(\d+(?:\.5)?–\d+(?:\.5)?|[≥≤]\d+(?:\.5)?|\d+(?:\.5)?)"


def content_bands(sid):
    return [(c[0], c[1], c[2]) for c in BY_ID[sid]["cats"]]


def rates(sid, cohort=None):
    return [[r[0] for r in c[3] if cohort is None or r[1] == cohort] for c in BY_ID[sid]["cats"]]


def tenths(s):
    """"87.7" -> 877, "35" -> 350."""
    whole, _, frac = s.partition(".")
    assert len(frac) <= 1, s
    return int(whole) * 10 + (int(frac) if frac else 0)


def labelled_bands(sentence, floor2):
    """"easy 0, intermediate 1, difficult 2, very difficult ≥3" -> [(lo2, hi2, label)]."""
    out = []
    for item in sentence.split(","):
        m = re.fullmatch(r"\s*([a-z][a-z ]*?) " + BAND + r"\s*", item)
        assert m, item
        out.append(bounds(m.group(2), floor2) + (m.group(1),))
    return out


def find(pattern, text):
    m = re.search(pattern, text)
    assert m, f"SCORES.md no longer says: {pattern}"
    return m


def test_jcto_categories_and_rates():
    text = flat(body("jcto"))
    m = find(r"Categories \[secondary, consistent\]: ([^.]*)\.", text)
    assert labelled_bands(m.group(1), 0) == content_bands("jcto")
    assert all(c[4] == "secondary" for c in BY_ID["jcto"]["cats"])
    m = find(r"derivation set ((?:\d+\.\d %[,;] )+)", text)
    derivation = [tenths(x) for x in re.findall(r"(\d+\.\d) %", m.group(1))]
    assert derivation == [877, 671, 424, 100]
    assert [r for r in rates("jcto", "derivation set")] == [[v] for v in derivation]
    assert all(r[2] == "abstract" for c in BY_ID["jcto"]["cats"] for r in c[3])
    assert "Show the derivation figures with their endpoint" in text
    m = find(r"validation set ((?:\d+\.\d %[,;] )+)", text)
    notes = " ".join(n[0] for n in BY_ID["jcto"]["notes"])
    assert m.group(1).strip().rstrip(";") in notes  # "92.3 %, 58.3 %, 34.8 %, 22.2 %"
    assert "AUC 0.82 (derivation), 0.76 (validation)" in text and "AUC 0.82 (derivation), 0.76 (validation)" in notes


def test_progress_has_no_rates_per_value():
    text = flat(body("progress"))
    assert "Rates per score value: [verify] — not found; show the total and the derivation figures only." in text
    assert BY_ID["progress"]["cats"] == ()
    notes = " ".join(n[0] for n in BY_ID["progress"]["notes"])
    for figure in ("92.9 %", "0.778", "0.720"):
        assert figure in text and figure in notes, figure


def test_complications_3a_categories_and_rates():
    text = flat(body("progress_compl"))
    m = find(r"Categories and complication rates \(derivation / validation\): (.*?)\.(?: |$)(?!\d)", text)
    parsed = re.findall(r"([a-z]+) " + BAND + r" \((\d+\.\d) % / (\d+\.\d) %\)", m.group(1))
    assert [p[0] for p in parsed] == ["low", "intermediate", "high"]
    assert [bounds(p[1], 0) + (p[0],) for p in parsed] == content_bands("progress_compl")
    assert rates("progress_compl", "derivation") == [[tenths(p[2])] for p in parsed]
    assert rates("progress_compl", "validation") == [[tenths(p[3])] for p in parsed]
    assert [[tenths(p[2]), tenths(p[3])] for p in parsed] == [[4, 0], [18, 25], [65, 68]]


# §3b is prose: the values are quoted here and the quotes must still be in SCORES.md.
MACE_FRAGMENTS = (
    "age ≥65 (1), female (2), moderate–severe calcification (1), blunt or no stump (1), antegrade dissection "
    "and re-entry used (1), retrograde used (2). Range 0–8; predicted MACE 0.4 %–9.4 % across the range.",
    "Per-value observed MACE from the external validation (Int J Cardiol 2022) [secondary]: 0–1: 0.7 %, "
    "2: 1.5 %, 3: 2.2 %, 4: 3.8 %, 5: 4.9 %, 6–7: 5.8 %.",
    "Note the age threshold differs from 3a (≥65 here, >65 there)",
)
MACE_VARS = {"age_65": 2, "female": 4, "calc_mod_severe": 2, "blunt_or_no_stump": 2, "adr": 2, "retrograde": 4}
MACE_BANDS = [(0, 2, 7), (4, 4, 15), (6, 6, 22), (8, 8, 38), (10, 10, 49), (12, 14, 58)]


def test_mace_3b_weights_thresholds_and_observed_rates():
    text = flat(body("progress_mace"))
    for fragment in MACE_FRAGMENTS:
        assert fragment in text, fragment
    s = BY_ID["progress_mace"]
    assert {v[0]: v[2] for v in s["vars"]} == MACE_VARS
    assert dict((v[0], v[3]) for v in s["vars"])["age_65"] == ("ge", "age", 65)
    assert [(c[0], c[1], c[3][0][0]) for c in s["cats"]] == MACE_BANDS
    assert all(c[4] == "secondary" and c[3][0][2] == "secondary" and "Int J Cardiol 2022" in c[3][0][1]
               for c in s["cats"])
    notes = " ".join(n[0] for n in s["notes"])
    assert "0.4 %" in notes and "9.4 %" in notes
    # the literals above are the fragments' numbers
    observed = re.findall(r"(\d)(?:–(\d))?: (\d+\.\d) %", MACE_FRAGMENTS[1])
    assert [(int(a) * 2, int(b or a) * 2, tenths(r)) for a, b, r in observed] == MACE_BANDS


def test_castle_categories_and_rates():
    text = flat(body("castle"))
    m = find(r"Published technical failure: (\d+) % at " + BAND + r", rising to (\d+) % at " + BAND
             + r" \[abstract\]; scores (\d) and (\d): \[verify\]\.", text)
    cats = BY_ID["castle"]["cats"]
    low = bounds(m.group(2), 0)
    high = bounds(m.group(4), 0)
    assert (cats[0][0], cats[0][1], [r[0] for r in cats[0][3]], cats[0][4]) == low + ([tenths(m.group(1))], "abstract")
    assert (cats[-1][0], cats[-1][1], [r[0] for r in cats[-1][3]], cats[-1][4]) == high + (
        [tenths(m.group(3))], "abstract")
    for c, score in zip(cats[1:-1], (m.group(5), m.group(6))):
        assert (c[0], c[1], c[3], c[4]) == (int(score) * 2, int(score) * 2, (), "verify")
    assert len(cats) == 4
    assert "14,882 derivation, 5,745 validation" in text


def test_ora_categories_and_no_rates():
    text = flat(body("ora"))
    m = find(r"Categories \[secondary\]: ([^.]*)\. Rates per category: \[verify\]\.", text)
    assert labelled_bands(m.group(1), 0) == content_bands("ora")
    for c in BY_ID["ora"]["cats"]:
        assert c[3] == () and c[4] == "secondary", c
    assert "The panel follows the two-point weight." in text


# §6 is prose: quoted here.
RECHARGE_FRAGMENTS = (
    "Each 1 point, range 0–6: blunt stump, calcification, bending ≥45°, occlusion length >20 mm, diseased distal "
    "landing zone (significant disease beyond the occlusion and/or distal lumen <2 mm), previous CABG graft on "
    "the target vessel. Categories and rates: [verify].",
)
RECHARGE_VARS = {  # item -> (content var, finding threshold)
    "blunt stump": ("blunt_stump", []),
    "calcification": ("calcification", []),
    "bending ≥45°": ("bending_45", [("ge", "bend_angle_deg", 45)]),
    "occlusion length >20 mm": ("length_20", [("gt", "length_mm", 20)]),
    "diseased distal landing zone": ("distal_disease", []),
    "previous CABG graft on the target vessel": ("prior_cabg_target", []),
}


def test_recharge_items_weights_and_no_categories():
    text = flat(body("recharge"))
    for fragment in RECHARGE_FRAGMENTS:
        assert fragment in text, fragment
    s = BY_ID["recharge"]
    assert [v[0] for v in s["vars"]] == [v for v, _ in RECHARGE_VARS.values()]
    assert all(v[2] == 2 for v in s["vars"])
    for item, (vid, thresholds) in RECHARGE_VARS.items():
        assert item in text
        assert comparisons(dict((v[0], v[3]) for v in s["vars"])[vid]) == thresholds, vid
    assert s["cats"] == () and s["tag"] == "seed" and all(v[4] == "seed" for v in s["vars"])


def test_cl_categories_are_unverified_and_carry_no_rates():
    text = flat(body("cl"))
    m = find(r"Categories ([^:]*): \[verify\]\. Rates: \[verify\]\.", text)
    assert labelled_bands(m.group(1), 0) == content_bands("cl")
    for c in BY_ID["cl"]["cats"]:
        assert c[3] == () and c[4] == "verify", c
    # 1.5 falls between easy 0–1 and intermediate 2–3: the content says so, marked
    assert ("1.5 lies between the published bands 0-1 and 2-3", "verify") in BY_ID["cl"]["notes"]


def test_operator_cto_categories_and_rates():
    text = flat(body("operator_cto"))
    m = find(r"Categories and technical success: (.*?)\. The three", text)
    parsed = re.findall(r"([a-z][a-z ]*?) " + BAND + r" → (\d+\.\d) %", m.group(1))
    floor2 = BY_ID["operator_cto"]["range"][0]
    assert [bounds(p[1], floor2) + (p[0],) for p in parsed] == content_bands("operator_cto")
    assert rates("operator_cto") == [[tenths(p[2])] for p in parsed] == [[990], [875], [538], [250]]
    assert all(c[4] == "seed" and c[3][0][2] == "seed" for c in BY_ID["operator_cto"]["cats"])
    notes = " ".join(n[0] for n in BY_ID["operator_cto"]["notes"])
    for figure in ("144 lesions", "10 operators", "0.901", "0.821", "0.982", "0.616", "0.745", "0.783", "0.738"):
        assert figure in text and figure in notes, figure


# §9 is prose: quoted here.
JBTK_FRAGMENTS = (
    "Grades [secondary]: A 0–1, B 2–3, C 4–5, D 6; guidewire crossing in the original study A 97.3 %, B 76.8 %, "
    "C 19.3 %, D 0 %.",
    "The five variables are reported as [secondary]: no outflow of the target vessel, CTO length >200 mm, "
    "reference vessel diameter <2.0 mm, calcification at the proximal entry, blunt entry. One of them carries 2 "
    "points (max 6) and which one is [verify]. Until it is verified the panel records the grade chosen by the "
    "operator (A–D) with its published rate, and may collect the five findings without summing them.",
)
JBTK_GRADES = [(0, 2, "A", 973), (4, 6, "B", 768), (8, 10, "C", 193), (12, 12, "D", 0)]
JBTK_COLLECTED = {"btk_no_outflow", "length_mm", "btk_rvd_lt2", "btk_calc_entry", "blunt_stump"}


def test_jbtk_grades_rates_and_collected_findings():
    text = flat(body("jbtk"))
    for fragment in JBTK_FRAGMENTS:
        assert fragment in text, fragment
    s = BY_ID["jbtk"]
    assert [(c[0], c[1], c[2], c[3][0][0]) for c in s["cats"]] == JBTK_GRADES
    assert all(c[4] == "secondary" and c[3][0][2] == "secondary" for c in s["cats"])
    assert s["kind"] == "grade" and s["vars"] == () and set(s["collected"]) == JBTK_COLLECTED
    # the literals are the fragment's numbers
    grades = re.findall(r"([A-D]) " + BAND + r"[,;]", JBTK_FRAGMENTS[0])
    crossing = re.findall(r"([A-D]) (\d+(?:\.\d)?) %", JBTK_FRAGMENTS[0])
    assert [bounds(b, 0) + (g,) for g, b in grades] == [t[:3] for t in JBTK_GRADES]
    assert [(g, tenths(v)) for g, v in crossing] == [(t[2], t[3]) for t in JBTK_GRADES]


# -- numbers trace, [verify] tags -----------------------------------------------------------

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def test_every_number_the_content_shows_is_in_its_section():
    for sid, s in BY_ID.items():
        text = flat(SCORE_SECTIONS[sid][3] + " " + body(sid))
        numbers = set(NUMBER.findall(text))
        shown = [n[0] for n in s["notes"]]
        for v in s["vars"]:
            shown.append(v[1])
            if v[5]:
                shown.append(v[5])
        shown.append(s["endpoint"] or "")
        for item in shown:
            for n in NUMBER.findall(item):
                assert n in numbers, (sid, n, item)


# Each [verify] of SCORES.md, by section, and how the content honours it; the counts make a
# new [verify] item fail here until it is handled.
VERIFY_COUNTS = {"intro": 2, "1": 1, "2": 1, "4": 1, "5": 1, "6": 1, "7": 4, "9": 1, "10": 1, "11": 1}


def verify_notes(sid):
    return [n[0] for n in BY_ID[sid]["notes"] if n[1] == "verify"]


def test_every_verify_item_is_tagged_verify_in_the_content():
    counts = {"intro": TEXT[:TEXT.index("\n## 1.")].count("[verify]")}
    for num, (head, text) in SECTIONS.items():
        counts[num] = (head + text).count("verify]")
    assert {k: v for k, v in counts.items() if v} == {k: v for k, v in VERIFY_COUNTS.items() if v}, (
        f"[verify] items per section changed: {counts}; make the content honour each, then update VERIFY_COUNTS")
    # §1 the >20 mm / >45° boundary note
    assert "Boundary note [verify]" in TEXT
    assert len(verify_notes("jcto")) == 1 and ">20 mm" in verify_notes("jcto")[0]
    assert ">45°" in verify_notes("jcto")[0]
    # §2 rates per value: none in content, said so
    assert BY_ID["progress"]["cats"] == () and len(verify_notes("progress")) == 1
    # §4 CASTLE 2 and 3: categories tagged verify, no rate
    assert [c[2] for c in BY_ID["castle"]["cats"] if c[4] == "verify"] == ["2", "3"]
    assert [c[3] for c in BY_ID["castle"]["cats"] if c[4] == "verify"] == [(), ()]
    assert len(verify_notes("castle")) == 1
    # §5 ORA rates per category: no rate anywhere
    assert all(c[3] == () for c in BY_ID["ora"]["cats"]) and len(verify_notes("ora")) == 1
    # §6 RECHARGE categories and rates: none
    assert BY_ID["recharge"]["cats"] == () and len(verify_notes("recharge")) == 1
    # §7 CL: the length boundary (table row, checked with the row tags), the categories and the rates, and which
    # CABG the CABG item means: tagged unverified, and the content says which reading it uses
    assert dict((v[0], v[4]) for v in BY_ID["cl"]["vars"])["length_20"] == "verify"
    assert "which one the original CL paper means is [verify]: until verified, show the item as unverified and say" \
        " which reading is used" in flat(body("cl"))
    cabg = [v for v in BY_ID["cl"]["vars"] if v[0] == "prior_cabg"][0]
    assert cabg[4] == "verify" and cabg[3] == ("yes", "prior_cabg") and "any CABG" in cabg[1]
    assert "read here as any previous CABG" in cabg[5] and "of the target vessel" in cabg[5]
    assert (cabg[5], "verify") in BY_ID["cl"]["notes"]  # shown with the basis, marked unverified
    assert all(c[4] == "verify" and c[3] == () for c in BY_ID["cl"]["cats"])
    # §9 J-BTK: which item carries 2 points: nothing summed
    assert BY_ID["jbtk"]["vars"] == () and len(verify_notes("jbtk")) == 1
    # §10 KCCT / CT-RECTOR totals: not in the content (checked with the section list)
    # §11 Werner thresholds ("thresholds verify"): the catalogue gives no sizes for the grades
    from panel.content.findings import FINDINGS
    werner = [f for f in FINDINGS if f[0] == "werner"][0]
    assert "thresholds verify" in SECTIONS["11"][1]
    assert not re.search(r"\d\s*mm", werner[3]), werner[3]


def test_content_verify_tags_sit_in_sections_that_say_verify():
    for sid, s in BY_ID.items():
        tagged = [v for v in s["vars"] if v[4] == "verify"] + [c for c in s["cats"] if c[4] == "verify"]
        tagged += [n for n in s["notes"] if n[1] == "verify"]
        tagged += [r for c in s["cats"] for r in c[3] if r[2] == "verify"]
        if tagged:
            assert "verify]" in body(sid), sid
        # a [verify] rate is never stored: every stored rate is tagged otherwise
        assert not [r for c in s["cats"] for r in c[3] if r[2] == "verify"], sid


# -- what a rate is shown with: its endpoint in words and its cohort ------------------------
# Every published rate is shown as "<rate> <endpoint words> (<cohort>)" (panel/scoretext.py), on the panel, in
# `bedside score` and `bedside case`, the app and the reports. Per score: the fragment of SCORES.md that states the
# endpoint (every word the content shows after a rate must be in it, or be one of STEMS' short forms of a word in
# it), the fragment that names each cohort of the content, and the fragment that gives that cohort's rates (every
# rate of that cohort must be in it).
RATE_SOURCES = {
    "jcto": ("guidewire crossing of the CTO within 30 minutes",
             {"derivation set": ("derivation set 87.7 %, 67.1 %, 42.4 %, 10.0 %",
                                 "derivation set 87.7 %, 67.1 %, 42.4 %, 10.0 %")}),
    "progress_compl": ("in-hospital major periprocedural complication",
                       {"derivation": ("complication rates (derivation / validation)",
                                       "low 0–2 (0.4 % / 0.0 %), intermediate 3–4 (1.8 % / 2.5 %), high ≥5 (6.5 % / "
                                       "6.8 %)"),
                        "validation": ("complication rates (derivation / validation)",
                                       "low 0–2 (0.4 % / 0.0 %), intermediate 3–4 (1.8 % / 2.5 %), high ≥5 (6.5 % / "
                                       "6.8 %)")}),
    "progress_mace": ("observed MACE",
                      {"external validation, Int J Cardiol 2022": (
                          "from the external validation (Int J Cardiol 2022)",
                          "0–1: 0.7 %, 2: 1.5 %, 3: 2.2 %, 4: 3.8 %, 5: 4.9 %, 6–7: 5.8 %")}),
    "castle": ("Endpoint: technical failure",
               {"EuroCTO registry": ("Derived from the EuroCTO registry",
                                     "Published technical failure: 8 % at 0–1, rising to 35 % at ≥4")}),
    "operator_cto": ("Endpoint: technical success",
                     {"144 lesions": ("144 lesions, 10 operators",
                                      "simple ≤2 → 99.0 %, medium 3 → 87.5 %, difficult 4 → 53.8 %, extremely "
                                      "difficult ≥5 → 25.0 %")}),
    "jbtk": ("guidewire crossing in the original study",
             {"original study": ("guidewire crossing in the original study",
                                 "A 97.3 %, B 76.8 %, C 19.3 %, D 0 %")}),
    # scores with no rate in the content: the words their rates would carry still say their endpoint
    "progress": ("Endpoint: technical success with the hybrid approach", {}),
    "ora": ("— technical failure", {}),
    "cl": ("Endpoint: success of a first CTO PCI attempt", {}),
}
STEMS = {"crossed": "crossing", "min": "minutes"}  # the panel's short forms, each of a word of the fragment


def rate_number(v10):
    """A rate as SCORES.md may write it: 100 -> ("10.0", "10"), 350 -> ("35.0", "35")."""
    text = "%d.%d" % (v10 // 10, v10 % 10)
    return (text, text[:-2]) if text.endswith(".0") else (text,)


def test_every_rate_carries_its_endpoint_words_and_its_cohort_from_the_reference():
    assert sorted(RATE_SOURCES) == sorted(s for s in BY_ID if s != "recharge")
    assert BY_ID["recharge"]["rate_words"] is None and "endpoint" not in body("recharge").lower()
    for sid, (endpoint, cohorts) in RATE_SOURCES.items():
        s = BY_ID[sid]
        text = flat(SCORE_SECTIONS[sid][3] + " " + body(sid))
        assert endpoint in text, (sid, endpoint)
        words = set(endpoint.replace(":", " ").split())
        for w in s["rate_words"].split():
            assert STEMS.get(w, w) in words, (sid, w, endpoint)
        shown = {r[1] for c in s["cats"] for r in c[3]}
        assert shown == set(cohorts), (sid, shown)
        for cohort, (names, numbers) in cohorts.items():
            assert names in text and numbers in text, (sid, cohort)
            for part in cohort.split(", "):
                assert part in names, (sid, part, names)
            for c in s["cats"]:
                for v10, rc, _tag in c[3]:
                    if rc == cohort:
                        assert any(n + " %" in numbers for n in rate_number(v10)), (sid, c[2], v10)


def test_derivation_and_validation_are_named_where_a_score_has_both():
    # a section that speaks of both cohorts: every rate the content shows names one of them (or, for CASTLE, the
    # registry both were drawn from: SCORES.md does not say which cohort its two rates are of)
    for sid, s in BY_ID.items():
        text = flat(body(sid))
        if "derivation" in text and "validation" in text:
            for c in s["cats"]:
                for _v, cohort, _t in c[3]:
                    assert "derivation" in cohort or "validation" in cohort or cohort == "EuroCTO registry", (
                        sid, cohort)


def test_the_panel_shows_each_rate_with_its_endpoint_and_cohort():
    from panel.scoring import _category
    from panel.scoretext import rate_text

    for sid, s in BY_ID.items():
        for cat in s["cats"]:
            for r in _category(cat, s["rate_words"])["rates"]:
                assert rate_text(r) == "%s %s (%s)" % (r["text"], s["rate_words"], r["cohort"]), (sid, cat[2])
    assert rate_text(_category(BY_ID["jcto"]["cats"][3], "crossed within 30 min")["rates"][0]) == (
        "10.0 % crossed within 30 min (derivation set)")

# panel/scoretext.py — a score result (panel/scoring.py) in the words every screen shows it with.
#
# One source for the panel's Scores and basis screens, `bedside score` and `bedside case`,
# the workstation's case detail and the reports: a rate always with its endpoint and cohort
# ("10.0 % crossed within 30 min (derivation set)"), the state of the category in what is
# true ("no categories confirmed", "between published categories", "needs: Blunt stump"),
# a score that is not for this vessel with no total and no rate, only why; the strategy a
# score is computed for; a finding read on CT said so; and the one mark for what the
# clinical reference has not verified, UNVERIFIED, set on that item alone ("!" is for alerts).
# Plain Python, no I/O: runs on the panel and on the host.

from panel.findings import answer_of, label_of

UNVERIFIED = "(unverified)"  # the unverified mark, and nothing else uses it
NOT_GIVEN = "not given in the reference"
SOURCES = {"ct": ", read on CT", "host": ", from the workstation's records", "entered": ", entered by hand"}


def mark(text, unverified):
    """`text`, with the unverified mark after it when `unverified`."""
    return text + " " + UNVERIFIED if unverified else text


def total_text(r):
    """The total ("4.5"), the range ("2–5", "-2 to 8"), the grade ("C"), or "" where the score does not apply."""
    if r["applicable"] is False:
        return ""
    if r.get("grade") is not None:
        return r["grade"]
    if r["min"] is None:
        return "?"
    if r["total"] is not None:
        return r["total"]
    return "%s%s%s" % (r["min"], " to " if r["min"].startswith("-") else "–", r["max"])


def bounds_text(c):
    """A category's totals: "2", "0–1", "≥3", "≤2" (a lowest category of a score that goes below 0)."""
    if c["to"] is None:
        return "≥" + c["from"]
    if c["to"] == c["from"]:
        return c["from"]
    if c["from2"] < 0:
        return "≤" + c["to"]
    return "%s–%s" % (c["from"], c["to"])


def rate_text(rate, cohort=True):
    """A published rate in words: "10.0 % crossed within 30 min (derivation set)", marked if unverified."""
    text = rate["text"]
    if rate.get("endpoint"):
        text += " " + rate["endpoint"]
    if cohort and rate.get("cohort"):
        text += " (" + rate["cohort"] + ")"
    return mark(text, rate["unverified"])


def rates_text(c, cohort=True):
    """Every published rate of a category, "; "-separated; "no rate confirmed" if none."""
    if not c["rates"]:
        return "no rate confirmed"
    return "; ".join([rate_text(r, cohort) for r in c["rates"]])


def category_text(c):
    """The category's name, marked if unverified."""
    return mark(c["label"].replace(">=", "≥"), c["unverified"])


def category_heading(c):
    """The category's name and its totals ("very difficult ≥3"), once where the name is the totals ("0–1")."""
    bounds = bounds_text(c)
    if c["label"].replace(">=", "≥").replace("-", "–") == bounds:
        return mark(bounds, c["unverified"])
    return mark(c["label"].replace(">=", "≥") + " " + bounds, c["unverified"])


def needs_text(r):
    """"needs: Blunt stump, Largest bend or Bending >45°" — what would decide the score, in words."""
    return "needs: " + ", ".join(r["needs"])


def state_text(r):
    """What is true of the score's category, in words (no total, no rate where it does not apply)."""
    state = r["state"]
    if state == "not_applicable":
        return "does not apply: " + r["why_not"]
    if state == "no_categories":
        return "no categories confirmed"
    if state == "between":
        return "between published categories"
    if state == "needs":
        return needs_text(r)
    return category_text(r["categories"][0])


def strategy_text(r):
    """The strategy the score is computed for, in words, or None for a score without strategy items."""
    s = r.get("strategy")
    if s is None:
        return None
    if s == "not entered":
        return "strategy not entered: a range over it"
    if s.startswith("planned and used"):
        text = "computed for the strategy used where recorded, else the planned one"
    elif s.startswith("planned"):
        text = "computed for the planned strategy"
    else:
        text = "computed for the strategy used"
    return text + ("; part of it not entered" if s.endswith("not entered") else "")


def endpoint_text(r):
    """The score's endpoint, or that the reference names none."""
    return r["endpoint"] or NOT_GIVEN


def answer_text(fid, value, source=None):
    """"Occlusion length: 25 mm, read on CT" — one finding of a basis, never its id."""
    text = "%s: %s" % (label_of(fid), answer_of(fid, value))
    if value is not None and source is not None and source != "angio":
        text += SOURCES.get(source, ", " + source)
    return text


def answers_text(entry):
    """The findings that decided one basis entry, in words, "; "-separated."""
    sources = {}
    for f, s in entry.get("sources", ()):
        sources[f] = s
    return "; ".join([answer_text(f, v, sources.get(f)) for f, v in entry["answers"]])


def points_text(entry):
    """What an entry scored: "+1", "0", "? (1.5)" while undecided, or the answer where no points are summed."""
    if entry["points"] is None:
        return entry["answer"]
    if entry["scored"] is None:
        return "? (%s)" % entry["points"]
    return "+" + entry["scored"] if entry["scored"] != "0" and not entry["scored"].startswith("-") else entry["scored"]


def variable_text(entry):
    """A variable's name, marked if the variable itself is unverified."""
    return mark(entry["label"], entry["unverified"])

# panel/findings.py — one case's answers to the findings catalogue, checked on entry.
#
# An answer is "yes"/"no" (yn), an option id (choice) or an int in range (int);
# None clears it back to unknown. Every refusal is a FindingError naming the
# finding and what it accepts, and leaves the answers unchanged. Two answers that
# cannot both be true (CONTRADICTIONS) are refused too, the message naming both in
# words: the later one is not recorded until the earlier one is changed. Plain Python:
# runs on the panel and on the host (bedside score).

from panel.content.findings import CHOICE, FINDINGS, INT, YN


class FindingError(ValueError):
    """An answer the catalogue does not accept; the message says what would be."""


_BY_ID = {}
for _f in FINDINGS:
    _BY_ID[_f[0]] = _f


def spec(fid):  # type: (str) -> tuple
    """The catalogue entry of finding `fid`; FindingError if there is none."""
    f = _BY_ID.get(fid)
    if f is None:
        raise FindingError("no finding named '%s'" % fid)
    return f


def label_of(fid):
    """The finding's name in words ("Occlusion length"), never its id."""
    return spec(fid)[2]


def answer_of(fid, value):
    """An answer in words: "yes", "25 mm", "2: partial epicardial"; "not entered" while unknown."""
    if value is None:
        return "not entered"
    f = spec(fid)
    if f[1] == CHOICE:
        for o in f[4]:
            if o[0] == value:
                return o[1]
    elif f[1] == INT:
        if f[4][0] == "deg":
            return "%d°" % value
        return "%d %s" % (value, f[4][0])
    return str(value)


def coerce(fid, value):
    """A choice whose options are numbers may be given as the number (Rentrop 2 for "2")."""
    f = _BY_ID.get(fid)  # type: tuple | None
    if f is not None and f[1] == CHOICE and type(value) is int:
        for o in f[4]:
            if o[0] == str(value):
                return o[0]
    return value


# Answers that cannot both be true, checked whenever either is set: (finding a, finding b,
# test(a's value, b's value) -> True when they contradict, why in words).
def _graft_without_cabg(a, b):
    return a == "no" and b == "yes"


def _bend_says_otherwise(a, b):
    return (a == "yes" and b <= 45) or (a == "no" and b > 45)


def _ct_calcium_differs(a, b):
    return (a == "none") != (b == "none")


def _ct_area_without_calcium(a, b):
    return a == "none" and b == "yes"


def _more_successes_than_cases(a, b):
    return a > b


CONTRADICTIONS = (
    ("prior_cabg", "prior_cabg_target", _graft_without_cabg, "a graft on the target vessel is a previous CABG"),
    ("bending_45", "bend_angle_deg", _bend_says_otherwise, "the largest bend measured says otherwise"),
    ("calcification", "ct_calcium", _ct_calcium_differs, "both are CT reads of the occluded segment"),
    ("ct_calcium", "ct_calcium_csa50", _ct_area_without_calcium, "both are CT reads of the occluded segment"),
    ("op_last_year_successes", "op_last_year_cases", _more_successes_than_cases,
     "successes are counted among the cases"),
)
CT_ONLY = ("calcification",)  # compared with a CT finding only when read on CT (angiography may differ)


def _said(fid, value):
    return "%s: %s" % (label_of(fid), answer_of(fid, value))


def options(fid):
    """Option ids of a choice finding, in catalogue order."""
    f = spec(fid)
    if f[1] != CHOICE:
        raise FindingError("%s is not a choice" % fid)
    return tuple(o[0] for o in f[4])


def check(fid, value, source=None):
    """Raise FindingError unless `value` (and `source`) is a valid answer to `fid`."""
    check_answer(spec(fid), value, source)


def check_answer(f, value, source=None):
    """Check `value` against a catalogue entry (id, kind, label, definition, spec, group, sources).

    Findings and outcomes share this format, so they share this check.
    """
    fid = f[0]
    kind = f[1]
    if value is None:
        return
    if kind == YN:
        if value != "yes" and value != "no":
            raise FindingError("%s is answered yes or no (or left unknown), not %r" % (fid, value))
    elif kind == CHOICE:
        opts = tuple(o[0] for o in f[4])
        if type(value) is not str or value not in opts:
            raise FindingError("%s must be one of %s, not %r" % (fid, ", ".join(opts), value))
    elif kind == INT:
        unit, lo, hi = f[4]
        if type(value) is not int:
            raise FindingError("%s is a whole number of %s, not %r" % (fid, unit, value))
        if not lo <= value <= hi:
            raise FindingError("%s must be %d to %d %s, not %d" % (fid, lo, hi, unit, value))
    if source is not None and source not in f[6]:
        allowed = ", ".join(f[6]) if f[6] else "no source"
        raise FindingError("%s takes %s, not source %r" % (fid, allowed, source))


class Findings:
    """The answers of one case: finding id -> value, and where each came from."""

    def __init__(self, answers=None):
        self.values = {}
        self.sources = {}
        if answers:
            for fid in sorted(answers):
                self.set(fid, answers[fid])

    def set(self, fid, value, source=None):
        """Answer finding `fid` (None makes it unknown again); refuse what does not fit or contradicts."""
        check(fid, value, source)
        if value is not None:
            self._check_contradictions(fid, value, source)
        if value is None:
            self.values.pop(fid, None)
            self.sources.pop(fid, None)
            return
        self.values[fid] = value
        if source is None:
            self.sources.pop(fid, None)
        else:
            self.sources[fid] = source

    def _check_contradictions(self, fid, value, source):
        for a, b, test, why in CONTRADICTIONS:
            if fid != a and fid != b:
                continue
            other = b if fid == a else a
            ov = self.values.get(other)
            if ov is None:
                continue
            va, vb = (value, ov) if fid == a else (ov, value)
            if a in CT_ONLY and (source if fid == a else self.sources.get(a)) != "ct":
                continue
            if test(va, vb):
                raise FindingError("%s contradicts %s (%s): change that answer first, or leave one unknown" % (
                    _said(fid, value), _said(other, ov), why))

    def get(self, fid):
        """The answer to `fid`, or None while it is unknown."""
        spec(fid)
        return self.values.get(fid)

    def known(self):
        return sorted(self.values)

# panel/findings.py — one case's answers to the findings catalogue, checked on entry.
#
# An answer is "yes"/"no" (yn), an option id (choice) or an int in range (int);
# None clears it back to unknown. Every refusal is a FindingError naming the
# finding and what it accepts, and leaves the answers unchanged. Plain Python:
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
        """Answer finding `fid` (None makes it unknown again); refuse what does not fit."""
        check(fid, value, source)
        if fid == "op_last_year_successes" or fid == "op_last_year_cases":
            self._check_successes(fid, value)
        if value is None:
            self.values.pop(fid, None)
            self.sources.pop(fid, None)
            return
        self.values[fid] = value
        if source is None:
            self.sources.pop(fid, None)
        else:
            self.sources[fid] = source

    def _check_successes(self, fid, value):
        cases = value if fid == "op_last_year_cases" else self.values.get("op_last_year_cases")
        wins = value if fid == "op_last_year_successes" else self.values.get("op_last_year_successes")
        if cases is not None and wins is not None and wins > cases:
            raise FindingError("op_last_year_successes (%d) cannot exceed op_last_year_cases (%d)" % (wins, cases))

    def get(self, fid):
        """The answer to `fid`, or None while it is unknown."""
        spec(fid)
        return self.values.get(fid)

    def known(self):
        return sorted(self.values)

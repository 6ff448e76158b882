# panel/content/scores — every difficulty and risk score, as data: one module per score.
#
# Source: shared/clinical/SCORES.md; section numbers below are that file's.
# Confidence tags as there: "seed", "abstract", "secondary", "verify". Anything
# tagged "verify" is shown with an "unverified" mark, never as established fact;
# a rate SCORES.md does not give is left out, not guessed.
#
# Points and category bounds are in HALF points (x2 integers): CL has 1.5-point
# items. A score is a dict:
#   id, name, citation, endpoint (None where SCORES.md names none), tag,
#   short     (optional) the name where a line is short (the panel's scores list)
#   rate_words the endpoint in the words that follow a published rate ("10.0 % crossed within
#             30 min"); None where SCORES.md names no endpoint
#   kind      "points" (summed variables) or "grade" (a grade the operator picks),
#   succ      (scores whose published rate is of technical success or failure) the definition
#             of technical success those rates use: a key of outcomes.TECH_SUCCESS_DEFS, or
#             None where SCORES.md does not give it
#   applies   predicate: the vessels the score is for (unknown vessel: shown anyway)
#   applies_to those vessels in words, for "does not apply" ("coronary CTOs")
#   range     (min2, max2) as SCORES.md states it; a test checks the arithmetic
#   vars      ((var id, label, points2, predicate, tag, note), ...)
#   cats      ((lo2, hi2 or None, label, ((rate10, cohort, tag), ...), tag), ...)
#             rates in tenths of a percent of the score's endpoint; the cohort as SCORES.md names it
#   notes     ((text, tag), ...) or ((text, tag, (var id, ...)), ...): a note about those variables
#             (an unverified boundary) is shown on them, not on the whole score
# Predicates (panel/scoring.py reads them, three-valued):
#   ("yes", f) ("no", f)             a yes/no finding answered yes / answered no
#   ("in", f, opts[, unknown_opts])  a choice among opts; unknown_opts count as unknown
#   ("notin", f, opts)               a choice outside opts
#   ("gt"|"ge"|"lt", f, n)           an integer finding against n
#   ("any", p, q, ...)               true if any is true; unknown while none is and one is unknown
#   ("first", p, q, ...)             the first that is known (a measured angle before a yes/no,
#                                    the strategy used before the strategy planned)
#   ("pct_ge", num, den, pct)        num / den >= pct %, in integers; den 0 is "no"

#
# One module per score (panel/content/scores/<id>.py, a dict SCORE): the panel loads a
# score's table when it computes it and releases it after (load, release), so at most
# one table sits in RAM; the host and the tests may ask for all of them at once (SCORES).

import sys

# In the order the panel lists them (SCORES.md's order).
SCORE_IDS = ('jcto', 'progress', 'progress_compl', 'progress_mace', 'castle', 'ora', 'recharge', 'cl', 'operator_cto', 'jbtk')

_MICROPYTHON = sys.implementation.name == "micropython"


def load(sid):
    """The SCORE dict of score `sid` (ValueError if there is none)."""
    if sid not in SCORE_IDS:
        raise ValueError("unknown score: %s" % (sid,))
    # a non-empty fromlist makes __import__ return the leaf module on both runtimes
    return __import__("panel.content.scores." + sid, None, None, ("SCORE",)).SCORE


def release(sid):
    """Let the panel's RAM have score `sid`'s table back (a no-op on the host, where RAM is plenty)."""
    if not _MICROPYTHON:
        return
    name = "panel.content.scores." + sid
    if name in sys.modules:
        sys.modules.pop(name)
        package = sys.modules.get("panel.content.scores")
        if package is not None and hasattr(package, sid):
            delattr(package, sid)


def __getattr__(name):
    # SCORES: every table at once, in order (host tools and tests; the panel uses load/release).
    if name == "SCORES":
        return tuple(load(sid) for sid in SCORE_IDS)
    raise AttributeError(name)

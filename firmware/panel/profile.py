# panel/profile.py — an operator's profile as the findings operator-CTO reads.
#
# The three operator variables of operator-CTO (SCORES.md §8) are facts about the
# operator, not the lesion: the host computes them from its own case records and
# pushes them, or someone enters them. Each value keeps that source. A missing
# profile (or a missing value) leaves the variable unknown, so the score is a range.

PROFILE_FINDINGS = (
    ("annual_volume", "op_annual_volume"),
    ("years", "op_years"),
    ("last_year_cases", "op_last_year_cases"),
    ("last_year_successes", "op_last_year_successes"),
)


def apply_profile(findings, profile, source="host"):
    """Set the operator findings from `profile` (a dict with the keys above); returns the ids set.

    Values absent from the profile become unknown; a bad value raises FindingError
    and leaves the findings as they were.
    """
    before = {}
    for _key, fid in PROFILE_FINDINGS:
        before[fid] = (findings.values.get(fid), findings.sources.get(fid))
    done = []
    try:
        for fid, _ in before.items():
            findings.set(fid, None)
        for key, fid in PROFILE_FINDINGS:
            value = profile.get(key)
            if value is not None:
                findings.set(fid, value, source)
                done.append(fid)
    except ValueError:
        for fid, (value, src) in before.items():
            findings.values.pop(fid, None)
            findings.sources.pop(fid, None)
            if value is not None:
                findings.values[fid] = value
                if src is not None:
                    findings.sources[fid] = src
        raise
    return sorted(done)

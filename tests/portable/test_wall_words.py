# tests/portable/test_wall_words.py — a wall time in words on the panel (its cases named by vessel and start).
#
# Covers panel/uptime.py day_month() against every day from 1970 to 2100 as the host's calendar counts them
# (CPython's datetime; on MicroPython against fixed days), started_text() at the edges of a day, a month and a
# leap year, and "clock not set" when no host ever set the panel's clock.
# Run alone: .venv/bin/pytest tests/portable/test_wall_words.py
#   or: MICROPYPATH=tests/portable:protocol:firmware micropython tests/mprun.py test_wall_words

import sys

from panel.uptime import day_month, started_text

DAY = 86400000


def test_every_day_from_1970_to_2100_is_the_calendars_day():
    if sys.implementation.name != "cpython":
        fixed = {0: (1, 1), 59: (1, 3), 789: (29, 2), 20793: (6, 12), 47481: (31, 12)}
        for days, want in fixed.items():
            assert day_month(days) == want, (days, want)
        return
    import datetime

    d = datetime.date(1970, 1, 1)
    for days in range(0, 47482):
        assert day_month(days) == (d.day, d.month), d
        d += datetime.timedelta(days=1)


def test_started_text_at_the_edges():
    assert started_text(None) == "clock not set"
    assert started_text(0) == "1 Jan 00:00 UTC"
    assert started_text(20793 * DAY + 9 * 3600000 + 14 * 60000 + 59999) == "6 Dec 09:14 UTC"
    assert started_text(789 * DAY - 1) == "28 Feb 23:59 UTC"  # 1972, a leap year
    assert started_text(789 * DAY) == "29 Feb 00:00 UTC"

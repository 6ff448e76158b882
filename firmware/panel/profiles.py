# panel/profiles.py — operator profiles the host pushed, kept on flash for operator-CTO.
#
# The host computes each operator's annual CTO volume, years active and last-year
# success from its own records and pushes them with what those records cover
# (protocol message `profile`, its `coverage`); the
# case set-up screen picks the operator and the case records the profile with
# source "host" (panel/profile.py). One msgpack map in <root>/profiles, replaced
# whole through panel.atomic.

from bedlink.mpack import pack, unpack
from panel import atomic

MAX_PROFILES = 32
FIELDS = ("name", "annual_volume", "years", "last_year_cases", "last_year_successes", "coverage")


class Profiles:
    def __init__(self, path):
        self.path = path
        try:
            raw = atomic.read(path)
        except atomic.AtomicFileError:
            raw = None  # a damaged file: no profiles, operator-CTO shows a range until the next push
        self.items = unpack(raw) if raw else {}

    def store(self, operator_id, fields):
        """Keep (or replace) one operator's profile; refuse a new one beyond MAX_PROFILES."""
        if operator_id not in self.items and len(self.items) >= MAX_PROFILES:
            raise ValueError("the panel keeps at most %d operator profiles" % MAX_PROFILES)
        entry = {}
        for key in FIELDS:
            if fields.get(key) is not None:
                entry[key] = fields[key]
        items = dict(self.items)
        items[operator_id] = entry
        atomic.write(self.path, pack(items))
        self.items = items

    def get(self, operator_id):
        """The profile dict of operator_id (name and the operator-CTO values known), or None."""
        return self.items.get(operator_id)

    def operators(self):
        """(operator_id, name) pairs sorted by name."""
        return sorted(((k, self.items[k].get("name", k)) for k in self.items), key=lambda p: p[1])

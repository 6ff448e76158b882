# panel/player.py — plays a scripted case as if the operator tapped it (simulator and demo).
#
# A script is a sequence of steps [delay_ms, kind, fields]: wait delay_ms (divided
# by `speed`) after the previous step, then record event `kind` with `fields` in
# the current case through the CaseKeeper, exactly as a tap would; kind
# "new_case" opens a case. Steps come from any iterator (a file read a line at a
# time: a long script never sits in RAM). A step the case refuses stops the
# player and is logged: a script never forces an event the engine would not
# accept from a finger.

from panel.case import CaseError


def steps_from_file(path):
    """The steps of a JSON-lines script file, one parsed line at a time."""
    import json

    with open(path) as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


class Player:
    def __init__(self, keeper, steps, speed, now, log):
        self.keeper = keeper
        self.steps = iter(steps)
        self.speed = max(1, speed)
        self.log = log
        self.played = 0
        self.step_now = next(self.steps, None)
        self.done = self.step_now is None
        self.next_at = now + (self.step_now[0] // self.speed if self.step_now else 0)

    def step(self, now):
        """Play every step that is due at `now` (non-decreasing ms)."""
        while not self.done and now >= self.next_at:
            _delay, kind, fields = self.step_now  # type: ignore[misc]  # not done: a step is waiting
            try:
                if kind == "new_case":
                    self.keeper.new_case()
                else:
                    self.keeper.record(kind, fields or None)
            except (CaseError, OSError) as e:
                self.log("script step %d (%s) refused: %s" % (self.played + 1, kind, e))
                self.done = True
                return
            self.played += 1
            self.step_now = next(self.steps, None)
            if self.step_now is None:
                self.done = True
                self.log("script played: %d steps" % self.played)
                return
            self.next_at += self.step_now[0] // self.speed

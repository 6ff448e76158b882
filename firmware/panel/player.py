# panel/player.py — plays a scripted case as if the operator tapped it (simulator and demo).
#
# A script is a list of steps [delay_ms, kind, fields]: wait delay_ms (divided by
# `speed`) after the previous step, then record event `kind` with `fields` in the
# current case through the CaseKeeper, exactly as a tap would; kind "new_case"
# opens a case. A step the case refuses stops the player and is logged: a script
# never forces an event the engine would not accept from a finger.

from panel.case import CaseError


class Player:
    def __init__(self, keeper, script, speed, now, log):
        self.keeper = keeper
        self.steps = script
        self.speed = max(1, speed)
        self.log = log
        self.i = 0
        self.next_at = now + (script[0][0] // self.speed if script else 0)
        self.done = not script

    def step(self, now):
        """Play every step that is due at `now` (non-decreasing ms)."""
        while not self.done and now >= self.next_at:
            _delay, kind, fields = self.steps[self.i]
            try:
                if kind == "new_case":
                    self.keeper.new_case()
                else:
                    self.keeper.record(kind, fields or None)
            except (CaseError, OSError) as e:
                self.log("script step %d (%s) refused: %s" % (self.i + 1, kind, e))
                self.done = True
                return
            self.i += 1
            if self.i >= len(self.steps):
                self.done = True
                self.log("script played: %d steps" % self.i)
                return
            self.next_at += self.steps[self.i][0] // self.speed

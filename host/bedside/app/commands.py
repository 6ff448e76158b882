"""The command palette's Bedside entries: one per action in bedside.app.actions."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from bedside.app.actions import ACTIONS


class BedsideCommands(Provider):
    """Every workstation action, searchable by its title and its help text."""

    def _run(self, name: str) -> None:
        self.app.call_later(self.app.run_action, name)

    async def discover(self) -> Hits:
        for a in ACTIONS:
            yield DiscoveryHit(a.title, partial(self._run, a.name), help=a.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for a in ACTIONS:
            score = max(matcher.match(a.title), matcher.match(a.help) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(a.title), partial(self._run, a.name), text=a.title, help=a.help)

"""make bench: the least a checklist step can send when the runner shows its current item in the large font.

Every step the runner takes (an item to the item after it, or to each of a decision's targets, over every
checklist) replaces the current item's text. Whatever else a design redraws, the new text has to reach the screen,
so these are floors for the per-tap budget of ARCHITECTURE.md (<= 10 % of the screen), measured on the content
itself with the panel's own font and wrapping (the runner's current item: 464 px wide, two lines at most):

- line by line: each line's old and new text in one rectangle (what the runner sends, no more);
- 8 x 8 tiles: only the tiles in which a pixel changes (damage tracking finer than the runner's);
- changed pixels: every pixel that differs between the old and the new text, one by one, which needs the
  previous frame (300 KB: more than the whole heap) and one display window per run of pixels.
"""

from __future__ import annotations

import importlib
import pkgutil

import panel.content.checklists as checklists
from panel.checklist import Run
from panel.ui.fonts import body, large
from panel.ui.text import _glyph, width, wrap

SCREEN = 480 * 320
ITEM_W, ITEM_LINES = 464, 2  # panel/ui/screens/runner.py: the current item's Text


def ink(font, lines: list[str]) -> set[tuple[int, int]]:
    """The pixels the firmware's text.draw sets for `lines`, one line under the other (its font format)."""
    index, bits = font.INDEX, font.BITS
    lit = set()
    for row, line in enumerate(lines):
        x = 0
        for ch in line:
            g = _glyph(font, ch)
            off, w, adv, top, rows = (index[g] << 8) | index[g + 1], index[g + 2], index[g + 3], index[g + 4], index[g + 5]
            stride = (w + 7) >> 3
            if ch != " ":
                for r in range(rows):
                    for c in range(w):
                        if bits[off + r * stride + (c >> 3)] & (0x80 >> (c & 7)):
                            lit.add((x + c, row * font.HEIGHT + top + r))
            x += adv
    return lit


def steps() -> list[tuple[str, str]]:
    """(text before, text after) for every item-to-item step of every checklist."""
    out = []
    for m in pkgutil.iter_modules(checklists.__path__):
        cl = importlib.import_module(f"panel.content.checklists.{m.name}").CHECKLIST
        run = Run(cl)
        items = {it["id"]: it for it in cl["items"]}
        for it in cl["items"]:
            out += [(it["t"], items[s]["t"]) for s in run.successors(it["id"]) if s in items]
    return out


def floors(font) -> tuple[int, float, float, float]:
    pairs = steps()
    by_line = by_tile = by_pixel = 0
    for before, after in pairs:
        a, b = wrap(font, before, ITEM_W, ITEM_LINES), wrap(font, after, ITEM_W, ITEM_LINES)
        for i in range(max(len(a), len(b))):
            if (a[i:i + 1] or [""]) != (b[i:i + 1] or [""]):
                by_line += max(width(font, a[i]) if i < len(a) else 0, width(font, b[i]) if i < len(b) else 0) * font.HEIGHT
        changed = ink(font, a) ^ ink(font, b)
        by_tile += len({(x // 8, y // 8) for x, y in changed}) * 64
        by_pixel += len(changed)
    n = len(pairs) * SCREEN
    return len(pairs), by_line / n, by_tile / n, by_pixel / n


def floor_figures() -> None:
    for name, font in (("large font (the runner's)", large), ("body font (for comparison)", body)):
        n, line, tile, pixel = floors(font)
        print(f"panel floor, the current item's new text alone in the {name}, over the {n} steps of every "
              f"checklist: line by line {line:.1%}, 8 x 8 tiles {tile:.1%}, changed pixels only {pixel:.1%} of the "
              "screen per step (budget <= 10 % for the whole tap)")

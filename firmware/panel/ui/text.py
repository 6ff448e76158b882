# panel/ui/text.py — measure, wrap and draw text in the generated bitmap fonts.
#
# A font is a module of panel/ui/fonts (see host/bedside/tools/fonts.py for the
# format). A glyph's bitmap is copied from the font's bytes (frozen in flash on a
# board) into one small scratch buffer and blitted through a two-colour palette with
# the background as the transparent key: the caller has painted the background.
# Characters the font lacks are drawn as "?". Measuring (width, fit, wrap) needs no
# framebuf, so the host can measure too (make bench: the least a checklist tap can send).

_ASCII = 95  # CHARS[0:95] are chr(32)..chr(126)
_scratch = bytearray(6 * 48)  # the largest glyph bitmap (large font: 6 bytes x 43 rows) fits
# framebuf compares the key with the colour after the palette: glyph background pixels map to a
# colour no theme uses (a blue of 1/32), which is the key, so black ink on white still draws.
_KEY = 0x0001
_palette = None  # made at the first draw


def _glyph(font, ch):
    c = ord(ch)
    if 32 <= c < 127:
        i = c - 32
    else:
        i = font.CHARS.find(ch, _ASCII)
        if i < 0:
            i = 31  # "?"
    return i * 6


def width(font, s):
    """Width of `s` in pixels."""
    index = font.INDEX
    w = 0
    for ch in s:
        w += index[_glyph(font, ch) + 3]
    return w


def ink_width(font, s):
    """Width of what drawing `s` touches: its width, and more where the last glyph's ink overhangs its advance."""
    if not s:
        return 0
    g = _glyph(font, s[-1]) + 2
    over = font.INDEX[g] - font.INDEX[g + 1]
    return width(font, s) + (over if over > 0 else 0)


def fit(font, s, w):
    """`s`, shortened with "…" if needed, to fit in w pixels."""
    if width(font, s) <= w:
        return s
    while s and width(font, s + "…") > w:
        s = s[:-1]
    return s + "…"


def wrap(font, s, w, lines=0):
    """`s` broken at spaces into lines no wider than w (a long word is cut); at most `lines` when > 0."""
    out = []
    for para in s.split("\n"):
        line = ""
        for word in para.split(" "):
            trial = word if not line else line + " " + word
            if width(font, trial) <= w:
                line = trial
                continue
            if line:
                out.append(line)
            while width(font, word) > w:  # a word wider than the line: cut it
                n = len(word)
                while n > 1 and width(font, word[:n]) > w:
                    n -= 1
                out.append(word[:n])
                word = word[n:]
            line = word
        out.append(line)
    if lines and len(out) > lines:
        out = out[:lines]
        out[-1] = fit(font, out[-1] + "…", w)
    return out


def draw(fb, font, s, x, y, colour, cw=0, ch_=0):
    """Draw `s` with the top of its line at (x, y) in `colour`; return the x after it.

    cw, ch_: the target's width and height when known (a band of the screen): a glyph whose ink lies wholly
    outside them is passed over before its bitmap is copied (a glyph costs a Python call, and a line of the
    large font crosses eleven 4-row bands: make tapink's CPU)."""
    global _palette
    import framebuf

    if _palette is None:
        _palette = framebuf.FrameBuffer(bytearray(4), 2, 1, framebuf.RGB565)
        _palette.pixel(0, 0, _KEY)
    _palette.pixel(1, 0, colour)
    index = font.INDEX
    bits = memoryview(font.BITS)
    scratch = _scratch
    for ch in s:
        g = _glyph(font, ch)
        w = index[g + 2]
        rows = index[g + 5]
        if cw and (x >= cw or x + w <= 0 or y + index[g + 4] >= ch_ or y + index[g + 4] + rows <= 0):
            x += index[g + 3]
            continue
        off = (index[g] << 8) | index[g + 1]
        if rows and ch != " ":
            n = ((w + 7) >> 3) * rows
            scratch[0:n] = bits[off:off + n]
            fb.blit(framebuf.FrameBuffer(scratch, w, rows, framebuf.MONO_HLSB), x, y + index[g + 4], _KEY, _palette)
        x += index[g + 3]
    return x

# drivers/rgb565_viper.py — the pixel byte swap as machine code (@micropython.viper), compiled where it runs.
#
# Viper is machine code for one CPU, so the function is kept here as source and compiled at import by the
# runtime's own native emitter (the Pico 2's firmware has one, as does the unix port): this module is plain
# bytecode that mpy-cross builds for any board, and the same .mpy runs on every CPU. Imported by
# drivers/rgb565.py; on CPython (no micropython module) or a runtime without the emitter the import fails
# and rgb565.py uses its plain-Python loop. ~10x faster than that loop on a board.

import micropython  # noqa: F401  (the decorator below is looked up in this module's globals)

_SOURCE = """
@micropython.viper
def swap16(src: ptr8, start: int, dst: ptr8, n: int):
    # dst[0:n] = src[start:start+n] with the two bytes of every pixel exchanged (n even).
    i = 0
    s = start
    while i < n:
        dst[i] = src[s + 1]
        dst[i + 1] = src[s]
        i += 2
        s += 2
"""

exec(_SOURCE)

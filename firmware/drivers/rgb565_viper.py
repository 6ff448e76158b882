# drivers/rgb565_viper.py — the pixel byte swap as machine code (@micropython.viper).
#
# Imported by drivers/rgb565.py when the runtime can run it: MicroPython on the board (compiled
# with mpy-cross -march for the board's CPU) and the unix port from source. On CPython the import of
# micropython fails and rgb565.py uses its plain-Python loop. ~10x faster than that loop on a board.

import micropython


@micropython.viper
def swap16(src: ptr8, start: int, dst: ptr8, n: int):  # type: ignore[name-defined]
    # dst[0:n] = src[start:start+n] with the two bytes of every pixel exchanged (n even).
    i = 0
    s = start
    while i < n:
        dst[i] = src[s + 1]
        dst[i + 1] = src[s]
        i += 2
        s += 2

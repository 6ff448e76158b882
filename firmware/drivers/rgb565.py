# drivers/rgb565.py — framebuf's RGB565 (little-endian, low byte first) to the big-endian RGB565
# that display controllers take over SPI (high byte first).
#
# The swap runs on every pixel pushed to the screen, so on the board it is viper machine code
# (drivers/rgb565_viper.py, compiled at import); this plain-Python loop is the fallback where viper is
# unavailable (CPython; a runtime without a native emitter). Both have the same signature and results.


def swap16_py(src, start, dst, n):
    # dst[0:n] = src[start:start+n] with the two bytes of every pixel exchanged (n even).
    i = 0
    while i < n:
        dst[i] = src[start + i + 1]
        dst[i + 1] = src[start + i]
        i += 2


try:
    from drivers.rgb565_viper import swap16
except (ImportError, SyntaxError):  # CPython has no micropython module; no emitter: the decorator is refused
    swap16 = swap16_py


def be_colour(colour):
    """The two bytes a controller takes for one RGB565 colour (0xF800 is red), high byte first."""
    return bytes(((colour >> 8) & 0xFF, colour & 0xFF))


def rgb565(r, g, b):
    """RGB565 value of an 8-bit-per-channel colour (the low bits are dropped)."""
    return ((r & 0xF8) << 8) | ((g & 0xFC) << 3) | (b >> 3)

# tests/portable/test_display_driver.py — the ST7796S display driver against a fake SPI bus.
#
# Covers firmware/drivers/dcs.py, st7796.py and rgb565.py: the exact start-up byte stream with the
# D/C level of every byte (golden, typed here from the ST7796S register list: SWRESET 01, SLPOUT 11,
# CSCON F0, MADCTL 36, COLMOD 3A, ... DISPON 29, with the module vendors' command-2 values) and its
# waits; CASET/RASET/RAMWR for a known rectangle; the pixel bytes of a 2x2 rectangle (framebuf's
# little-endian RGB565 in, the controller's big-endian out); fills; chunking; bounds; backlight.
# Runs on CPython (pytest) and MicroPython (tests/test_micropython.py).
# Run alone: .venv/bin/pytest tests/portable/test_display_driver.py

from fakehw import FakeClock, FakePin, FakePWM, FakeSPI

from drivers import rgb565
from drivers.st7796 import ST7796
from ptest import raises

# (dc, byte) for every byte of the start-up sequence, dc 0 = command, 1 = parameter.
GOLDEN_INIT = [
    (0, 0x01),  # SWRESET
    (0, 0x11),  # SLPOUT
    (0, 0xF0), (1, 0xC3),  # CSCON unlock part I
    (0, 0xF0), (1, 0x96),  # CSCON unlock part II
    (0, 0x36), (1, 0x28),  # MADCTL: MV | BGR, landscape
    (0, 0x3A), (1, 0x55),  # COLMOD: 16 bits a pixel
    (0, 0xB4), (1, 0x01),  # DIC: 1-dot inversion
    (0, 0xB6), (1, 0x80), (1, 0x02), (1, 0x3B),  # DFC: 480 lines
    (0, 0xE8), (1, 0x40), (1, 0x8A), (1, 0x00), (1, 0x00), (1, 0x29), (1, 0x19), (1, 0xA5), (1, 0x33),  # DOCA
    (0, 0xC1), (1, 0x06),  # PWR2
    (0, 0xC2), (1, 0xA7),  # PWR3
    (0, 0xC5), (1, 0x18),  # VCOM 0.9 V
    (0, 0xE0), (1, 0xF0), (1, 0x09), (1, 0x0B), (1, 0x06), (1, 0x04), (1, 0x15), (1, 0x2F),
    (1, 0x54), (1, 0x42), (1, 0x3C), (1, 0x17), (1, 0x14), (1, 0x18), (1, 0x1B),  # positive gamma
    (0, 0xE1), (1, 0xE0), (1, 0x09), (1, 0x0B), (1, 0x06), (1, 0x04), (1, 0x03), (1, 0x2B),
    (1, 0x43), (1, 0x42), (1, 0x3B), (1, 0x16), (1, 0x14), (1, 0x17), (1, 0x1B),  # negative gamma
    (0, 0xF0), (1, 0x3C),  # CSCON lock part I
    (0, 0xF0), (1, 0x69),  # CSCON lock part II
    (0, 0x20),  # INVOFF
    (0, 0x29),  # DISPON
]
# Waits after the hardware reset and after SWRESET, SLPOUT, VCOM, negative gamma, CSCON lock, DISPON.
GOLDEN_WAITS = [1, 1, 120, 120, 120, 120, 120, 120, 20]


def _display(**kw):
    log = []
    cs = FakePin("cs", log)
    dc = FakePin("dc", log)
    rst = FakePin("rst", log)
    spi = FakeSPI(cs, dc)
    clock = FakeClock()
    d = ST7796(spi, cs, dc, rst, FakePWM(), clock.sleep_ms, **kw)
    return d, spi, log, clock


def test_init_sends_the_golden_sequence_with_dc_per_byte_and_waits():
    d, spi, log, clock = _display()
    d.init()
    assert spi.bytes == GOLDEN_INIT
    assert spi.stray == []
    assert clock.slept == GOLDEN_WAITS
    assert [e for e in log if e[0] == "rst"] == [("rst", 1), ("rst", 0), ("rst", 1)]
    assert log[-1] == ("cs", 1)  # the bus is released at the end


def test_every_command_is_its_own_cs_transaction():
    d, spi, log, clock = _display()
    d.init()
    lows = sum(1 for e in log if e == ("cs", 0))
    commands = sum(1 for dc, _b in GOLDEN_INIT if dc == 0)
    assert lows == commands


def test_flip_and_invert_change_only_madctl_and_inversion():
    d, spi, log, clock = _display(flip=True, invert=True)
    d.init()
    expected = []
    for dc, b in GOLDEN_INIT:
        if expected and expected[-1] == (0, 0x36) and dc == 1:
            b = 0xE8  # MY | MX | MV | BGR
        elif (dc, b) == (0, 0x20):
            b = 0x21  # INVON
        expected.append((dc, b))
    assert spi.bytes == expected


def test_window_commands_for_a_known_rectangle():
    d, spi, log, clock = _display()
    d.fill_rect(300, 200, 180, 120, 0x0000)  # the bottom-right corner, up to the last pixel
    cmds = spi.commands()
    assert cmds[0] == (0x2A, b"\x01\x2c\x01\xdf")  # CASET 300..479
    assert cmds[1] == (0x2B, b"\x00\xc8\x01\x3f")  # RASET 200..319
    assert cmds[2][0] == 0x2C and len(cmds[2][1]) == 180 * 120 * 2  # RAMWR, 2 bytes a pixel
    assert len(cmds) == 3


def test_pixel_bytes_of_a_2x2_rectangle_are_big_endian():
    d, spi, log, clock = _display()
    # framebuf.RGB565 layout: little-endian pixels row by row: red, green / blue, white
    buf = bytes([0x00, 0xF8, 0xE0, 0x07, 0x1F, 0x00, 0xFF, 0xFF])
    d.blit(10, 20, 2, 2, buf)
    assert spi.bytes == [
        (0, 0x2A), (1, 0x00), (1, 0x0A), (1, 0x00), (1, 0x0B),  # CASET 10..11
        (0, 0x2B), (1, 0x00), (1, 0x14), (1, 0x00), (1, 0x15),  # RASET 20..21
        (0, 0x2C),  # RAMWR
        (1, 0xF8), (1, 0x00), (1, 0x07), (1, 0xE0), (1, 0x00), (1, 0x1F), (1, 0xFF), (1, 0xFF),
    ]
    assert spi.stray == [] and d.pixels_written == 4
    assert buf == bytes([0x00, 0xF8, 0xE0, 0x07, 0x1F, 0x00, 0xFF, 0xFF])  # the caller's buffer is untouched


def test_a_blit_larger_than_the_chunk_streams_every_pixel_in_order():
    d, spi, log, clock = _display()
    w, h = 40, 30  # 2,400 bytes: more than two 1,024-byte chunks
    buf = bytearray(w * h * 2)
    for i in range(w * h):
        buf[2 * i] = i & 0xFF
        buf[2 * i + 1] = (i >> 8) & 0xFF
    d.blit(0, 0, w, h, memoryview(buf))
    pixels = spi.data[11:]
    assert len(pixels) == w * h * 2
    for i in range(w * h):
        assert pixels[2 * i] == (i >> 8) & 0xFF and pixels[2 * i + 1] == i & 0xFF


def test_fill_rect_sends_the_colour_big_endian_for_every_pixel():
    d, spi, log, clock = _display()
    d.fill_rect(0, 0, 7, 300, rgb565.rgb565(255, 0, 0))  # 2,100 pixels, several chunks
    cmds = spi.commands()
    assert cmds[2][1] == b"\xf8\x00" * 2100


def test_rectangles_outside_the_screen_or_short_buffers_are_refused_before_any_byte():
    d, spi, log, clock = _display()
    raises(ValueError, d.blit, 479, 0, 2, 1, bytes(4))
    raises(ValueError, d.blit, 0, -1, 1, 1, bytes(2))
    raises(ValueError, d.fill_rect, 0, 310, 10, 11, 0)
    raises(ValueError, d.blit, 0, 0, 0, 5, b"")
    raises(ValueError, d.blit, 0, 0, 2, 2, bytes(7))
    assert spi.bytes == []


def test_backlight_levels():
    d, spi, log, clock = _display()
    d.backlight(100)
    assert d.bl.duty == 65535
    d.backlight(50)
    assert d.bl.duty == 32767
    d.backlight(-3)
    assert d.bl.duty == 0
    plain = ST7796(FakeSPI(), FakePin("cs", []), FakePin("dc", []), None, FakePin("bl", []))
    plain.backlight(30)
    assert plain.bl.level == 1
    plain.backlight(0)
    assert plain.bl.level == 0


def test_sleep_and_wake():
    d, spi, log, clock = _display()
    d.sleep(True)
    d.sleep(False)
    assert [c for c, _p in spi.commands()] == [0x28, 0x10, 0x11, 0x29]
    assert clock.slept == [5, 120]


def test_viper_swap_runs_on_micropython_and_agrees_with_the_plain_loop():
    import sys

    if sys.implementation.name != "micropython":
        assert rgb565.swap16 is rgb565.swap16_py  # CPython has no viper
        return
    from drivers import rgb565_viper

    assert rgb565.swap16 is rgb565_viper.swap16
    src = bytes((i * 37 + 11) & 0xFF for i in range(1030))
    a = bytearray(1024)
    b = bytearray(1024)
    rgb565.swap16(src, 6, a, 1024)
    rgb565.swap16_py(src, 6, b, 1024)
    assert a == b and a[0] == src[7] and a[1] == src[6]


def test_swap16_and_colour_helpers():
    src = bytes([1, 2, 3, 4, 5, 6])
    dst = bytearray(4)
    rgb565.swap16(src, 2, dst, 4)
    assert dst == bytearray([4, 3, 6, 5])
    assert rgb565.be_colour(0xF800) == b"\xf8\x00"
    assert rgb565.rgb565(255, 255, 255) == 0xFFFF and rgb565.rgb565(0, 255, 0) == 0x07E0

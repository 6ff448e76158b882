"""Display bus figures for make bench: what a screen costs on the reference board's SPI bus.

- bytes on the bus for a full 480x320 frame through the ST7796S driver (RGB565, 2 bytes a pixel),
  counted on a fake SPI bus, against an ILI9488's 18-bit colour (3 bytes a pixel);
- the bus time of a frame and of 10 % of it (the budget per checklist tap) at the pin map's clock;
- the RGB565 byte swap on this PC's MicroPython unix port: viper against the plain-Python fallback,
  microseconds per KB (a board is slower; the ratio is what carries over).
Run alone: .venv/bin/python tests/bench_display.py   (tests/bench.py calls display_figures())
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "firmware"))
sys.path.insert(0, str(ROOT / "tests" / "portable"))

SWAP_BENCH = """
import time
from drivers import rgb565_viper
from drivers.rgb565 import swap16_py as plain
src = bytearray(1024)
dst = bytearray(1024)
for name, fn, reps in (("viper", rgb565_viper.swap16, 2000), ("python", plain, 100)):
    t = time.ticks_us()
    for _ in range(reps):
        fn(src, 0, dst, 1024)
    print(name, time.ticks_diff(time.ticks_us(), t) / reps)
"""


def display_figures() -> None:
    from boards.pico2_pins import LCD_BAUD
    from drivers.st7796 import ST7796
    from fakehw import FakePin, FakeSPI

    log = []
    cs, dc = FakePin("cs", log), FakePin("dc", log)
    spi = FakeSPI(cs, dc)
    spi.limit = 0  # count, do not keep
    d = ST7796(spi, cs, dc)
    row = bytes(480 * 2)
    for y in range(0, 320, 16):  # as the UI draws: bands, never a whole frame buffer
        d.blit(0, y, 480, 16, row * 16)
    frame = spi.count
    mhz = LCD_BAUD / 1e6
    print(f"display: a full frame in 16-row bands is {frame:,} bytes on the SPI bus (ST7796S, RGB565); "
          f"an ILI9488 would need {480 * 320 * 3:,} for the pixels alone")
    print(f"display: {frame * 8 / LCD_BAUD * 1000:.1f} ms a frame at {mhz:.0f} MHz; "
          f"10 % of the screen (the per-tap budget) {frame * 0.8 / LCD_BAUD * 1000:.1f} ms")
    mp = Path(sys.executable).parent / "micropython"
    res = subprocess.run([str(mp), "-c", SWAP_BENCH], capture_output=True, text=True,
                         env={"MICROPYPATH": str(ROOT / "firmware")}, timeout=60)
    us = dict(line.split() for line in res.stdout.splitlines())
    if "viper" in us and "python" in us:
        v, p = float(us["viper"]), float(us["python"])
        print(f"display: RGB565 byte swap on this PC's unix port: viper {v:.2f} us/KB, "
              f"plain Python {p:.1f} us/KB ({p / v:.0f}x)")
    else:
        print("display: byte swap figures unavailable: " + (res.stderr.strip() or res.stdout.strip()))


if __name__ == "__main__":
    display_figures()

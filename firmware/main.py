# main.py — the panel's entry point: pick the board, hand it to the firmware.
#
# On the MicroPython unix port this is the simulator (boards/sim.py):
#   MICROPYPATH=firmware:protocol micropython firmware/main.py fd:N --flash FILE
# On a board, main.py builds that board's parts: boards/pico2.py on the reference board
# (make deploy PORT=/dev/ttyACM0 puts it there).

import sys

if sys.platform == "linux":
    from boards.sim import main
elif sys.platform == "rp2":  # the reference board: Pico 2 (hardware/README.md)
    from boards.pico2 import main
else:
    raise SystemExit("no board support for platform %r in this firmware" % sys.platform)

main()

# main.py — the panel's entry point: pick the board, hand it to the firmware.
#
# On the MicroPython unix port this is the simulator (boards/sim.py):
#   MICROPYPATH=firmware:protocol micropython firmware/main.py fd:N --flash FILE
# On a board, main.py builds that board's parts (board support is added per board
# in firmware/boards/).

import sys

if sys.platform == "linux":
    from boards.sim import main
else:
    raise SystemExit("no board support for platform %r in this firmware" % sys.platform)

main()

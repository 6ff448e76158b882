# firmware/manifest.py — freeze the panel's code into a custom MicroPython build for the Pico 2.
#
# In a MicroPython 1.29 source tree:
#   make -C ports/rp2 BOARD=RPI_PICO2 FROZEN_MANIFEST=/path/to/bedside/firmware/manifest.py
# Frozen modules run from flash and cost no RAM to load; the port's mpy-cross compiles the viper
# code for the board's CPU. Only main.py then goes onto the board's filesystem (frozen modules
# are imported, never run as the boot script). The same modules as `make deploy` copies: the
# simulator's unix-only board files stay out. tests/test_deploy.py checks the two agree.

include("$(PORT_DIR)/boards/manifest.py")  # the port's own frozen modules (asyncio, ...)

package("panel")
package("drivers")
package("boards", files=("__init__.py", "clock.py", "pico2.py", "pico2_pins.py", "tapink.py"))  # tapink: make tapink
package("bedlink", base_path="../protocol")
require("usb-device-cdc")  # the USB port that reports the host's DTR line (boards/pico2.py)

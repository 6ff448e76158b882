# panel/board.py — the board interface: what the firmware needs from any hardware.
#
# A board is one object passed to panel.app.run(); the core never imports a
# board module. Each board file (firmware/boards/*.py) builds these parts for its
# hardware; boards/sim.py builds them for the MicroPython unix port.
#
#   board.name        short text naming the board, e.g. "sim" or "pico2-ili9488"
#   board.device_id   stable id of this panel (str, at most 64 bytes)
#   board.link        serial link to the host:
#       poll(timeout_ms) -> LINK_IDLE | LINK_DATA | LINK_GONE   (waits at most timeout_ms)
#       readinto(buf) -> number of bytes read (0 when none are waiting)
#       write(data)   -> writes all of data, or raises OSError if the host is gone
#   board.storage     flash with a power-loss-safe filesystem (littlefs, never FAT):
#       root          mount point, e.g. "/flash"
#       free_bytes()  -> bytes still free
#   board.display     the screen; the panel draws rectangles, never a whole frame buffer:
#       width, height
#       blit(x, y, w, h, buf)   buf holds w*h RGB565 pixels, little-endian, row by row
#   board.touch       poll() -> (x, y) of a press in display pixels, or None
#   board.clock       ticks_ms(), ticks_diff(a, b), sleep_ms(ms)
#   board.log(text)   diagnostics for whoever maintains the board (never the host link)

class Stop(BaseException):
    """Raised by a board part to stop the firmware on purpose (e.g. maintenance); the panel's loop,
    which carries on after any failure (or falls back to safe mode), lets it through."""


LINK_IDLE = 0  # nothing arrived within the timeout
LINK_DATA = 1  # bytes are waiting to be read
LINK_GONE = 2  # the host closed the link (cable out, port closed)

PARTS = ("link", "storage", "display", "touch", "clock")
METHODS = (
    ("link", "poll"), ("link", "readinto"), ("link", "write"),
    ("storage", "free_bytes"), ("display", "blit"), ("touch", "poll"),
    ("clock", "ticks_ms"), ("clock", "ticks_diff"), ("clock", "sleep_ms"),
)


def check_board(board):
    """Return the list of what `board` lacks of the interface above (empty when complete)."""
    missing = []
    for name in ("name", "device_id", "log") + PARTS:
        if not hasattr(board, name):
            missing.append(name)
    for part, method in METHODS:
        if hasattr(board, part) and not hasattr(getattr(board, part), method):
            missing.append(part + "." + method)
    return missing

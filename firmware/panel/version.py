# panel/version.py — what the panel reports about itself in the handshake.

from panel.content import CONTENT_VERSION  # the clinical content built into this firmware

FIRMWARE_VERSION = "0.1.0"
FIRMWARE_BUILT = "2026-12-06"  # the build date: the panel refuses a wall time before it (JOURNAL.md, Time)
BUILT_WALL_MS = 1796515200000  # FIRMWARE_BUILT 00:00 UTC in ms since 1970 (a test holds the two equal)

# panel/version.py — what the panel reports about itself in the handshake.

from panel.content import CONTENT_VERSION  # the clinical content built into this firmware

FIRMWARE_VERSION = "0.1.0"

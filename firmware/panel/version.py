# panel/version.py — what the panel reports about itself in the handshake.

FIRMWARE_VERSION = "0.1.0"
# Version of the clinical content (scores, checklists) built into this firmware.
# "none": this build carries no clinical content yet.
CONTENT_VERSION = "none"

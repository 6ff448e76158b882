# panel/ui/theme.py — colours, sizes and the screen's layout, in one place.
#
# High contrast for a dim room and a sterile bag at arm's length: white and amber on
# black. Meaning is never carried by colour alone: a warning also says WARNING or
# carries "!", a chosen answer is also inverted and ticked, an unverified item says
# "unverified".
#
# Touch targets: the reference display (hardware/README.md, panel/hw.py) has 0.153 mm
# pixels (3.5", 480 x 320, 73.4 x 49.0 mm of active area). A gloved finger through a drape
# on resistive touch needs at least 11 mm: TARGET = 72 px in both directions for every
# tappable widget; tests/test_panel_ui.py holds every screen to it.

from panel.hw import MIN_TARGET_PX

BG = 0x0000  # black
FG = 0xFFFF  # white
DIM = 0xAD55  # light grey (#A8A8A8): secondary text, still 8:1 on black
ACCENT = 0xFDA0  # amber (#FFB400): headings, warnings (always with a word or "!")
PANEL = 0x2104  # near-black grey (#202020): button faces
LINE = 0x8410  # grey (#808080): button borders
BAD = 0xF986  # red (#FF3030): faults (always with a word)

TARGET = MIN_TARGET_PX  # px: the smallest tappable size (72)

W = 480
H = 320
STATUS_H = 32  # the status bar across the top
CONTENT = (0, STATUS_H, W, H - STATUS_H)  # 480 x 288: four rows of TARGET
PAD = 8

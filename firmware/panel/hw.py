# panel/hw.py — the physical size of the panel's pixels, which the UI sizes its touch targets by.
#
# The reference panel (hardware/README.md) is a 3.5" 480x320 TFT with an active area of
# 73.44 x 48.96 mm: 153 micrometres a pixel both ways. A gloved finger pressing through a sterile
# drape needs a target at least 11 mm across: a resistive plate registers the centre of the
# pressure, the calibration check allows 2 mm of error, and the glove and drape widen where a
# press lands. Plain integers: the UI imports these on every runtime (the simulator has the same
# 480x320 geometry).

PIXEL_PITCH_UM = 153  # micrometres per pixel, horizontally and vertically
MIN_TARGET_MM = 11  # smallest touch target side, millimetres


def mm_to_px(mm):
    """Pixels needed to span at least `mm` millimetres (rounded up)."""
    return (mm * 1000 + PIXEL_PITCH_UM - 1) // PIXEL_PITCH_UM


MIN_TARGET_PX = 72  # mm_to_px(MIN_TARGET_MM): 72 px = 11.02 mm; a test keeps the two in step

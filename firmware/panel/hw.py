# panel/hw.py — the physical size of the panel's pixels, which the UI sizes its touch targets by.
#
# The reference panel (hardware/README.md) is a 3.5" 480x320 TFT with an active area of
# 73.44 x 48.96 mm: 153 micrometres a pixel both ways. A gloved finger pressing through a sterile
# drape needs a target at least 12 mm across (a fingertip is 16-20 mm wide; the glove, the drape
# and the resistive touch's calibration error of about 1 mm all widen where a press lands), and
# 2 mm of dead space between neighbouring targets. Plain integers: the UI imports these on every
# runtime (the simulator has the same 480x320 geometry).

PIXEL_PITCH_UM = 153  # micrometres per pixel, horizontally and vertically
MIN_TARGET_MM = 12  # smallest touch target side, millimetres
MIN_GAP_MM = 2  # smallest gap between two touch targets, millimetres


def mm_to_px(mm):
    """Pixels needed to span at least `mm` millimetres (rounded up)."""
    return (mm * 1000 + PIXEL_PITCH_UM - 1) // PIXEL_PITCH_UM


MIN_TARGET_PX = 79  # mm_to_px(MIN_TARGET_MM): 79 px = 12.09 mm; a test keeps the two in step
MIN_GAP_PX = 14  # mm_to_px(MIN_GAP_MM): 14 px = 2.14 mm

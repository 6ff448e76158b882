# boards/pico2_pins.py — the reference board's wiring as data: Raspberry Pi Pico 2 (RP2350) and a
# 3.5" 480x320 ST7796S SPI display module with an XPT2046 touch controller on the same board.
#
# The display and the touch controller each have an SPI bus of their own: the display runs at
# 40 MHz, the touch controller at 1 MHz (2.5 MHz at most), so neither waits for the bus to be
# re-clocked, and the display's data-out line (which some modules do not release) is left unwired.
# boards/pico2.py builds the board from these numbers; tests/test_pico2_board.py checks that the
# wiring table in hardware/README.md says the same.

LCD_SPI = 1  # SPI1: GP10 SCK, GP11 MOSI
LCD_BAUD = 40000000  # Hz; lower it here if the picture shows speckles on a long cable
TOUCH_SPI = 0  # SPI0: GP18 SCK, GP19 MOSI, GP16 MISO
TOUCH_BAUD = 1000000  # Hz
LOG_UART = 0  # UART0 TX on GP0: diagnostics at 115200 baud, never the host link
LOG_BAUD = 115200

# signal -> GPIO number
PINS = {
    "lcd_sck": 10,
    "lcd_mosi": 11,
    "lcd_miso": 12,  # claimed by SPI1, not wired: the display's SDO stays unconnected
    "lcd_cs": 9,
    "lcd_dc": 8,
    "lcd_rst": 15,
    "lcd_bl": 13,  # PWM: backlight brightness
    "touch_sck": 18,
    "touch_mosi": 19,
    "touch_miso": 16,
    "touch_cs": 17,
    "touch_irq": 20,  # PENIRQ, low while the plate is pressed (pull-up on)
    "log_tx": 0,
}

# Pico 2 header pin of each GPIO used (the board's pinout: GP0 is pin 1, GND pins in between).
HEADER = {0: 1, 8: 11, 9: 12, 10: 14, 11: 15, 12: 16, 13: 17, 15: 20, 16: 21, 17: 22, 18: 24, 19: 25, 20: 26}

# The wiring table, one row per wire: (display module pin, signal or supply, what it does).
# A signal names a PINS entry; a supply names the Pico 2 header pin in SUPPLY.
WIRING = (
    ("VCC", "5V", "module supply; the module's regulator makes its 3.3 V"),
    ("GND", "GND", "ground"),
    ("CS", "lcd_cs", "display chip select"),
    ("RESET", "lcd_rst", "display reset, active low"),
    ("DC/RS", "lcd_dc", "display data (high) / command (low)"),
    ("SDI(MOSI)", "lcd_mosi", "display data in (SPI1 TX)"),
    ("SCK", "lcd_sck", "display clock (SPI1 SCK)"),
    ("LED", "lcd_bl", "backlight enable, PWM for brightness"),
    ("SDO(MISO)", "-", "not connected"),
    ("T_CLK", "touch_sck", "touch clock (SPI0 SCK)"),
    ("T_CS", "touch_cs", "touch chip select"),
    ("T_DIN", "touch_mosi", "touch data in (SPI0 TX)"),
    ("T_DO", "touch_miso", "touch data out (SPI0 RX)"),
    ("T_IRQ", "touch_irq", "pen interrupt, low while pressed"),
)
SUPPLY = {"5V": ("VBUS", 40), "GND": ("GND", 38)}


def wiring_rows():
    """The wiring table as text cells: (module pin, Pico 2 GPIO, Pico 2 header pin, what it does)."""
    rows = []
    for module_pin, signal, what in WIRING:
        if signal in SUPPLY:
            name, header = SUPPLY[signal]
            rows.append((module_pin, name, str(header), what))
        elif signal == "-":
            rows.append((module_pin, "-", "-", what))
        else:
            gpio = PINS[signal]
            rows.append((module_pin, "GP%d" % gpio, str(HEADER[gpio]), what))
    return rows

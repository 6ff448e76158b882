# drivers — chip drivers for the boards: pure MicroPython over objects passed in (an SPI bus with
# write/write_readinto, pins with value()). They know nothing of the panel or of pin numbers; a board
# file (firmware/boards/) builds the bus and pins and hands them over.

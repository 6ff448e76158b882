# panel — the Bedside panel firmware's portable core.
#
# Plain Python that runs unchanged on MicroPython (the board, the unix-port
# simulator) and CPython (the host shares it). Hardware arrives as a board object
# passed in (panel/board.py); nothing here imports `machine` or a driver.

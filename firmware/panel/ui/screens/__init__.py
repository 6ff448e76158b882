# panel/ui/screens — one module per screen, each defining SCREEN; loaded when pushed (panel/ui/core.py).

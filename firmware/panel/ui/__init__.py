# panel.ui — the panel's screens, drawn with framebuf into small strips and blitted.
# Runs on MicroPython only (framebuf); the host never imports it.

"""Build tools for the firmware (run from the host's environment)."""

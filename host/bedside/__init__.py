"""Bedside host: the workstation side of the cath-lab bedside assistant (CLI, sync, store, app)."""

__version__ = "0.1.0"

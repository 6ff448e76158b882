"""The Textual workstation app. Only this package imports Textual; the services it calls never do."""

from bedside.app.app import BedsideApp
from bedside.app.context import AppContext

__all__ = ["AppContext", "BedsideApp"]

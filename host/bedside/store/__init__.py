"""The host store: devices, cases, events, anchors, operators, sync sessions and audit in SQLite or PostgreSQL."""

from bedside.store.errors import StoreUnavailable
from bedside.store.service import CaseSummary, Store, StoredEvent, StoreError, alembic_config, ingest_rate

__all__ = ["CaseSummary", "Store", "StoredEvent", "StoreError", "StoreUnavailable", "alembic_config", "ingest_rate"]

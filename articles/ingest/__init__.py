"""Ingest: one pure parser per source format, the loader, import and export."""

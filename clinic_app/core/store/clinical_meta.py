"""Bookkeeping tables of the clinical store (not patient data)."""

MIGRATIONS = [
    """
    CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
    """,
]

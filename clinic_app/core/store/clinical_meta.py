"""Bookkeeping tables of the clinical store (not patient data).

Version 1 created ``store_meta``, which nothing ever read or wrote; version 2 drops it
(issue 12). The component stays so stores at version 1 are brought up to date.
"""

MIGRATIONS = [
    """
    CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
    """,
    """
    DROP TABLE IF EXISTS store_meta
    """,
]

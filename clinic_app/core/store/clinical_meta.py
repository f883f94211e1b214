"""Bookkeeping tables of the clinical store (not patient data).

Version 1 created ``store_meta``, which nothing ever read or wrote; version 2 drops it
(issue 12). Version 3 adds ``clinical_generations``: the clinical store's rollback counter
and the other stores' counters it saw (core/security/generations.py), named for what they
hold rather than reusing a general-purpose table.
"""

MIGRATIONS = [
    """
    CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
    """,
    """
    DROP TABLE IF EXISTS store_meta
    """,
    """
    CREATE TABLE IF NOT EXISTS clinical_generations (key TEXT PRIMARY KEY, value TEXT NOT NULL)
    """,
]

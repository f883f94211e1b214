"""First-run setup wizard (IT): the store, its first accounts, the recovery code."""

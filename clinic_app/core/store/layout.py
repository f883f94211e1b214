"""Where a store's files live. Names are fixed and carry no patient data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoreLayout:
    root: Path

    @property
    def keyring(self) -> Path:
        """Plain SQLite: what is needed before anyone is authenticated (wrapped keys only)."""
        return self.root / "keyring.db"

    @property
    def system(self) -> Path:
        """SQLCipher under the system key: accounts, grants, settings, audit log."""
        return self.root / "system.db"

    @property
    def clinical(self) -> Path:
        """SQLCipher under the clinical key: patients, studies, records, results."""
        return self.root / "clinical.db"

    @property
    def blobs(self) -> Path:
        """AES-GCM files under a key derived from the clinical key."""
        return self.root / "blobs"

    def exists(self) -> bool:
        return self.keyring.exists() and self.system.exists()

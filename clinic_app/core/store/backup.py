"""Encrypted, consistent, incremental backups of a store, and their verified restore.

What a backup holds is what the store holds: the databases and blob files exactly as they
are on disk, still encrypted under the same keys. Nothing decryptable is added, so a backup
is as safe to keep off-site as the store itself, and restoring it needs the same passwords.

Layout of a backup folder::

    DIR/LATEST                     name of the newest complete set (replaced atomically)
    DIR/sets/<UTC time>/           the databases of one backup and its manifest.json
    DIR/blobs/xx/<id>              blob files, shared by every set (immutable, so a blob
                                   already in the folder is never copied again)

Consistency: the database files are copied while the store lock is held exclusively
(:mod:`clinic_app.core.store.store_lock`), when no transaction of any process is open and
no uncommitted blob is on disk; the blob files then present are pinned by hard links, so a
blob deleted a moment later still reaches the backup. Blobs are copied after the lock is
released. A set becomes the LATEST only after every file of it is written, fsynced and
hashed into its manifest, so a failure (a full disk, a kill) leaves the previous backup as
it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic_app.core.store.blobs import fsync_dir, fsync_file
from clinic_app.core.store.layout import StoreLayout
from clinic_app.core.store.store_lock import StoreLock
from clinic_app.errors import IntegrityError, InvalidInput, StoreError

MANIFEST = "manifest.json"
LATEST = "LATEST"
FORMAT = 1
#: The database files of a store; a -wal file is copied beside its database when present.
DATABASES = ("keyring.db", "system.db", "clinical.db")
PIN_FOLDER = ".backup-pins"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupReport:
    set_name: str
    files: int
    blobs_total: int
    blobs_copied: int
    bytes_copied: int


@dataclass(frozen=True)
class Manifest:
    store_id: str
    created: str
    app_version: str
    files: dict[str, dict[str, Any]]     # set-relative name -> {sha256, size}
    blobs: dict[str, dict[str, Any]]     # blob id -> {sha256, size}
    generations: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "store_id": self.store_id, "created": self.created,
                "app_version": self.app_version, "files": self.files, "blobs": self.blobs,
                "generations": self.generations}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> str:
    """Copy ``source`` to ``target`` and return the SHA-256 of what was written (one read).

    Not synced here: callers sync every file they wrote together (:func:`_sync_all`) before
    the step that makes them count, which measured several times faster than one at a time.
    """
    digest = hashlib.sha256()
    try:
        with source.open("rb") as src, target.open("wb") as dst:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                digest.update(chunk)
                dst.write(chunk)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise StoreError(f"Backup failed writing {target.name}: {exc.strerror or exc}. "
                         "The previous backup is untouched.") from None
    return digest.hexdigest()


def _sync_all(paths: list[Path]) -> None:
    """fsync files and their folders from a small thread pool, so the kernel flushes them together."""
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(fsync_file, paths))
        for folder in {p.parent for p in paths}:
            fsync_dir(folder)
    except OSError as exc:
        raise StoreError(f"Backup failed flushing to disk: {exc.strerror or exc}. "
                         "The previous backup is untouched.") from None


def store_id_of(keyring: Path) -> str:
    """The store's id from its key ring (plain SQLite: no key is needed to read it)."""
    try:
        with sqlite3.connect(f"file:{keyring}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
    except sqlite3.Error:
        row = None
    if not row:
        raise StoreError(f"{keyring} is not a clinic-app key ring (no store id).")
    return str(row[0])


def read_manifest(folder: Path, set_name: str | None = None) -> tuple[str, Manifest]:
    """The named set's manifest, or the LATEST one's; refused with the reason if unusable."""
    if set_name is None:
        try:
            set_name = (folder / LATEST).read_text(encoding="utf-8").strip()
        except OSError:
            raise InvalidInput(f"{folder} holds no complete backup (no {LATEST} file).") from None
    path = folder / "sets" / set_name / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise InvalidInput(f"backup set {set_name} has an unknown format {data.get('format')!r}.")
        return set_name, Manifest(str(data["store_id"]), str(data["created"]), str(data["app_version"]),
                                  dict(data["files"]), dict(data["blobs"]), dict(data.get("generations", {})))
    except (OSError, ValueError, KeyError, TypeError):
        raise IntegrityError(f"backup set {set_name}: its manifest is missing or damaged; "
                             "use another set or another backup.") from None


def backup(root: Path, target: Path, *, app_version: str, now: dt.datetime,
           generations: Callable[[], dict[str, int]] = dict, progress: Progress | None = None,
           lock_timeout_s: float = 120.0) -> BackupReport:
    """Copy the store at ``root`` into the backup folder ``target`` (see the module doc)."""
    layout = StoreLayout(root)
    if not layout.exists():
        raise StoreError(f"There is no store at {root} to back up.")
    store_id = store_id_of(layout.keyring)
    if (target / LATEST).exists():
        _, latest = read_manifest(target)
        if latest.store_id != store_id:
            raise InvalidInput(f"{target} holds the backup of another store ({latest.store_id[:8]}…); "
                               "back this store up to its own folder.")
    _drop_incomplete_sets(target)
    base = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    set_name, n = base, 1
    while (target / "sets" / set_name).exists():
        n += 1
        set_name = f"{base}-{n}"
    set_dir = target / "sets" / set_name
    pins = root / PIN_FOLDER / set_name
    try:
        set_dir.mkdir(parents=True)
        (target / "blobs").mkdir(exist_ok=True)
        files: dict[str, dict[str, Any]] = {}
        with StoreLock(root).hold(exclusive=True, timeout_s=lock_timeout_s):
            for name in DATABASES:
                for suffix in ("", "-wal"):
                    source = root / f"{name}{suffix}"
                    if source.exists():
                        files[source.name] = {"sha256": _copy(source, set_dir / source.name),
                                              "size": (set_dir / source.name).stat().st_size}
            counters = generations()
            _drop_stale_pins(root)
            pinned = _pin_blobs(layout.blobs, pins)
        previous = read_manifest(target)[1].blobs if (target / LATEST).exists() else {}
        report = _finish(target, set_dir, set_name, files, pinned, previous, store_id, app_version, now,
                         counters, progress)
    except BaseException:
        shutil.rmtree(set_dir, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(pins, ignore_errors=True)
        if (root / PIN_FOLDER).exists() and not any((root / PIN_FOLDER).iterdir()):
            (root / PIN_FOLDER).rmdir()
    return report


def _drop_incomplete_sets(target: Path) -> None:
    """Remove sets a killed backup left without a manifest (LATEST never named them)."""
    sets = target / "sets"
    if sets.is_dir():
        for folder in sets.iterdir():
            if folder.is_dir() and not (folder / MANIFEST).exists():
                shutil.rmtree(folder, ignore_errors=True)


def _drop_stale_pins(root: Path) -> None:
    """Pin folders of backups that were killed (their process is gone) only keep deleted blobs alive."""
    folder = root / PIN_FOLDER
    if not folder.is_dir():
        return
    for pins in folder.iterdir():
        try:
            pid = int((pins / ".pid").read_text())
            os.kill(pid, 0)
        except (OSError, ValueError):
            shutil.rmtree(pins, ignore_errors=True)


def _pin_blobs(blobs: Path, pins: Path) -> list[Path]:
    """Hard links to every committed blob file, so later deletions cannot take them away."""
    pins.mkdir(parents=True)
    (pins / ".pid").write_text(str(os.getpid()))
    pinned = []
    if blobs.exists():
        for path in blobs.glob("??/*"):
            if path.name.startswith(".") or path.name.endswith(".tmp") or not path.is_file():
                continue
            link = pins / path.name
            os.link(path, link)
            pinned.append(link)
    return pinned


def _finish(target: Path, set_dir: Path, set_name: str, files: dict[str, dict[str, Any]],
            pinned: list[Path], previous: dict[str, dict[str, Any]], store_id: str, app_version: str,
            now: dt.datetime, generations: dict[str, int], progress: Progress | None) -> BackupReport:
    blobs: dict[str, dict[str, Any]] = {}
    written = [set_dir / name for name in files]
    copied = copied_bytes = 0
    for done, pin in enumerate(pinned, 1):
        destination = target / "blobs" / pin.name[:2] / pin.name
        size = pin.stat().st_size
        known = previous.get(pin.name)
        if known is not None and known["size"] == size and destination.exists() \
                and destination.stat().st_size == size:
            blobs[pin.name] = known  # blob files never change: the earlier set's hash still holds
        else:
            destination.parent.mkdir(exist_ok=True)
            blobs[pin.name] = {"sha256": _copy(pin, destination), "size": size}
            written.append(destination)
            copied += 1
            copied_bytes += size
        if progress is not None:
            progress(done, len(pinned))
    _sync_all(written)
    manifest = Manifest(store_id, now.astimezone(dt.UTC).isoformat(), app_version, files, blobs, generations)
    _write_atomically(set_dir / MANIFEST, json.dumps(manifest.as_json(), indent=1, sort_keys=True))
    _write_atomically(target / LATEST, set_name + "\n")
    return BackupReport(set_name, len(files), len(blobs), copied, copied_bytes)


def _write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(path.name + ".tmp")
    try:
        with temp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(f"Backup failed writing {path.name}: {exc.strerror or exc}. "
                         "The previous backup is untouched.") from None


def verify(folder: Path, set_name: str | None = None) -> tuple[str, Manifest]:
    """Check every file of a set against its manifest; refuse a damaged or partial backup."""
    name, manifest = read_manifest(folder, set_name)
    set_dir = folder / "sets" / name
    problems = list(_mismatches(((set_dir / f, m) for f, m in manifest.files.items()), "database file"))
    problems += _mismatches(((folder / "blobs" / b[:2] / b, m) for b, m in manifest.blobs.items()), "blob")
    for required in ("keyring.db", "system.db"):
        if required not in manifest.files:
            problems.append(f"the set has no {required}")
    _refuse(name, problems)
    return name, manifest


def _mismatches(items: Iterable[tuple[Path, dict[str, Any]]], kind: str) -> list[str]:
    problems = []
    for path, meta in items:
        if not path.is_file():
            problems.append(f"{kind} {path.name} is missing")
        elif path.stat().st_size != meta["size"] or _sha256(path) != meta["sha256"]:
            problems.append(f"{kind} {path.name} does not match its hash")
    return problems


def restore(folder: Path, root: Path, *, set_name: str | None = None,
            progress: Progress | None = None) -> tuple[str, Manifest]:
    """Copy a verified set into ``root``, which must be empty or absent; returns the set used.

    The files go to a staging folder beside ``root`` and are moved into place only when all
    of them are there, so a failed restore leaves no half store behind.
    """
    if root.exists() and any(root.iterdir()):
        raise InvalidInput(f"{root} is not empty: restore only into an empty or new folder.")
    name, manifest = read_manifest(folder, set_name)
    sources = [(folder / "sets" / name / f, Path(f), m) for f, m in manifest.files.items()]
    sources += [(folder / "blobs" / b[:2] / b, Path("blobs") / b[:2] / b, m) for b, m in manifest.blobs.items()]
    problems = [f"{'blob' if rel.parts[0] == 'blobs' else 'database file'} {src.name} is missing"
                for src, rel, _ in sources if not src.is_file()]
    problems += [f"the set has no {f}" for f in ("keyring.db", "system.db") if f not in manifest.files]
    _refuse(name, problems)
    staging = root.with_name(root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        for done, (src, rel, meta) in enumerate(sources, 1):
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            # Copied and hashed in one read; a mismatch is collected and refuses the whole restore.
            if _copy(src, staging / rel) != meta["sha256"] or src.stat().st_size != meta["size"]:
                kind = "blob" if rel.parts[0] == "blobs" else "database file"
                problems.append(f"{kind} {src.name} does not match its hash")
            if progress is not None:
                progress(done, len(sources))
        _refuse(name, problems)
        _sync_all([staging / rel for _, rel, _ in sources])
        if root.exists():
            root.rmdir()
        os.replace(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return name, manifest


def _refuse(name: str, problems: list[str]) -> None:
    if problems:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        raise IntegrityError(f"backup set {name} is damaged or incomplete: {shown}. Nothing was restored.")

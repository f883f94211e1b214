"""The catalogue keeps verified sessions while a package is unchanged on disk, and re-verifies
whenever anything about it changed; it never builds a session from bytes it did not verify."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clinic_app.core.inference.package import TrustPolicy, TrustStore
from clinic_app.core.inference.registry import ModelRegistry, PackageRoot
from clinic_app.core.inference.runtime import RuntimeOptions
from clinic_app.errors import ModelError
from clinic_app.services.models import ModelCatalog
from tests.model_support import make_package

MIB = 1 << 20
IO_STATS = Path("/proc/self/io")
needs_io_stats = pytest.mark.skipif(not IO_STATS.exists(), reason="needs Linux /proc/self/io")


def bytes_read() -> int:
    """Bytes this process has read through read() calls so far (Linux ``rchar``)."""
    for line in IO_STATS.read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def catalog_over(root: Path) -> ModelCatalog:
    registry = ModelRegistry([PackageRoot(root, "site")], TrustStore(),
                             TrustPolicy(allow_unsigned=True))
    return ModelCatalog(registry, RuntimeOptions(gpu_preference="cpu", warmup=False))


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """A package with an 8 MiB hash-listed file: reading it is visible in rchar."""
    make_package(tmp_path / "site", extra={"weights-notes.bin": (b"\0" * (8 * MIB), "document")})
    return tmp_path / "site"


@needs_io_stats
def test_an_unchanged_package_is_not_read_or_hashed_again(big: Path):
    """The second session() for an unchanged package reads no package bytes; fresh=True does."""
    catalog = catalog_over(big)
    first = catalog.session("toy-scale")
    before = bytes_read()
    assert catalog.session("toy-scale") is first
    assert bytes_read() - before < MIB
    before = bytes_read()
    assert catalog.session("toy-scale", fresh=True) is first  # same verified bytes, same session
    assert bytes_read() - before >= 8 * MIB


def test_a_file_rewritten_in_place_with_its_size_and_mtime_put_back_is_caught(big: Path):
    """Same size, same mtime (utime), same inode: the change time still moves, so the next
    session() re-reads, and the hash mismatch refuses the package."""
    catalog = catalog_over(big)
    catalog.session("toy-scale")
    target = big / "toy-scale" / "weights-notes.bin"
    st = os.stat(target)
    with open(target, "r+b") as f:
        f.write(b"\1")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    now = os.stat(target)
    assert (now.st_size, now.st_mtime_ns, now.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)
    if now.st_ctime_ns == st.st_ctime_ns:  # pragma: no cover - coarse timestamp clock
        pytest.skip("the file system's change-time clock did not tick between the two writes")
    with pytest.raises(ModelError, match="does not match its SHA-256"):
        catalog.session("toy-scale")
    with pytest.raises(ModelError, match="does not match its SHA-256"):  # nothing was cached
        catalog.session("toy-scale")


def test_a_replaced_package_gets_a_new_session_and_the_old_one_is_dropped(tmp_path: Path):
    """A new version in the same folder is verified and loaded; the old session is forgotten."""
    root = tmp_path / "site"
    make_package(root)
    catalog = catalog_over(root)
    old = catalog.session("toy-scale")
    make_package(root, version="1.0.1")
    new = catalog.session("toy-scale")
    assert new is not old and new.manifest.version == "1.0.1"
    assert catalog.cache.loaded() == [new]


def test_a_removed_package_is_refused_at_once(tmp_path: Path):
    """Deleting the folder makes the next session() fail: the cache never outlives the package."""
    import shutil

    root = tmp_path / "site"
    make_package(root)
    catalog = catalog_over(root)
    catalog.session("toy-scale")
    shutil.rmtree(root / "toy-scale")
    with pytest.raises(ModelError, match="No usable model package"):
        catalog.session("toy-scale")

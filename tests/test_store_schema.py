"""The clinical store's bookkeeping schema: unused tables are dropped by a migration."""

from __future__ import annotations

from clinic_app.core.store import clinical_meta
from clinic_app.core.store.database import Database
from clinic_app.services.store_components import clinical_components, system_components
from tests.conftest import StoreFixture


def _tables(db: Database) -> set[str]:
    return {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_new_store_has_no_store_meta_table(store: StoreFixture) -> None:
    """store_meta (never read or written) does not exist; the meta component is at v3."""
    sess = store.login("rad")
    assert sess.clinical is not None
    assert "store_meta" not in _tables(sess.clinical)
    row = sess.clinical.query_one("SELECT version FROM schema_versions WHERE component = 'meta'")
    assert row is not None and row["version"] == len(clinical_meta.MIGRATIONS) == 3


def test_a_version_1_store_loses_store_meta_when_opened(store: StoreFixture) -> None:
    """A store written before the drop (meta v1, with store_meta) is migrated on sign-in."""
    sess = store.login("rad")
    assert sess.clinical is not None
    with sess.clinical.transaction():
        sess.clinical.execute("CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        sess.clinical.execute("UPDATE schema_versions SET version = 1 WHERE component = 'meta'")
    store.services.auth.logout(sess)
    again = store.login("rad")
    assert again.clinical is not None
    assert "store_meta" not in _tables(again.clinical)


def test_component_names_are_unique() -> None:
    """Each component versions its own tables, so a name may appear only once per store."""
    for components in (system_components(), clinical_components()):
        names = [name for name, _ in components]
        assert len(names) == len(set(names))

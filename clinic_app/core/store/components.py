"""Which tables each encrypted database holds, as per-component migration lists.

Each domain module owns its tables and their migrations (see ``database.migrate``). This
registry is the one place that lists them, so opening a store brings every component up
to date in a fixed order. Imports are local to avoid import cycles between domains.
"""

from __future__ import annotations

from collections.abc import Sequence


def system_components() -> list[tuple[str, Sequence[str]]]:
    from clinic_app.core.inference import approvals as model_approvals
    from clinic_app.core.security import accounts, audit

    return [("accounts", accounts.MIGRATIONS), ("audit", audit.MIGRATIONS),
            ("model_approvals", model_approvals.MIGRATIONS), *_pacs_system()]


def _pacs_system() -> list[tuple[str, Sequence[str]]]:
    from clinic_app.core.net import nodes as pacs_nodes

    return [("pacs_nodes", pacs_nodes.MIGRATIONS)]


def clinical_components() -> list[tuple[str, Sequence[str]]]:
    from clinic_app.core.store import clinical_meta

    components: list[tuple[str, Sequence[str]]] = [("meta", clinical_meta.MIGRATIONS)]
    from clinic_app.core.records import repository as records_repository

    components.append(("records", records_repository.MIGRATIONS))
    from clinic_app.core.inference import results as risk_results

    components.append(("risk", risk_results.MIGRATIONS))
    from clinic_app.core.imaging import index as imaging_index

    components.append(("imaging", imaging_index.MIGRATIONS))
    from clinic_app.core.inference import finding_store

    components.append(("findings", finding_store.MIGRATIONS))
    from clinic_app.core.net import retrievals as pacs_retrievals

    components.append(("pacs", pacs_retrievals.MIGRATIONS))
    return components

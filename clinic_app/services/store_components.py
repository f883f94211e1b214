"""Which tables each encrypted database holds, as per-component migration lists.

Each domain module owns its tables and their migrations (see ``database.migrate``). This
list is the one place that names them all, so opening a store brings every component up
to date in a fixed order. It sits in the service layer, the composition root that opens
the stores (``ServiceContext.open_system`` / ``open_clinical``), so the store package in
the core never imports the domains above it.

To add a component: give its module a ``MIGRATIONS`` list and append it here. Never
reorder the lists or edit a released migration; append a new one instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from clinic_app.core.dicom_out import deid_store
from clinic_app.core.imaging import index_schema as imaging_schema
from clinic_app.core.imaging import measurement_store
from clinic_app.core.inference import approvals as model_approvals
from clinic_app.core.inference import finding_store
from clinic_app.core.inference import results as risk_results
from clinic_app.core.net import nodes as pacs_nodes
from clinic_app.core.net import retrievals as pacs_retrievals
from clinic_app.core.records import kept_store
from clinic_app.core.records import repository as records_repository
from clinic_app.core.security import accounts, audit
from clinic_app.core.store import clinical_meta, rotation


def system_components() -> list[tuple[str, Sequence[str]]]:
    return [("accounts", accounts.MIGRATIONS), ("audit", audit.MIGRATIONS),
            ("model_approvals", model_approvals.MIGRATIONS), ("pacs_nodes", pacs_nodes.MIGRATIONS)]


def clinical_components() -> list[tuple[str, Sequence[str]]]:
    components: list[tuple[str, Sequence[str]]] = [("meta", clinical_meta.MIGRATIONS)]
    components.append(("records", records_repository.MIGRATIONS))
    components.append(("risk", risk_results.MIGRATIONS))
    components.append(("imaging", imaging_schema.MIGRATIONS))
    components.append(("findings", finding_store.MIGRATIONS))
    components.append(("key_lineage", rotation.MIGRATIONS))
    components.append(("deid", deid_store.MIGRATIONS))
    components.append(("pacs", pacs_retrievals.MIGRATIONS))
    components.append(("measurements", measurement_store.MIGRATIONS))
    components.append(("records_kept", kept_store.MIGRATIONS))
    return components

"""Resources of types the app does not read, kept as received instead of dropped.

An export holds Immunization, Procedure, ServiceRequest, Coverage and dozens more types
that no screen or model uses today. They are valid FHIR, so they must not refuse a file
and must not vanish either: each is kept whole (its JSON, in the encrypted store), linked
to the patient it names where it names one, flagged and counted, and can be listed per
patient. Nothing in them is interpreted or checked beyond being a JSON object with a
resource type and a valid id, which the reader checked already.
"""

from __future__ import annotations

import json
import re
from typing import Any

from clinic_app.core.records.batch import KeptResource, SubjectRef
from clinic_app.core.records.fhir_json import normalise_reference
from clinic_app.i18n import translate

#: Elements that name the patient a resource is about, in the order they are tried.
SUBJECT_ELEMENTS = ("subject", "patient", "beneficiary")
#: A FHIR resource type name (R4 names are capitalised letters only).
TYPE_NAME = re.compile(r"[A-Z][A-Za-z]{1,63}")


def kept_flag() -> str:
    """The flag every kept resource carries in the import report."""
    return translate("records", "kept as received: the app does not read this resource type "
                     "(listed with the patient's other records, not used by any model)")


def subject_of(res: dict[str, Any]) -> SubjectRef | None:
    """The Patient a resource names, or None (no such element, or it names a Group,
    a Location, …). Never an error: the element is not checked for resources we keep."""
    for key in SUBJECT_ELEMENTS:
        ref = res.get(key)
        if not isinstance(ref, dict):
            continue
        text = ref.get("reference")
        if isinstance(text, str) and text.strip():
            text = normalise_reference(text)
            if text.startswith("Patient/") or text.startswith("urn:"):
                return SubjectRef(reference=text)
            return None
        ident = ref.get("identifier")
        if isinstance(ident, dict) and isinstance(ident.get("value"), str) and ident["value"]:
            system = ident.get("system")
            return SubjectRef(mrn=ident["value"],
                              issuer=system if isinstance(system, str) and system else None)
    return None


def keep(res: dict[str, Any], label: str, rtype: str, rid: str) -> KeptResource:
    """The resource as a :class:`KeptResource` (its JSON re-serialised compactly)."""
    content = json.dumps(res, separators=(",", ":"), ensure_ascii=False)
    return KeptResource(item=label, resource_type=rtype, resource_id=rid,
                        subject=subject_of(res), content=content)
